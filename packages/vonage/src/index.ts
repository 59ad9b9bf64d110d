export { VonageCallControl, vonageHangUpAnswer } from './call-control.js';
export {
  VONAGE_INBOUND_EVENTS,
  VonageCleared,
  VonageConnected,
  type VonageConnectedEvent,
  VonageDtmf,
  VonageInbound,
  type VonageInboundEvent,
  VonageNotify,
  VonageOutboundCommand,
  type VonageOutboundCommandMessage,
  vonageClearCommand,
  vonageContentType,
  vonageNotifyCommand,
  vonageRateOf,
  withConnectedEvent,
} from './events.js';
export { createVonageFramer, VONAGE_FRAME_MS, type VonageFramer, vonageFrameBytes } from './framer.js';
export { signVonageJwt, VONAGE_JWT_TTL_SECONDS, type VonageJwtInput } from './jwt.js';
export { VONAGE_CALL_UUID_HEADER, type VonageWebSocketNccoInput, vonageWebSocketNcco } from './ncco.js';
export {
  isRsaPrivateKeyPem,
  type ResolvedVonageCallParams,
  type ResolvedVonageOptions,
  VONAGE_API_BASE_URL,
  type VonageCallParams,
  VonageCallParamsSchema,
  type VonageOptions,
  VonageOptionsSchema,
  type VonageSampleRate,
  VonageSampleRateSchema,
} from './options.js';
export { createVonageSerializer, detectVonageCall, vonage } from './plugin.js';
export { VonageFrameSerializer, type VonageSerializerInit } from './serializer.js';

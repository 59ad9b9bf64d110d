export { VonageCallControl, vonageHangUpAnswer } from './call-control.js';
export { detectVonageCall, vonage } from './carrier.js';
export {
  type VonageConnectedEvent,
  VonageConnectedEventSchema,
  type VonageInboundEvent,
  VonageInboundEventSchema,
  type VonageOutboundCommand,
  VonageOutboundCommandSchema,
} from './events.js';
export { signVonageJwt, VONAGE_JWT_TTL_SECONDS, type VonageJwtInput } from './jwt.js';
export { VONAGE_CALL_UUID_HEADER, type VonageWebSocketNccoInput, vonageWebSocketNcco } from './ncco.js';
export {
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
export { verifyVonageWebhook } from './signed-webhook.js';

export { classifyTelnyxHangUp, TELNYX_CALL_ENDED_CODE, TelnyxCallControl } from './call-control.js';
export { detectTelnyxCall, telnyx } from './carrier.js';
export {
  type TelnyxInboundEvent,
  TelnyxInboundEventSchema,
  type TelnyxOutboundEvent,
  TelnyxOutboundEventSchema,
} from './events.js';
export {
  type ResolvedTelnyxCallParams,
  type ResolvedTelnyxOptions,
  type TelnyxCallParams,
  TelnyxCallParamsSchema,
  type TelnyxEncoding,
  TelnyxEncodingSchema,
  type TelnyxOptions,
  TelnyxOptionsSchema,
} from './options.js';
export {
  TELNYX_SIGNATURE_TOLERANCE_SECONDS,
  type TelnyxSignatureInput,
  telnyxPublicKey,
  telnyxSignatureHeaders,
  verifyTelnyxSignature,
} from './signature.js';
export { answerTelnyxWebhook, type TelnyxWebhookKeys, verifyTelnyxWebhook } from './webhook.js';
export { type TelnyxStreamTexmlOptions, TelnyxStreamTexmlOptionsSchema, telnyxStreamTexml } from './xml.js';

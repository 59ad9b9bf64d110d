export { classifyTelnyxHangUp, TELNYX_CALL_ENDED_CODE, TelnyxCallControl } from './call-control.js';
export * from './events.js';
export * from './options.js';
export {
  answerTelnyx,
  createTelnyxSerializer,
  detectTelnyxCall,
  TELNYX_OPTIONS,
  telnyx,
  verifyTelnyxWebhook,
} from './plugin.js';
export { TelnyxFrameSerializer, type TelnyxSerializerInit } from './serializer.js';
export * from './signature.js';
export * from './xml.js';

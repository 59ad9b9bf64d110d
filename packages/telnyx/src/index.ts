export { classifyTelnyxHangUp, TELNYX_CALL_ENDED_CODE, TelnyxCallControl } from './call-control.js';
export * from './events.js';
export * from './options.js';
export { createTelnyxSerializer, detectTelnyxCall, telnyx } from './plugin.js';
export { TelnyxFrameSerializer, type TelnyxSerializerInit } from './serializer.js';
export * from './signature.js';
export { answerTelnyxWebhook, verifyTelnyxWebhook } from './webhook.js';
export * from './xml.js';

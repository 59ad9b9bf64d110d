export { TwilioCallControl } from './call-control.js';
export * from './events.js';
export * from './options.js';
export { createTwilioSerializer, detectTwilioCall, twilio } from './plugin.js';
export { TwilioFrameSerializer, type TwilioSerializerInit } from './serializer.js';
export * from './signature.js';
export { answerTwilioWebhook, verifyTwilioWebhook } from './webhook.js';
export * from './xml.js';

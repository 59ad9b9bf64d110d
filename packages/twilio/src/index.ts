export { TwilioCallControl } from './call-control.js';
export * from './events.js';
export * from './options.js';
export {
  answerTwilio,
  createTwilioSerializer,
  detectTwilioCall,
  TWILIO_OPTIONS,
  twilio,
  verifyTwilioWebhook,
} from './plugin.js';
export { TwilioFrameSerializer, type TwilioSerializerInit } from './serializer.js';
export * from './signature.js';
export * from './xml.js';

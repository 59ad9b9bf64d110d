export { TwilioCallControl } from './call-control.js';
export { detectTwilioCall, twilio } from './carrier.js';
export {
  type TwilioInboundEvent,
  TwilioInboundEventSchema,
  type TwilioOutboundEvent,
  TwilioOutboundEventSchema,
} from './events.js';
export {
  type ResolvedTwilioOptions,
  type TwilioCallParams,
  TwilioCallParamsSchema,
  type TwilioOptions,
  TwilioOptionsSchema,
} from './options.js';
export {
  computeTwilioSignature,
  type TwilioSignatureInput,
  type TwilioSignatureParams,
  twilioBodySha256,
  verifyTwilioSignature,
} from './signature.js';
export { type TwilioStreamTwimlOptions, TwilioStreamTwimlOptionsSchema, twilioStreamTwiml } from './xml.js';

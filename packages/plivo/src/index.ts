export { PlivoCallControl } from './call-control.js';
export { detectPlivoCall, plivo } from './carrier.js';
export {
  type PlivoInboundEvent,
  PlivoInboundEventSchema,
  type PlivoOutboundEvent,
  PlivoOutboundEventSchema,
} from './events.js';
export {
  type PlivoCallParams,
  PlivoCallParamsSchema,
  type PlivoOptions,
  PlivoOptionsSchema,
  type ResolvedPlivoOptions,
} from './options.js';
export {
  computePlivoSignatureV3,
  type PlivoSignatureParams,
  type PlivoSignatureV3Input,
  type PlivoSignatureV3Request,
  plivoSignatureV3BaseUrl,
  verifyPlivoSignatureV3,
} from './signature.js';
export { type PlivoStreamXmlOptions, PlivoStreamXmlOptionsSchema, plivoStreamXml } from './xml.js';

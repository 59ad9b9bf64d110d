export { PlivoCallControl } from './call-control.js';
export * from './events.js';
export * from './options.js';
export { createPlivoSerializer, detectPlivoCall, plivo } from './plugin.js';
export { PlivoFrameSerializer, type PlivoSerializerInit } from './serializer.js';
export {
  computePlivoSignatureV3,
  type PlivoSignatureParams,
  type PlivoSignatureV3Input,
  type PlivoSignatureV3Request,
  plivoSignatureV3BaseUrl,
  verifyPlivoSignatureV3,
} from './signature.js';
export { answerPlivoWebhook, verifyPlivoWebhook } from './webhook.js';
export { type PlivoStreamXmlOptions, PlivoStreamXmlOptionsSchema, plivoStreamXml } from './xml.js';

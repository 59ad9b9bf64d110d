export { answerDocument } from './answer-document.js';
export { answerField } from './answer-field.js';
export { type ByteQueue, createByteQueue } from './byte-queue.js';
export { type CarrierCall, createCarrierSerializer } from './carrier-serializer.js';
export { defineCarrier } from './define-carrier.js';
export type {
  CarrierDefinition,
  HangUpDefinition,
  InboundCall,
  InboundDefinition,
  KitCallParams,
  OutboundCall,
  OutboundMessages,
  SessionCall,
} from './definition.js';
export { isJsonObject, isStringOrFiniteNumber } from './fast-path-checks.js';
export type { Framer } from './framer.js';
export { previewValue } from './inbound-message.js';
export { MAX_BINARY_AUDIO_BYTES, MAX_MEDIA_PAYLOAD_CHARS, MAX_TEXT_MESSAGE_CHARS } from './limits.js';
export {
  apiBaseUrlOption,
  autoHangUpParam,
  hangUpTimeoutMsOption,
  noAutoHangUpParam,
  PIPELINE_RATE_BOUNDS,
  pipelineSampleRateParam,
} from './option-fragments.js';
export { G711_ATTENUATION_DB, type WireEncoding, type WireFormat } from './wire-format.js';
export { escapeXml } from './xml-escape.js';

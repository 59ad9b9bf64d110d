export { createExotelChunker, type ExotelChunker } from './chunker.js';
export {
  EXOTEL_INBOUND_EVENTS,
  ExotelInbound,
  type ExotelInboundEvent,
  ExotelOutbound,
  type ExotelOutboundMessage,
  exotelClearMessage,
  exotelMarkMessage,
  exotelMediaMessage,
  exotelStartIds,
} from './events.js';
export {
  EXOTEL_CHUNK_GRID_BYTES,
  EXOTEL_MAX_CHUNK_BYTES,
  EXOTEL_MIN_CHUNK_BYTES,
  EXOTEL_SAMPLE_RATES,
  type ExotelCallParams,
  ExotelCallParamsSchema,
  type ExotelOptions,
  ExotelOptionsSchema,
  type ExotelSampleRate,
  isExotelSampleRate,
  type ResolvedExotelCallParams,
  type ResolvedExotelOptions,
} from './options.js';
export { createExotelSerializer, detectExotel, exotel } from './plugin.js';
export { ExotelFrameSerializer, type ExotelSerializerInit } from './serializer.js';

export { detectExotelCall, exotel } from './carrier.js';
export {
  type ExotelInboundEvent,
  ExotelInboundEventSchema,
  type ExotelOutboundEvent,
  ExotelOutboundEventSchema,
} from './events.js';
export {
  type ExotelCallParams,
  ExotelCallParamsSchema,
  type ExotelOptions,
  ExotelOptionsSchema,
  type ResolvedExotelOptions,
} from './options.js';

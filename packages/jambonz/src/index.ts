export { detectJambonzCall, jambonz } from './carrier.js';
export {
  type JambonzInboundEvent,
  JambonzInboundEventSchema,
  type JambonzMixType,
  JambonzMixTypeSchema,
  type JambonzOpening,
  JambonzOpeningSchema,
  type JambonzOutboundCommand,
  JambonzOutboundCommandSchema,
  jambonzClearMarksCommand,
} from './events.js';
export {
  JAMBONZ_SAMPLE_RATES,
  type JambonzCallParams,
  JambonzCallParamsSchema,
  type JambonzOptions,
  JambonzOptionsSchema,
  type JambonzSampleRate,
  JambonzSampleRateSchema,
  type ResolvedJambonzCallParams,
  type ResolvedJambonzOptions,
} from './options.js';

export { detectGenesysCall, GENESYS_MAX_TEXT_CHARS, genesys } from './carrier.js';
export {
  type GenesysControlMessage,
  GenesysControlMessageSchema,
  genesysEvent,
  genesysOutputVariables,
  genesysPause,
  genesysResume,
} from './control-messages.js';
export {
  type GenesysInboundMessage,
  GenesysInboundMessageSchema,
  type GenesysMedia,
  GenesysMediaSchema,
  type GenesysOpenMessage,
  GenesysOpenMessageSchema,
  type GenesysServerMessage,
  GenesysServerMessageSchema,
} from './events.js';
export { selectGenesysMedia } from './media.js';
export {
  GENESYS_DEFAULT_FRAME_MS,
  GENESYS_MAX_BINARY_BYTES,
  type GenesysCallParams,
  GenesysCallParamsSchema,
  type GenesysOptions,
  GenesysOptionsSchema,
  type ResolvedGenesysCallParams,
  type ResolvedGenesysOptions,
} from './options.js';
export {
  GENESYS_CLOCK_SKEW_S,
  GENESYS_SIGNATURE_MAX_AGE_S,
  GENESYS_SIGNED_COMPONENTS,
  type GenesysSignatureRequest,
  verifyGenesysSignature,
} from './signature.js';

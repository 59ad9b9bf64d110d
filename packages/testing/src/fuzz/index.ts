export { describeInvalidFrame } from './frame-check.js';
export {
  type FuzzDeserializeOptions,
  type FuzzFinding,
  type FuzzFindingKind,
  type FuzzReport,
  formatFuzzInput,
  fuzzDeserialize,
} from './fuzz-deserialize.js';
export { type HostileValue, hostileValue } from './hostile-values.js';
export { hostileWireMessage, jsonPaths } from './wire-mutations.js';

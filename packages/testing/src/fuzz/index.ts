export {
  type CapturedLine,
  captureConsole,
  captureLogger,
  findLeaks,
  renderDeep,
  secretForms,
} from './capture.js';
export { describeInvalidFrame } from './frame-check.js';
export {
  type FuzzDeserializeOptions,
  type FuzzFinding,
  type FuzzFindingKind,
  type FuzzReport,
  formatFuzzInput,
  fuzzDeserialize,
} from './fuzz-deserialize.js';
export {
  describeFindings,
  fuzzCarrier,
  fuzzRunsFromEnv,
  harnessSeeds,
  harnessSerializerFactory,
  itFuzzesDeserialize,
} from './harness-fuzz.js';
export { type HostileValue, hostileValue } from './hostile-values.js';
export {
  checkFastPathAgreement,
  describeMediaFastPath,
  type MediaFastPathSpec,
  type SafeParseSchema,
} from './media-fast-path.js';
export {
  DEADLINE_SLACK_MS,
  describeHangUpFaultMatrix,
  expectNoSecretIn,
  FAULT_MATRIX_DEADLINE_MS,
  failureLines,
  HANG_UP_FAULT_CASES,
  type HangUpRun,
  type HangUpScenario,
  runHangUp,
  visibleTexts,
} from './rest-fault-matrix.js';
export { describeSecretsCheck, SECRET_PROBES } from './secrets-check.js';
export { type SlowBodyServer, startSlowBodyServer } from './slow-body-server.js';
export { hostileWireMessage, jsonPaths } from './wire-mutations.js';

export { findAnsweringCarrier } from './answering-carrier.js';
export { createHangUpOnce, requireForAutoHangUp } from './auto-hang-up.js';
export {
  type CallActionAnswer,
  type CallActionResult,
  callActionOverRest,
  callIdProblem,
  defaultCallActionAnswer,
  HANG_UP_BODY_LIMIT,
  type RestCallAction,
  type RestCallActionRequest,
  retryAfterMs,
} from './call-action.js';
export type {
  CallControl,
  HangUpResult,
  SendDtmfResult,
  TransferResult,
  TransferTarget,
} from './call-control.js';
export {
  type CallDirection,
  type CallMetadata,
  type CallMetadataFields,
  callMetadata,
  MAX_CUSTOM_PARAMETERS,
  MAX_METADATA_VALUE_LENGTH,
  parseKeyValuePairs,
  stringEntries,
} from './call-metadata.js';
export {
  canHangUp,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  hangUpOnceFor,
  registerCarrier,
  registeredCarriers,
  resolveCallControl,
} from './container.js';
export { DTMF_DIGITS, type DtmfDigit, isDtmfDigit } from './dtmf.js';
export { CallwireError, type CallwireErrorCode, isCallwireError } from './errors.js';
export {
  type CancelFrame,
  type CheckpointFrame,
  type CheckpointReachedFrame,
  cancelFrame,
  checkpointFrame,
  checkpointReachedFrame,
  type EndFrame,
  endFrame,
  type Frame,
  type FrameType,
  type InputAudioFrame,
  type InputDtmfFrame,
  type InterruptionFrame,
  inputAudioFrame,
  inputDtmfFrame,
  interruptionFrame,
  type OutputAudioFrame,
  type OutputDtmfFrame,
  outputAudioFrame,
  outputDtmfFrame,
  type StartFrame,
  startFrame,
  type TransportMessageFrame,
  transportMessageFrame,
} from './frames.js';
export {
  defaultHangUpAnswer,
  type HangUpAnswer,
  hangUpOverRest,
  type RestHangUp,
  type RestHangUpRequest,
} from './hang-up.js';
export {
  createConsoleLogger,
  isSecretKey,
  LOGGER,
  type LogFn,
  type Logger,
  type LogLevel,
  REDACTED,
  redactSecrets,
  silentLogger,
} from './logger.js';
export { createOnceMemory, type OnceMemory } from './once-memory.js';
export { openingMessage } from './opening-message.js';
export { describeIssues, parseConfig } from './options.js';
export type {
  CallDetection,
  CallInfo,
  CarrierPlugin,
  StreamAuthKind,
  StreamCredentials,
} from './plugin.js';
export { DTMF_SEQUENCE, sendDtmfOverRest } from './send-dtmf.js';
export type { CallAudioFormat, FrameSerializer, WireMessage, WireSerializer } from './serializer.js';
export { streamAuthOf, streamCredentialsOf } from './stream-auth.js';
export type { DeframeResult, StreamDeframer, StreamFraming } from './stream-framing.js';
export { CALL_INFO, callControlToken, type SerializerFactory, serializerFactoryToken } from './tokens.js';
export { isSipTarget, transferCall, transferOverRest, transferTargetProblem } from './transfer.js';
export { createWarnOnce } from './warn-once.js';
export type { AnswerRequest, WebhookRequest, WebhookResponse, WebhookVerdict } from './webhook.js';
export { withAutoHangUp } from './with-auto-hang-up.js';

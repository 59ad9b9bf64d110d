export { findAnsweringCarrier } from './answering-carrier.js';
export { createHangUpOnce, requireForAutoHangUp } from './auto-hang-up.js';
export type { CallControl, HangUpResult } from './call-control.js';
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
  callIdProblem,
  defaultHangUpAnswer,
  HANG_UP_BODY_LIMIT,
  type HangUpAnswer,
  hangUpOverRest,
  type RestHangUp,
  type RestHangUpRequest,
  retryAfterMs,
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
export { openingMessage } from './opening-message.js';
export { describeIssues, parseConfig } from './options.js';
export type { CallDetection, CallInfo, CarrierPlugin } from './plugin.js';
export type { CallAudioFormat, FrameSerializer, WireMessage, WireSerializer } from './serializer.js';
export { CALL_INFO, callControlToken, type SerializerFactory, serializerFactoryToken } from './tokens.js';
export { createWarnOnce } from './warn-once.js';
export type { AnswerRequest, WebhookRequest, WebhookResponse, WebhookVerdict } from './webhook.js';
export { withAutoHangUp } from './with-auto-hang-up.js';

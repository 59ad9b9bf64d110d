export { createHangUpOnce, requireForAutoHangUp } from './auto-hang-up.js';
export { type ByteQueue, createByteQueue } from './byte-queue.js';
export type { CallControl, HangUpResult } from './call-control.js';
export {
  CALL_INFO,
  callControlToken,
  createCallwireContainer,
  createSerializer,
  registerCarrier,
  registeredCarriers,
  resolveCallControl,
  type SerializerFactory,
  serializerFactoryToken,
} from './container.js';
export { DTMF_DIGITS, type DtmfDigit, isDtmfDigit } from './dtmf.js';
export { CallwireError, type CallwireErrorCode, isCallwireError } from './errors.js';
export { isJsonObject, isStringOrFiniteNumber } from './fast-path-checks.js';
export * from './frames.js';
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
export { type InboundMessageSpec, parseInboundMessage, previewValue } from './inbound-message.js';
export { createInboundPcm, type InboundPcm, type PcmDecodeInto } from './inbound-pcm.js';
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
export { describeIssues, parseConfig } from './options.js';
export {
  createOutputAudioConverter,
  downmixToMono,
  type OutputAudioConverter,
  type PcmResampler,
  type PcmResamplerFactory,
} from './output-audio.js';
export { passThroughAtEqualRates } from './pass-through-resampler.js';
export type { CallDetection, CallInfo, CarrierPlugin } from './plugin.js';
export { createScratchBytes, type ScratchBytes } from './scratch-bytes.js';
export type { FrameSerializer, WireMessage } from './serializer.js';
export { createWarnOnce } from './warn-once.js';
export {
  type AnswerRequest,
  findAnsweringCarrier,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookVerdict,
} from './webhook.js';
export { type BatchingSerializer, isBatchingSerializer, serializeAll } from './wire-batch.js';
export { escapeXml } from './xml-escape.js';

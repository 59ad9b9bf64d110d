export type { Call, CallClosed, CallHandler } from './call.js';
export type { CallEndReason } from './call-end-reason.js';
export { createFrameQueue, type FrameDropKind, type FrameQueue } from './frame-queue.js';
export { LIVENESS_PATH, READINESS_PATH, type Readiness } from './health.js';
export type { UpgradeRefusal } from './metrics.js';
export { METRICS_PATH } from './metrics-http.js';
export { type CallServerOptions, type CallServerSettings, CallServerSettingsSchema } from './options.js';
export { createPinoLogger } from './pino-logger.js';
export {
  type HeardItem,
  type InterruptResult,
  PLAYBACK_MARK_INTERVAL_MS,
  PLAYBACK_MARK_PREFIX,
  type PlaybackHandle,
  type PlayedResult,
  type PlayOptions,
} from './playback.js';
export {
  type CallServer,
  type CallServerStats,
  createCallServer,
  type DrainOptions,
} from './server.js';
export { STREAM_SECRET_ENV } from './stream-gate.js';
export {
  DEFAULT_STREAM_TOKEN_TTL_MS,
  MIN_STREAM_SECRET_LENGTH,
  type MintStreamTokenOptions,
  mintStreamToken,
  type ReadStreamToken,
  readStreamToken,
  type StreamTokenClaims,
  streamSecretKey,
  streamUrlWithToken,
} from './stream-token.js';
export { safeHost, streamUrlFor, webhookUrlFor } from './urls.js';

export type { Call, CallClosed, CallEndReason, CallHandler } from './call.js';
export { createFrameQueue, type FrameDropKind, type FrameQueue } from './frame-queue.js';
export { type CallServerOptions, type CallServerSettings, CallServerSettingsSchema } from './options.js';
export { createPinoLogger } from './pino-logger.js';
export { type CallServer, type CallServerStats, createCallServer } from './server.js';
export { safeHost, streamUrlFor, webhookUrlFor } from './urls.js';

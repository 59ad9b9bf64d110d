import type { CallInfo, Logger } from '@callwire/core';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod/v4';
import type { CallHandler } from './call.js';

const urlPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'must be a URL path starting with "/"');

/** The validated numbers and paths of `CallServerOptions`. */
export const CallServerSettingsSchema = z.object({
  /** WebSocket path carriers connect to. @default '/stream' */
  path: urlPath.default('/stream'),
  /** HTTP path serving the carrier's answer document (GET and POST). @default '/answer' */
  answerPath: urlPath.default('/answer'),
  /** The server's public base URL, `https://...` behind a tunnel or proxy; streams then use `wss://`. */
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  /** Carrier whose `answer` hook serves `answerPath`; the first one with the hook when absent. */
  answerCarrier: z.string().min(1).optional(),
  /** Largest WebSocket message accepted (bytes); a bigger one closes that socket with 1009. @default 1 MiB */
  maxPayload: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /**
   * Media sockets open at once (calls and sockets still identifying one); an upgrade beyond it gets 503.
   * Bounds memory and file descriptors under a connection flood. @default 4096
   */
  maxConnections: z.number().int().positive().default(4096),
  /**
   * Media sockets that have not identified a call yet; an upgrade beyond it gets 503. A flood of idle
   * sockets then cannot crowd out real calls (each is also closed after `startTimeoutMs`). @default 1024
   */
  maxUnidentifiedConnections: z.number().int().positive().default(1024),
  /** A socket that identifies no call within this many ms is closed with 1008. @default 10000 */
  startTimeoutMs: z.number().int().positive().default(10_000),
  /** The application's audio rate (Hz): inbound audio frames arrive at it. @default 16000 */
  pipelineSampleRate: z.number().int().positive().default(16_000),
  /** Inbound frames queued for a handler that reads slower than the call talks. @default 256 (about 5 s of 20 ms audio) */
  inboundQueueFrames: z.number().int().positive().default(256),
  /** Outbound bytes a socket may buffer before outbound audio is dropped (logged once per call). @default 1 MiB */
  maxBufferedBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Raw messages awaiting decoding before the socket stops reading (TCP backpressure). @default 512 */
  maxPendingMessages: z.number().int().positive().default(512),
  /** How long `close()` waits for calls to end (hang-ups included) before dropping sockets (ms). @default 10000 */
  shutdownTimeoutMs: z.number().int().positive().default(10_000),
  /**
   * How long `drain()` lets live calls run to their natural end (ms); the calls left then end as
   * `close()` ends them. Keep it below the orchestrator's grace period. @default 300000 (5 min)
   */
  drainTimeoutMs: z.number().int().nonnegative().default(300_000),
  /** How often a drain logs the calls left (ms). @default 5000 */
  drainProgressIntervalMs: z.number().int().positive().default(5000),
  /**
   * Prometheus metrics (prom-client, names `callwire_*`, a registry of this server's own): `true` serves
   * `GET /metrics` on the server's port, `{ port, host? }` on a port of its own (0: any free one, see
   * `CallServer.metricsPort()`), which keeps call counts off the public port. @default false
   */
  metrics: z
    .union([
      z.boolean(),
      z.strictObject({
        port: z.number().int().min(0).max(65_535),
        host: z.string().min(1).optional(),
      }),
    ])
    .default(false),
  /**
   * Check the WebSocket upgrade request's signature headers with the carriers' `verifyWebhook` hooks
   * (against the `ws(s)://` URL called): 401 when missing, 403 when wrong. @default false
   */
  verifyUpgrade: z.boolean().default(false),
  /**
   * Who may open a media stream. On by default: the answer endpoint puts a per-call token in the stream
   * URL's path (`/stream/<token>`, HMAC-SHA256 over carrier, call id and expiry with `secret`), and an
   * upgrade without one gets 401, a wrong, expired or reused one 403; the opening message must then name
   * the token's call. Carriers that declare another `streamAuth` kind (`'signed-upgrade'`, `'basic'`) are
   * let in by their own credentials instead. `secret` (at least 16 characters) defaults to
   * `CALLWIRE_STREAM_SECRET`, else a random one per process (with a warning: instances behind one load
   * balancer must share it). `ttlMs`: how long a minted token stays usable (default 120000).
   * `maxRememberedTokens`: used tokens remembered until they expire (default 100000). `'off'` lets
   * anyone who reaches `path` in (logged at start-up). @default {}
   */
  streamAuth: z
    .union([
      z.literal('off'),
      z.strictObject({
        secret: z.string().min(16, 'must be at least 16 characters').optional(),
        ttlMs: z.number().int().positive().optional(),
        maxRememberedTokens: z.number().int().positive().optional(),
      }),
    ])
    .default({}),
  /**
   * A TCP listener for a carrier that streams over a plain byte stream (its plugin declares
   * `streamFraming`; AudioSocket does), beside the HTTP/WebSocket port, running the same handler.
   * `carrier` picks one when several such carriers are registered. Each message is bounded by
   * `maxPayload`; a connection whose bytes cannot be framed is closed with a log line.
   */
  tcp: z
    .strictObject({
      port: z.number().int().min(0).max(65_535),
      host: z.string().min(1).optional(),
      carrier: z.string().min(1).optional(),
    })
    .optional(),
  /** Largest answer-request body read (bytes); a bigger one gets 413. @default 64 KiB */
  maxAnswerBodyBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024),
});

export type CallServerSettings = z.output<typeof CallServerSettingsSchema>;

/** Paths the server answers itself (probes and metrics); a media or answer path cannot take them. */
export const RESERVED_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

/** The first setting that claims a reserved path, as `field: problem`, or `undefined`. */
export function reservedPathProblem(
  settings: Pick<CallServerSettings, 'path' | 'answerPath'>,
): string | undefined {
  for (const field of ['path', 'answerPath'] as const) {
    if (RESERVED_PATHS.includes(settings[field])) return `${field}: ${settings[field]} is reserved`;
  }
  return undefined;
}

/** Options of `createCallServer`: the container with registered carriers, the handler and settings. */
export interface CallServerOptions extends z.input<typeof CallServerSettingsSchema> {
  /** A container in which carriers are registered (`registerCarrier`). */
  container: DependencyContainer;
  /** Runs once per call; see `Call`. */
  handler: CallHandler;
  /** Server logs; the container's `LOGGER` when absent. */
  logger?: Logger;
  /**
   * Per-call carrier params merged over the detected ones, e.g. `{ autoHangUp: false }` when no
   * credentials are configured.
   */
  callParams?: (carrier: string, call: CallInfo) => Readonly<Record<string, unknown>> | undefined;
}

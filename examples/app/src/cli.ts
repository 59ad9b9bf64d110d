#!/usr/bin/env node
import cluster from 'node:cluster';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isCallwireError, type Logger } from '@callwire/core';
import { createPinoLogger } from '@callwire/server';
import { bots, isBotName } from './bots.js';
import {
  isShutdownRequest,
  MAX_WORKERS,
  parseWorkerCount,
  pickFreePort,
  reportToPrimary,
  runClusterPrimary,
} from './cluster.js';
import { withLogFields } from './log-fields.js';
import { type Serving, startServing } from './serve.js';

export const usage = `Usage: callwire serve [options]

Runs a Callwire call server for Plivo Audio Streams.

Options:
  --port <n>          TCP port to listen on (default 8765; 0 picks a free one)
  --host <address>    address to bind (default: all interfaces)
  --bot <name>        the bot to run: ${Object.keys(bots).join(' | ')} (default echo)
  --path <path>       WebSocket path for media streams (default /stream)
  --answer-path <p>   HTTP path serving the answer XML (default /answer)
  --log-level <lvl>   debug | info | warn | error | silent (default info)
  --workers <n|auto>  processes serving calls on the one port (node:cluster), 1-${MAX_WORKERS} or auto
                      (one per core); each call stays in one process (default 1: no cluster)
  --verify-upgrade    also require a valid X-Plivo-Signature-V3 on each media-stream WebSocket
                      upgrade (needs PLIVO_AUTH_TOKEN; enable only if your Plivo account signs streams)
  --drain-timeout <s> on SIGTERM, refuse new calls (/readyz 503) and let live ones run this many
                      seconds before ending them (default 300; 0 ends them at once). A second
                      SIGTERM, or SIGINT, ends every call at once.
  --metrics           serve Prometheus metrics on GET /metrics on the serve port
  --metrics-port <n>  serve /metrics (and /healthz, /readyz) on port n instead (one process only)
  -h, --help          show this help

Environment:
  PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN   Plivo credentials: hang-ups over REST, and answer requests must
                                    carry a valid X-Plivo-Signature-V3 when the token is set.
                                    Without them calls run with auto hang-up off.
  PUBLIC_URL                        this server's public https URL (e.g. a tunnel), used in the
                                    answer XML (wss://) and to check signatures
  PLIVO_API_BASE_URL                Plivo REST API base URL (default https://api.plivo.com)
`;

const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type CliLogLevel = (typeof logLevels)[number];

/** Parsed `callwire serve` flags. */
export interface ServeFlags {
  readonly port: number;
  readonly host?: string;
  readonly bot: keyof typeof bots;
  readonly path: string;
  readonly answerPath: string;
  readonly logLevel: CliLogLevel;
  /** Worker processes (node:cluster); 1 serves in this process. */
  readonly workers: number;
  /** Require a signed WebSocket upgrade (`--verify-upgrade`). */
  readonly verifyUpgrade: boolean;
  /** How long SIGTERM's drain lets live calls run (s). */
  readonly drainTimeoutSeconds: number;
  /** Prometheus `/metrics`: off, on the serve port, or on a port of its own. */
  readonly metrics: false | 'serve-port' | { readonly port: number };
}

/** Parses the CLI's arguments; `{ error }` names what is wrong, `{ help: true }` asks for usage. */
export function parseServeArgs(args: readonly string[]): ServeFlags | { error: string } | { help: true } {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', default: '8765' },
        host: { type: 'string' },
        bot: { type: 'string', default: 'echo' },
        path: { type: 'string', default: '/stream' },
        'answer-path': { type: 'string', default: '/answer' },
        'log-level': { type: 'string', default: 'info' },
        workers: { type: 'string', default: '1' },
        'verify-upgrade': { type: 'boolean', default: false },
        'drain-timeout': { type: 'string', default: '300' },
        metrics: { type: 'boolean', default: false },
        'metrics-port': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1 || positionals[0] !== 'serve') {
    return {
      error: `expected the command "serve", got ${positionals.length ? positionals.join(' ') : 'none'}`,
    };
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535)
    return { error: `--port must be 0-65535, got ${values.port}` };
  if (!isBotName(values.bot))
    return { error: `--bot must be one of ${Object.keys(bots).join(', ')}, got ${values.bot}` };
  for (const [flag, value] of [
    ['--path', values.path],
    ['--answer-path', values['answer-path']],
  ] as const) {
    if (!value.startsWith('/')) return { error: `${flag} must start with "/", got ${value}` };
  }
  const logLevel = values['log-level'];
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    return { error: `--log-level must be one of ${logLevels.join(', ')}, got ${logLevel}` };
  }
  const workers = parseWorkerCount(values.workers);
  if (workers === undefined) {
    return { error: `--workers must be 1-${MAX_WORKERS} or auto, got ${values.workers}` };
  }
  const drainTimeoutSeconds = Number(values['drain-timeout']);
  if (!/^\d+$/.test(values['drain-timeout']) || drainTimeoutSeconds > 86_400) {
    return { error: `--drain-timeout must be 0-86400 seconds, got ${values['drain-timeout']}` };
  }
  const metricsPortText = values['metrics-port'];
  if (metricsPortText !== undefined && (!/^\d+$/.test(metricsPortText) || Number(metricsPortText) > 65_535)) {
    return { error: `--metrics-port must be 0-65535, got ${metricsPortText}` };
  }
  const metrics =
    metricsPortText !== undefined ? { port: Number(metricsPortText) } : values.metrics && 'serve-port';
  // Workers share one port, so a scrape would see one random worker's counts.
  if (metrics && workers > 1) return { error: '--metrics needs --workers 1: run one process per container' };
  return {
    port,
    ...(values.host ? { host: values.host } : {}),
    bot: values.bot,
    path: values.path,
    answerPath: values['answer-path'],
    logLevel: logLevel as CliLogLevel,
    workers,
    verifyUpgrade: values['verify-upgrade'],
    drainTimeoutSeconds,
    metrics,
  };
}

/** The lines printed once the server listens: the URLs to give Plivo, and what is not configured. */
function banner(
  flags: ServeFlags,
  serving: Pick<Serving, 'port' | 'streamUrl' | 'answerUrl' | 'canHangUp' | 'metricsUrl'>,
  env: NodeJS.ProcessEnv,
): string {
  return [
    `callwire: serving the ${flags.bot} bot on port ${serving.port}`,
    `  media stream URL: ${serving.streamUrl}`,
    `  answer URL:       ${serving.answerUrl}   <- set this as your Plivo application's Answer URL (POST)`,
    ...(flags.workers > 1
      ? [`  workers:          ${flags.workers} processes (node:cluster); each call stays in one of them`]
      : []),
    ...(serving.metricsUrl ? [`  metrics:          ${serving.metricsUrl}`] : []),
    `  probes:           /healthz, /readyz; SIGTERM drains (calls get up to ${flags.drainTimeoutSeconds} s)`,
    ...(env.PUBLIC_URL
      ? []
      : ["  (set PUBLIC_URL to your tunnel's https URL so Plivo can reach this server)"]),
    ...(serving.canHangUp ? [] : ['  (no PLIVO_AUTH_ID/PLIVO_AUTH_TOKEN: calls are not hung up over REST)']),
    env.PLIVO_AUTH_TOKEN
      ? '  answer requests must carry a valid X-Plivo-Signature-V3'
      : '  (no PLIVO_AUTH_TOKEN: answer requests are not signature-checked)',
    '',
  ].join('\n');
}

/** Why the server could not start, naming no secret: CallwireError messages name fields, never values. */
function startFailureText(error: unknown): string {
  return isCallwireError(error)
    ? error.message
    : error instanceof Error && 'code' in error
      ? `${error.name} ${String(error.code)}`
      : 'unexpected error';
}

/**
 * Shutdown requests. SIGTERM (or, in a cluster worker, the primary's request) asks for a drain: no new calls,
 * live ones run to their end. SIGINT, a signal during the drain, or the loss of the primary asks to end every
 * call now (hang-ups included); a signal after that asks to exit at once.
 */
function shutdownRequests(logger: Logger, fromPrimary: boolean) {
  let drain!: () => void;
  let close!: () => void;
  let now!: () => void;
  const drainRequested = new Promise<void>((resolve) => {
    drain = resolve;
  });
  const closeRequested = new Promise<void>((resolve) => {
    close = resolve;
  });
  const immediate = new Promise<void>((resolve) => {
    now = resolve;
  });
  let stage: 'serving' | 'draining' | 'closing' = 'serving';
  const request = (fields: Record<string, unknown>, wants: 'drain' | 'close' | 'escalate') => {
    if (stage === 'serving' && wants === 'drain') {
      stage = 'draining';
      logger.info(fields, 'shutting down: draining (no new calls; live calls run to their end)');
      drain();
    } else if (stage !== 'closing' && wants !== 'drain') {
      stage = 'closing';
      logger.info(fields, 'shutting down: ending every call');
      close();
    } else if (stage === 'closing' && wants === 'escalate') {
      logger.warn(fields, 'second signal: exiting now');
      now();
    }
  };
  const onSignal = (signal: NodeJS.Signals) =>
    request(
      { signal },
      stage === 'closing' ? 'escalate' : signal === 'SIGTERM' && stage === 'serving' ? 'drain' : 'close',
    );
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (fromPrimary) {
    process.on('message', (message: unknown) => {
      if (isShutdownRequest(message)) request({ from: 'primary' }, 'drain');
    });
    // An orphaned worker (its primary was killed) ends its calls instead of lingering.
    process.on('disconnect', () => request({ from: 'primary gone' }, 'close'));
  }
  return { drainRequested, closeRequested, immediate };
}

/** Runs one call server in this process (alone, or as cluster worker `workerId`) until asked to stop. */
async function serveInThisProcess(
  flags: ServeFlags,
  env: NodeJS.ProcessEnv,
  workerId: number | undefined,
): Promise<number> {
  const pino = createPinoLogger({ level: flags.logLevel, name: 'callwire' });
  const logger = workerId === undefined ? pino : withLogFields(pino, { worker: workerId });
  const stop = shutdownRequests(logger, workerId !== undefined);
  let serving: Serving;
  try {
    serving = await startServing({
      handler: bots[flags.bot],
      port: flags.port,
      ...(flags.host ? { host: flags.host } : {}),
      path: flags.path,
      answerPath: flags.answerPath,
      ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
      ...(env.PLIVO_AUTH_ID ? { authId: env.PLIVO_AUTH_ID } : {}),
      ...(env.PLIVO_AUTH_TOKEN ? { authToken: env.PLIVO_AUTH_TOKEN } : {}),
      ...(env.PLIVO_API_BASE_URL ? { apiBaseUrl: env.PLIVO_API_BASE_URL } : {}),
      verifyUpgrade: flags.verifyUpgrade,
      drainTimeoutMs: flags.drainTimeoutSeconds * 1000,
      ...(flags.metrics ? { metrics: flags.metrics === 'serve-port' ? true : flags.metrics } : {}),
      logger,
    });
  } catch (error) {
    const reason = startFailureText(error);
    // A worker's primary prints the reason once, for all workers.
    if (workerId === undefined) process.stderr.write(`callwire: cannot start: ${reason}\n`);
    else await reportToPrimary({ type: 'callwire:failed', reason });
    return 1;
  }
  if (workerId === undefined) process.stdout.write(banner(flags, serving, env));
  else {
    const { port, answerUrl, streamUrl, canHangUp } = serving;
    await reportToPrimary({ type: 'callwire:listening', port, answerUrl, streamUrl, canHangUp });
  }
  const exitNow = stop.immediate.then(() => 1);
  // A close requested during a drain cuts the drain short; either resolves once the server is closed.
  const closed = Promise.race([
    stop.drainRequested.then(() => serving.server.drain()),
    stop.closeRequested.then(() => serving.server.close()),
  ]);
  return Promise.race([
    exitNow,
    closed.then(
      () => 0,
      () => 1,
    ),
  ]);
}

/** The primary of `--workers N`: forks N workers running this file, prints the banner once they all listen. */
async function serveWithWorkers(
  flags: ServeFlags,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const logger = createPinoLogger({ level: flags.logLevel, name: 'callwire' });
  let port = flags.port;
  try {
    // Workers that each listen(0) would get a port each: pick one for all of them.
    if (port === 0) port = await pickFreePort(flags.host);
  } catch (error) {
    process.stderr.write(`callwire: cannot start: ${startFailureText(error)}\n`);
    return 1;
  }
  return runClusterPrimary({
    workers: flags.workers,
    entry: fileURLToPath(import.meta.url),
    // Later flags win: every worker gets the resolved port and worker count.
    args: [...args, '--port', String(port), '--workers', String(flags.workers)],
    logger,
    // Workers drain on the primary's request: give them the drain and the hang-ups after it.
    shutdownDeadlineMs: flags.drainTimeoutSeconds * 1000 + 30_000,
    onListening: (report) => process.stdout.write(banner(flags, report, env)),
    onStartFailure: (reason) => process.stderr.write(`callwire: cannot start: ${reason}\n`),
  });
}

/** Runs `callwire serve` until SIGINT/SIGTERM; returns the process exit code. */
export async function main(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const flags = parseServeArgs(args);
  if ('help' in flags) {
    process.stdout.write(usage);
    return 0;
  }
  if ('error' in flags) {
    process.stderr.write(`callwire: ${flags.error}\n\n${usage}`);
    return 2;
  }
  if (flags.workers === 1) return serveInThisProcess(flags, env, undefined);
  if (cluster.isPrimary) return serveWithWorkers(flags, args, env);
  return serveInThisProcess(flags, env, cluster.worker?.id ?? 0);
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
    // pino writes synchronously to stdout by default; give pending output a tick, then exit.
    setImmediate(() => process.exit(code));
  });
}

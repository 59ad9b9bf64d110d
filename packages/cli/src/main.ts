import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createPinoLogger, STREAM_SECRET_ENV } from '@callwire/server';
import { banner, startFailureText } from './banner.js';
import { type Bots, builtInBots, loadBot } from './bots.js';
import { type AnyCarrierPlugin, discoverCarriers } from './carriers.js';
import { pickFreePort, reportToPrimary, runClusterPrimary } from './cluster.js';
import { parseServeArgs, type ServeFlags, usage } from './flags.js';
import { heldLog } from './held-log.js';
import { withLogFields } from './log-fields.js';
import { type Serving, startServing } from './serve.js';
import { shutdownRequests } from './shutdown.js';

/** What an app embedding `callwire serve` adds to it. */
export interface RunCliOptions {
  /** Bots `--bot <name>` may name, besides the built-in `echo` (same names replace it). */
  readonly bots?: Bots;
  /** The carriers served. @default every carrier this package depends on (`discoverCarriers()`) */
  readonly carriers?: readonly AnyCarrierPlugin[];
  /**
   * The script `--workers N` forks: it must call `runCli` with the same arguments again (each worker gets
   * the primary's arguments). @default `process.argv[1]`, the script this process runs
   */
  readonly workerEntry?: string;
}

interface Context {
  readonly flags: ServeFlags;
  readonly env: NodeJS.ProcessEnv;
  readonly bots: Bots;
  readonly carriers: readonly AnyCarrierPlugin[];
}

/** Runs one call server in this process (alone, or as cluster worker `workerId`) until asked to stop. */
async function serveInThisProcess(context: Context, workerId: number | undefined): Promise<number> {
  const { flags, env } = context;
  // Log lines wait for the banner (or the reason the server could not start).
  const output = heldLog();
  const pino = createPinoLogger({ level: flags.logLevel, name: 'callwire', destination: output });
  const logger = workerId === undefined ? pino : withLogFields(pino, { worker: workerId });
  const stop = shutdownRequests(logger, workerId !== undefined);
  let serving: Serving;
  try {
    serving = await startServing({
      handler: await loadBot(flags.bot, context.bots),
      carriers: context.carriers,
      env,
      port: flags.port,
      ...(flags.host ? { host: flags.host } : {}),
      path: flags.path,
      answerPath: flags.answerPath,
      answerCarrier: flags.answerCarrier,
      ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
      verifyUpgrade: flags.verifyUpgrade,
      streamAuth: flags.streamAuth,
      drainTimeoutMs: flags.drainTimeoutSeconds * 1000,
      ...(flags.metrics ? { metrics: flags.metrics === 'serve-port' ? true : flags.metrics } : {}),
      ...(flags.audioSocketPort !== undefined ? { audioSocketPort: flags.audioSocketPort } : {}),
      logger,
    });
  } catch (error) {
    const reason = startFailureText(error);
    output.release();
    // A worker's primary prints the reason once, for all workers.
    if (workerId === undefined) process.stderr.write(`callwire: cannot start: ${reason}\n`);
    else await reportToPrimary({ type: 'callwire:failed', reason });
    return 1;
  }
  if (workerId === undefined) {
    process.stdout.write(banner(flags, serving, env));
    output.release();
  } else {
    const { port, answerUrl, answerCarrier, streamUrl, carriers, audioSocketPort } = serving;
    await reportToPrimary({
      type: 'callwire:listening',
      port,
      answerUrl,
      ...(answerCarrier ? { answerCarrier } : {}),
      streamUrl,
      carriers,
      ...(audioSocketPort !== undefined ? { audioSocketPort } : {}),
    });
    output.release();
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

/** The primary of `--workers N`: forks N workers running `entry`, prints the banner once they all listen. */
async function serveWithWorkers(
  context: Context,
  args: readonly string[],
  entry: string | undefined,
): Promise<number> {
  const { flags, env } = context;
  const logger = createPinoLogger({ level: flags.logLevel, name: 'callwire' });
  let port = flags.port;
  try {
    if (!entry) throw new Error('no script to fork workers from (process.argv[1])');
    // Workers that each listen(0) would get a port each: pick one for all of them.
    if (port === 0) port = await pickFreePort(flags.host);
    if (flags.streamAuth === 'on' && !env[STREAM_SECRET_ENV]) {
      // Every worker must check the tokens any worker minted: they share one secret (forked workers
      // inherit the environment).
      process.env[STREAM_SECRET_ENV] = randomBytes(32).toString('base64url');
      logger.warn(
        { env: STREAM_SECRET_ENV },
        `stream auth: no secret given, using a random one shared by this process's workers; instances behind one load balancer must share one (set ${STREAM_SECRET_ENV})`,
      );
    }
  } catch (error) {
    process.stderr.write(`callwire: cannot start: ${startFailureText(error)}\n`);
    return 1;
  }
  return runClusterPrimary({
    workers: flags.workers,
    entry,
    // Later flags win: every worker gets the resolved port and worker count.
    args: [...args, '--port', String(port), '--workers', String(flags.workers)],
    logger,
    // Workers drain on the primary's request: give them the drain and the hang-ups after it.
    shutdownDeadlineMs: flags.drainTimeoutSeconds * 1000 + 30_000,
    onListening: (report) => process.stdout.write(banner(flags, report, env)),
    onStartFailure: (reason) => process.stderr.write(`callwire: cannot start: ${reason}\n`),
  });
}

/**
 * Runs `callwire serve` (`args` as given on the command line, `serve` first) until SIGINT/SIGTERM;
 * returns the process exit code: 0 after a clean shutdown, 1 when it could not start, 2 for bad flags.
 */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: RunCliOptions = {},
): Promise<number> {
  const bots = { ...builtInBots, ...options.bots };
  let carriers: readonly AnyCarrierPlugin[];
  try {
    carriers = options.carriers ?? (await discoverCarriers());
  } catch (error) {
    process.stderr.write(`callwire: cannot start: ${startFailureText(error)}\n`);
    return 1;
  }
  const usageText = usage({ botNames: Object.keys(bots), carriers });
  const flags = parseServeArgs(args, Object.keys(bots));
  if ('help' in flags) {
    process.stdout.write(usageText);
    return 0;
  }
  if ('error' in flags) {
    process.stderr.write(`callwire: ${flags.error}\n\n${usageText}`);
    return 2;
  }
  const context: Context = { flags, env, bots, carriers };
  if (flags.workers === 1) return serveInThisProcess(context, undefined);
  if (cluster.isPrimary) return serveWithWorkers(context, args, options.workerEntry ?? process.argv[1]);
  return serveInThisProcess(context, cluster.worker?.id ?? 0);
}

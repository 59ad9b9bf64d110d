import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import type { Logger } from '@callwire/core';
import type { Serving } from './serve.js';

/** The most worker processes `--workers` accepts. */
export const MAX_WORKERS = 256;

/** What a worker tells the primary once its call server listens. */
export interface WorkerListening
  extends Pick<
    Serving,
    'port' | 'answerUrl' | 'answerCarrier' | 'streamUrl' | 'carriers' | 'audioSocketPort'
  > {
  readonly type: 'callwire:listening';
}

/** What a worker tells the primary when its call server cannot start (the reason names no secret). */
export interface WorkerFailed {
  readonly type: 'callwire:failed';
  readonly reason: string;
}

/** A worker's report to the primary, over the cluster's IPC channel. */
export type WorkerReport = WorkerListening | WorkerFailed;

/** What the primary sends a worker to make it end its calls and exit. */
export const SHUTDOWN_REQUEST = { type: 'callwire:shutdown' } as const;

/** True for the primary's shutdown request. */
export function isShutdownRequest(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === SHUTDOWN_REQUEST.type
  );
}

function isWorkerReport(message: unknown): message is WorkerReport {
  if (typeof message !== 'object' || message === null) return false;
  const type = (message as { type?: unknown }).type;
  return type === 'callwire:listening' || type === 'callwire:failed';
}

/** Sends `report` to the primary; resolves once it is written (or could not be: no channel). */
export function reportToPrimary(report: WorkerReport): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(report, undefined, {}, () => resolve());
  });
}

/**
 * Parses `--workers`: a whole number 1-`MAX_WORKERS`, or `auto` (one per core: `availableParallelism()`);
 * `undefined` when the text is neither.
 */
export function parseWorkerCount(text: string, cores: number = availableParallelism()): number | undefined {
  if (text === 'auto') return Math.min(MAX_WORKERS, Math.max(1, cores));
  if (!/^\d+$/.test(text)) return undefined;
  const count = Number(text);
  return count >= 1 && count <= MAX_WORKERS ? count : undefined;
}

/**
 * A TCP port free on `host` right now (the OS picks it). Cluster workers that each `listen(0)` would get a
 * port each, so the primary picks one for all of them.
 */
export function pickFreePort(host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port'));
        else resolve(address.port);
      });
    });
  });
}

/** Wait (ms) before restarting a worker, given how many exited unexpectedly in the last minute: 1 s, 2 s, 4 s, … 30 s. */
export function restartDelayMs(recentExits: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, recentExits - 1));
}

/** Options of `runClusterPrimary`. */
export interface ClusterPrimaryOptions {
  readonly workers: number;
  /** The file each worker runs (the compiled CLI) and the arguments its `main` gets (`--port` already fixed). */
  readonly entry: string;
  readonly args: readonly string[];
  /** The primary's own log lines (worker start, exit, restart, shutdown); every one names the worker concerned. */
  readonly logger: Logger;
  /** Called once, when every worker of the first generation listens. */
  readonly onListening: (report: WorkerListening) => void;
  /** Called once when a worker exits before the server ever listened; the primary then stops and returns 1. */
  readonly onStartFailure: (reason: string) => void;
  /** Wait (ms) before restarting a worker that exited unexpectedly. Default `restartDelayMs`. */
  readonly restartDelay?: (recentExits: number) => number;
  /** After a shutdown request, how long (ms) workers get before they are killed. Default 20000. */
  readonly shutdownDeadlineMs?: number;
}

/**
 * The primary of `callwire serve --workers N`: forks N workers that each run the unchanged call server on the
 * same port (the primary accepts connections and hands each one, i.e. each call, to one worker for its whole
 * life), restarts a worker that dies unexpectedly (after `restartDelay`, growing while it keeps dying), and on
 * SIGINT/SIGTERM asks every worker to end its calls (hang-ups included). Resolves with the exit code: 0 when
 * every worker exited cleanly after a shutdown, else 1. A second signal kills the workers at once.
 */
export function runClusterPrimary(options: ClusterPrimaryOptions): Promise<number> {
  const { logger } = options;
  const restartDelay = options.restartDelay ?? restartDelayMs;
  const live = new Map<number, Worker>();
  const listening = new Set<number>();
  const restartTimers = new Set<NodeJS.Timeout>();
  const unexpectedExits: number[] = [];
  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  let failed = false;
  let signals = 0;
  let startFailure: string | undefined;
  let killTimer: NodeJS.Timeout | undefined;

  cluster.setupPrimary({ exec: options.entry, args: [...options.args] });

  return new Promise<number>((resolve) => {
    const finish = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (killTimer) clearTimeout(killTimer);
      resolve(failed ? 1 : 0);
    };

    const fork = () => {
      const worker = cluster.fork();
      live.set(worker.id, worker);
      worker.on('message', (message: unknown) => onReport(worker, message));
      worker.on('error', (error: NodeJS.ErrnoException) =>
        logger.warn({ worker: worker.id, code: error.code }, 'worker IPC error'),
      );
      // 'close' comes after the IPC channel is drained: a failure report always arrives before it.
      worker.process.once('close', (code: number | null, signal: NodeJS.Signals | null) =>
        onExit(worker, code, signal),
      );
    };

    const onReport = (worker: Worker, message: unknown) => {
      if (!isWorkerReport(message)) return;
      if (message.type === 'callwire:failed') {
        startFailure ??= message.reason;
        return;
      }
      listening.add(worker.id);
      logger.info(
        { worker: worker.id, workerPid: worker.process.pid, port: message.port },
        'worker listening',
      );
      if (phase === 'starting' && listening.size === options.workers) {
        phase = 'running';
        options.onListening(message);
      }
    };

    const askToShutdown = (worker: Worker) => {
      if (worker.isConnected()) worker.send(SHUTDOWN_REQUEST, undefined, () => {});
      else worker.process.kill('SIGTERM');
    };

    const stopAll = () => {
      if (phase === 'stopping') return;
      phase = 'stopping';
      for (const timer of restartTimers) clearTimeout(timer);
      restartTimers.clear();
      for (const worker of live.values()) askToShutdown(worker);
      killTimer = setTimeout(() => {
        failed = true;
        logger.error({ workers: [...live.keys()] }, 'workers did not exit in time: killing them');
        for (const worker of live.values()) worker.process.kill('SIGKILL');
      }, options.shutdownDeadlineMs ?? 20_000);
    };

    const onExit = (worker: Worker, code: number | null, signal: NodeJS.Signals | null) => {
      live.delete(worker.id);
      listening.delete(worker.id);
      if (phase === 'stopping') {
        if (code !== 0) failed = true;
        logger.info({ worker: worker.id, workerPid: worker.process.pid, code, signal }, 'worker exited');
        if (live.size === 0) finish();
        return;
      }
      if (phase === 'starting') {
        // Same port, same configuration: the other workers cannot start either.
        failed = true;
        options.onStartFailure(
          startFailure ?? `worker ${worker.id} exited (${signal ?? code}) before listening`,
        );
        stopAll();
        if (live.size === 0) finish();
        return;
      }
      const now = Date.now();
      unexpectedExits.push(now);
      while ((unexpectedExits[0] ?? now) < now - 60_000) unexpectedExits.shift();
      const delayMs = restartDelay(unexpectedExits.length);
      logger.error(
        { worker: worker.id, workerPid: worker.process.pid, code, signal, restartInMs: delayMs },
        'worker exited unexpectedly: restarting it',
      );
      const timer = setTimeout(() => {
        restartTimers.delete(timer);
        if (phase === 'running') fork();
      }, delayMs);
      restartTimers.add(timer);
    };

    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals === 1) {
        logger.info({ signal, workers: live.size }, 'shutting down: every worker ends its calls');
        stopAll();
        if (live.size === 0) finish();
        return;
      }
      failed = true;
      logger.warn({ signal, workers: [...live.keys()] }, 'second signal: killing the workers now');
      for (const worker of live.values()) worker.process.kill('SIGKILL');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    for (let i = 0; i < options.workers; i++) fork();
  });
}

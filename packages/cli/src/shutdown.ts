import type { Logger } from '@callwire/core';
import { isShutdownRequest } from './cluster.js';

/** Promises that resolve as shutdown is asked for, stage by stage. */
export interface ShutdownRequests {
  /** SIGTERM (or the primary's request): no new calls, live ones run to their end. */
  readonly drainRequested: Promise<void>;
  /** End every call now (hang-ups included). */
  readonly closeRequested: Promise<void>;
  /** Exit at once. */
  readonly immediate: Promise<void>;
}

/**
 * Shutdown requests. SIGTERM (or, in a cluster worker, the primary's request) asks for a drain: no new calls,
 * live ones run to their end. SIGINT, a signal during the drain, or the loss of the primary asks to end every
 * call now (hang-ups included); a signal after that asks to exit at once.
 */
export function shutdownRequests(logger: Logger, fromPrimary: boolean): ShutdownRequests {
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

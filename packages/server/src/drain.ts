import type { Logger } from '@callwire/core';

/** How a drain's wait ended. */
export type DrainOutcome =
  /** Every call ended on its own. */
  | 'drained'
  /** `timeoutMs` passed with calls left. */
  | 'timed-out'
  /** Someone asked to stop at once (`close()`, a second signal). */
  | 'cancelled';

/** A running wait for live calls to end. */
export interface DrainWait {
  readonly done: Promise<DrainOutcome>;
  /** Re-checks `remaining()`; call it whenever a call or socket goes away. */
  check(): void;
  /** Stops waiting now (`done` resolves `cancelled`). */
  cancel(): void;
}

/**
 * Waits until `remaining()` (calls, plus sockets that will become calls) is 0, or `timeoutMs` passes, or
 * `cancel()`. Logs the start, the calls left every `progressIntervalMs`, and the outcome, so an operator
 * watching a rolling deploy sees it move.
 */
export function waitForCallsToEnd(options: {
  remaining: () => number;
  timeoutMs: number;
  progressIntervalMs: number;
  logger: Logger;
}): DrainWait {
  const { remaining, logger } = options;
  const startedAt = Date.now();
  let settle: (outcome: DrainOutcome) => void = () => {};
  const done = new Promise<DrainOutcome>((resolve) => {
    settle = resolve;
  });
  let finished = false;

  function finish(outcome: DrainOutcome): void {
    if (finished) return;
    finished = true;
    clearTimeout(deadline);
    clearInterval(progress);
    const fields = { callsLeft: remaining(), elapsedMs: Date.now() - startedAt };
    if (outcome === 'drained') logger.info(fields, 'drained: every call ended');
    else if (outcome === 'timed-out') logger.warn(fields, 'drain timed out: ending the calls left');
    else logger.warn(fields, 'drain cut short: ending the calls left now');
    settle(outcome);
  }

  function check(): void {
    if (!finished && remaining() === 0) finish('drained');
  }

  logger.info(
    { callsLeft: remaining(), timeoutMs: options.timeoutMs },
    'draining: refusing new calls, live ones run to their end',
  );
  const deadline = setTimeout(() => finish('timed-out'), options.timeoutMs);
  const progress = setInterval(
    () => logger.info({ callsLeft: remaining(), elapsedMs: Date.now() - startedAt }, 'draining'),
    options.progressIntervalMs,
  );
  check();
  return { done, check, cancel: () => finish('cancelled') };
}

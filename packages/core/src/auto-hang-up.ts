import { callIdProblem } from './call-action.js';
import type { CallControl, HangUpResult } from './call-control.js';
import { CallwireError } from './errors.js';
import type { Logger } from './logger.js';

/**
 * Throws one `CONFIG` error naming every empty field of `required` (`callId`, credentials, ...)
 * when auto hang-up is on: `[acme] auto hang-up needs callId, authToken (...)`. Values are never echoed.
 * A `callId` that is present must also be safe to put in a REST path (`callIdProblem`).
 */
export function requireForAutoHangUp(carrier: string, required: Readonly<Record<string, unknown>>): void {
  const missing = Object.entries(required)
    .filter(([, value]) => value === undefined || value === null || value === '')
    .map(([field]) => field);
  if (missing.length > 0) {
    throw new CallwireError(
      'CONFIG',
      `[${carrier}] auto hang-up needs ${missing.join(', ')} (provide them, or set params.autoHangUp: false)`,
    );
  }
  if ('callId' in required) {
    const problem = callIdProblem(required.callId);
    if (problem !== undefined) throw new CallwireError('CONFIG', `[${carrier}] invalid callId: ${problem}`);
  }
}

/**
 * A function that hangs the call up the first time it is called and does nothing after that, nor
 * when `enabled` is false or there is no `callId`. Never throws, even if a user's `CallControl` does.
 */
export function createHangUpOnce(options: {
  readonly carrier: string;
  readonly control: CallControl;
  readonly callId: string | undefined;
  readonly enabled: boolean;
  readonly logger: Logger;
}): () => Promise<HangUpResult | undefined> {
  let started = false;
  return async () => {
    if (!options.enabled || started || options.callId === undefined) return undefined;
    started = true;
    try {
      return await options.control.hangUp(options.callId);
    } catch (error) {
      const reason = `hang-up threw: ${error instanceof Error ? error.message : String(error)}`;
      try {
        options.logger.error({ callId: options.callId }, `[${options.carrier}] ${reason}`);
      } catch {
        // A throwing logger must not turn a hang-up into an exception.
      }
      return { outcome: 'failed', reason };
    }
  };
}

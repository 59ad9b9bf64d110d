import { type CallControl, type HangUpResult, hangUpOverRest, type Logger } from '@callwire/core';
import type { ResolvedPlivoOptions } from './options.js';

/**
 * Ends Plivo calls: `DELETE {apiBaseUrl}/v1/Account/{authId}/Call/{callId}/` with basic auth.
 * 204 means ended, 404 already ended; the retry and deadline policy is core's `hangUpOverRest`.
 * One per container, shared by every call.
 */
export class PlivoCallControl implements CallControl {
  readonly carrier = 'plivo';

  constructor(
    private readonly options: Pick<
      ResolvedPlivoOptions,
      'authId' | 'authToken' | 'apiBaseUrl' | 'hangUpTimeoutMs'
    >,
    private readonly logger: Logger,
  ) {}

  /** Hangs up `callId` within `hangUpTimeoutMs` ms; never throws. */
  async hangUp(callId: string): Promise<HangUpResult> {
    const { authId, authToken, apiBaseUrl, hangUpTimeoutMs } = this.options;
    if (!authId || !authToken) {
      const reason = 'refused: authId and authToken are needed to hang up';
      this.logger.error({ callId }, `[plivo] hang-up failed: ${reason}`);
      return { outcome: 'failed', reason };
    }
    const credentials = Buffer.from(`${authId}:${authToken}`, 'utf8').toString('base64');
    const authorization = `Basic ${credentials}`;
    return hangUpOverRest({
      carrier: this.carrier,
      callId,
      logger: this.logger,
      deadlineMs: hangUpTimeoutMs,
      secrets: [authToken, credentials],
      // Plivo's API without a call id hangs up every call on the account: core refuses an empty
      // or malformed id before this runs.
      request: (encodedCallId) => ({
        method: 'DELETE',
        url: `${apiBaseUrl}/v1/Account/${authId}/Call/${encodedCallId}/`,
        headers: { authorization },
      }),
    });
  }
}

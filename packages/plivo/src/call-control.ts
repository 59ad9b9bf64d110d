import {
  type CallControl,
  type HangUpResult,
  hangUpOverRest,
  type Logger,
  type TransferResult,
  type TransferTarget,
  transferOverRest,
} from '@callwire/core';
import type { ResolvedPlivoOptions } from './options.js';
import { plivoTransferUrl } from './transfer.js';

/**
 * Ends Plivo calls: `DELETE {apiBaseUrl}/v1/Account/{authId}/Call/{callId}/` with basic auth.
 * 204 means ended, 404 already ended; the retry and deadline policy is core's `hangUpOverRest`.
 * Transfers them with the Transfer API (`POST` to the same URL, `legs=aleg` and an `aleg_url` that
 * serves `<Dial>`). DTMF goes on the stream (`sendDTMF`), so there is no REST `sendDtmf` here.
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

  /**
   * Transfers `callId` to `target` within `hangUpTimeoutMs` ms: `POST …/Call/{callId}/` with
   * `{ legs: 'aleg', aleg_url, aleg_method: 'POST' }` (Plivo answers 202). `aleg_url` is the server's
   * answer URL (`target.answerUrl`) with the signed target, where the answer hook serves `<Dial>`.
   * Never throws.
   */
  async transfer(callId: string, target: TransferTarget): Promise<TransferResult> {
    const { authId, authToken, apiBaseUrl, hangUpTimeoutMs } = this.options;
    const missing =
      !authId || !authToken ? 'authId and authToken' : !target.answerUrl ? 'answerUrl' : undefined;
    if (missing !== undefined || !authId || !authToken || !target.answerUrl) {
      const reason = `refused: a transfer needs ${missing} (the server sets answerUrl from its publicUrl)`;
      try {
        this.logger.error({ callId }, `[plivo] transfer failed: ${reason}`);
      } catch {
        // A throwing logger must not turn a transfer into an exception.
      }
      return { outcome: 'failed', reason };
    }
    const credentials = Buffer.from(`${authId}:${authToken}`, 'utf8').toString('base64');
    const alegUrl = plivoTransferUrl(target.answerUrl, target, authToken);
    return transferOverRest({
      carrier: this.carrier,
      callId,
      logger: this.logger,
      deadlineMs: hangUpTimeoutMs,
      secrets: [authToken, credentials],
      request: (encodedCallId) => ({
        method: 'POST',
        url: `${apiBaseUrl}/v1/Account/${authId}/Call/${encodedCallId}/`,
        headers: { authorization: `Basic ${credentials}` },
        json: { legs: 'aleg', aleg_url: alegUrl, aleg_method: 'POST' },
      }),
    });
  }
}

import {
  type CallControl,
  type HangUpResult,
  hangUpOverRest,
  type Logger,
  type RestCallAction,
  type RestCallActionRequest,
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
    // Plivo's API without a call id hangs up every call on the account: core refuses an empty or
    // malformed id before any request is made.
    const action = this.callRequest(callId, 'hang-up', undefined, () => ({ method: 'DELETE' }));
    if ('reason' in action) return { outcome: 'failed', reason: action.reason };
    return hangUpOverRest(action);
  }

  /**
   * Transfers `callId` to `target` within `hangUpTimeoutMs` ms: `POST …/Call/{callId}/` with
   * `{ legs: 'aleg', aleg_url, aleg_method: 'POST' }` (Plivo answers 202). `aleg_url` is the server's
   * answer URL (`target.answerUrl`) with the signed target, where the answer hook serves `<Dial>`.
   * Never throws.
   */
  async transfer(callId: string, target: TransferTarget): Promise<TransferResult> {
    const { answerUrl } = target;
    const action = this.callRequest(callId, 'transfer', answerUrl ? undefined : 'answerUrl', (authToken) => ({
      method: 'POST',
      json: {
        legs: 'aleg',
        aleg_url: plivoTransferUrl(answerUrl ?? '', target, authToken),
        aleg_method: 'POST',
      },
    }));
    if ('reason' in action) return { outcome: 'failed', reason: action.reason };
    return transferOverRest(action);
  }

  /**
   * An action on `…/Account/{authId}/Call/{callId}/` as core's REST runner takes it, or why it cannot be
   * made (missing credentials, or the `missing` field the action needs; logged here once).
   */
  private callRequest(
    callId: string,
    action: 'hang-up' | 'transfer',
    missing: string | undefined,
    request: (authToken: string) => Pick<RestCallActionRequest, 'method' | 'json'>,
  ):
    | Pick<RestCallAction, 'carrier' | 'callId' | 'logger' | 'deadlineMs' | 'secrets' | 'request'>
    | { readonly reason: string } {
    const { authId, authToken, apiBaseUrl, hangUpTimeoutMs } = this.options;
    const lacking = !authId || !authToken ? 'authId and authToken' : missing;
    if (lacking !== undefined || !authId || !authToken) {
      const reason =
        action === 'hang-up'
          ? `refused: ${lacking} are needed to hang up`
          : `refused: a transfer needs ${lacking} (the server sets answerUrl from its publicUrl)`;
      try {
        this.logger.error({ callId }, `[plivo] ${action} failed: ${reason}`);
      } catch {
        // A throwing logger must not turn a call action into an exception.
      }
      return { reason };
    }
    const credentials = Buffer.from(`${authId}:${authToken}`, 'utf8').toString('base64');
    const fields = request(authToken);
    return {
      carrier: this.carrier,
      callId,
      logger: this.logger,
      deadlineMs: hangUpTimeoutMs,
      secrets: [authToken, credentials],
      request: (encodedCallId) => ({
        ...fields,
        url: `${apiBaseUrl}/v1/Account/${authId}/Call/${encodedCallId}/`,
        headers: { authorization: `Basic ${credentials}` },
      }),
    };
  }
}

import { type CallControl, type HangUpResult, hangUpOverRest, type Logger } from '@callwire/core';
import type { ResolvedTwilioOptions } from './options.js';

/**
 * Ends Twilio calls by updating them to `Status=completed`:
 * `POST {apiBaseUrl}/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json`, form body, basic auth
 * `accountSid:authToken`. 2xx → `ended`; 404 (Twilio code 20404, the call is gone) → `already-ended`;
 * anything else → `failed`. Retries, the deadline and never throwing come from core's `hangUpOverRest`.
 * Sources: pipecat-ai/pipecat src/pipecat/serializers/twilio.py `_hang_up_call` (endpoint, form body,
 * basic auth; 200 ok, 404 + code 20404 already ended) and pipecat issue #2145 (the 404/20404 body Twilio
 * returns when the caller hung up first).
 */
export class TwilioCallControl implements CallControl {
  readonly carrier = 'twilio';

  constructor(
    private readonly options: ResolvedTwilioOptions,
    private readonly logger: Logger,
  ) {}

  /** Hangs up `callSid` within `hangUpTimeoutMs` ms; never throws. */
  async hangUp(callSid: string): Promise<HangUpResult> {
    const { accountSid, authToken, apiBaseUrl, hangUpTimeoutMs } = this.options;
    const missing = [accountSid ? undefined : 'accountSid', authToken ? undefined : 'authToken'].filter(
      (field): field is string => field !== undefined,
    );
    if (accountSid === undefined || authToken === undefined) {
      const reason = `hang-up needs ${missing.join(', ')}`;
      try {
        this.logger.error({ callId: callSid }, `[twilio] hang-up failed: ${reason}`);
      } catch {
        // A throwing logger must not turn a hang-up into an exception.
      }
      return { outcome: 'failed', reason };
    }
    const credential = Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64');
    const authorization = `Basic ${credential}`;
    return hangUpOverRest({
      carrier: this.carrier,
      callId: callSid,
      logger: this.logger,
      deadlineMs: hangUpTimeoutMs,
      // The token, and the basic credential an error body might echo (alone or in the header).
      secrets: [authToken, authorization, credential],
      request: (encodedCallSid) => ({
        method: 'POST',
        url: `${apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Calls/${encodedCallSid}.json`,
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ Status: 'completed' }).toString(),
      }),
    });
  }
}

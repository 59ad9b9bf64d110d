import {
  type CallControl,
  type HangUpResult,
  hangUpOverRest,
  isSipTarget,
  type Logger,
  type RestCallAction,
  type TransferResult,
  type TransferTarget,
  transferOverRest,
} from '@callwire/core';
import { escapeXml } from '@callwire/kit';
import type { ResolvedTwilioOptions } from './options.js';

/**
 * Ends Twilio calls by updating them to `Status=completed`:
 * `POST {apiBaseUrl}/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json`, form body, basic auth
 * `accountSid:authToken`. 2xx → `ended`; 404 (Twilio code 20404, the call is gone) → `already-ended`;
 * anything else → `failed`. Retries, the deadline and never throwing come from core's `hangUpOverRest`.
 * Sources: pipecat-ai/pipecat src/pipecat/serializers/twilio.py `_hang_up_call` (endpoint, form body,
 * basic auth; 200 ok, 404 + code 20404 already ended) and pipecat issue #2145 (the 404/20404 body Twilio
 * returns when the caller hung up first).
 *
 * Transfers them by updating the call with `<Dial>` TwiML (the `Twiml` parameter replaces the TwiML the
 * call runs, which also ends its `<Connect><Stream>`: twilio.com/docs/voice/tutorials/how-to-modify-
 * calls-in-progress). DTMF is not sent this way: `<Play digits>` through a call update would end the
 * media stream too, so Twilio calls get in-band tones on the stream instead (no `sendDtmf` here).
 */
export class TwilioCallControl implements CallControl {
  readonly carrier = 'twilio';

  constructor(
    private readonly options: ResolvedTwilioOptions,
    private readonly logger: Logger,
  ) {}

  /** Hangs up `callSid` within `hangUpTimeoutMs` ms; never throws. */
  async hangUp(callSid: string): Promise<HangUpResult> {
    const update = this.callUpdate(callSid, 'hang-up', { Status: 'completed' });
    if ('reason' in update) return { outcome: 'failed', reason: update.reason };
    return hangUpOverRest(update);
  }

  /**
   * Transfers `callSid` to `target` within `hangUpTimeoutMs` ms: the same call update with
   * `Twiml=<Response><Dial callerId="…"><Number>…</Number></Dial></Response>` (`<Sip>` for a SIP URI).
   * Never throws.
   */
  async transfer(callSid: string, target: TransferTarget): Promise<TransferResult> {
    const update = this.callUpdate(callSid, 'transfer', { Twiml: twilioDialTwiml(target) });
    if ('reason' in update) return { outcome: 'failed', reason: update.reason };
    return transferOverRest(update);
  }

  /**
   * The call update (`POST …/Calls/{callSid}.json` with `form`) as core's REST runner takes it, or why it
   * cannot be made (missing credentials, logged here once; a throwing logger is ignored).
   */
  private callUpdate(
    callSid: string,
    action: 'hang-up' | 'transfer',
    form: Record<string, string>,
  ):
    | Pick<RestCallAction, 'carrier' | 'callId' | 'logger' | 'deadlineMs' | 'secrets' | 'request'>
    | { readonly reason: string } {
    const { accountSid, authToken, apiBaseUrl, hangUpTimeoutMs } = this.options;
    if (accountSid === undefined || authToken === undefined) {
      const missing = [accountSid ? undefined : 'accountSid', authToken ? undefined : 'authToken'];
      const reason = `${action} needs ${missing.filter((field) => field !== undefined).join(', ')}`;
      try {
        this.logger.error({ callId: callSid }, `[twilio] ${action} failed: ${reason}`);
      } catch {
        // A throwing logger must not turn a call action into an exception.
      }
      return { reason };
    }
    const credential = Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64');
    const authorization = `Basic ${credential}`;
    return {
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
        body: new URLSearchParams(form).toString(),
      }),
    };
  }
}

/** TwiML that connects the call to `target`: `<Dial>` with `<Number>`, or `<Sip>` for a SIP URI. */
export function twilioDialTwiml(target: TransferTarget): string {
  const callerId = target.from === undefined ? '' : ` callerId="${escapeXml(target.from)}"`;
  const endpoint = isSipTarget(target.to)
    ? `<Sip>${escapeXml(target.to)}</Sip>`
    : `<Number>${escapeXml(target.to)}</Number>`;
  return `<Response><Dial${callerId}>${endpoint}</Dial></Response>`;
}

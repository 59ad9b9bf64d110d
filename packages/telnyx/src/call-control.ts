import {
  type CallActionAnswer,
  type CallControl,
  type HangUpAnswer,
  hangUpOverRest,
  type Logger,
  type RestCallActionRequest,
  type SendDtmfResult,
  sendDtmfOverRest,
  type TransferResult,
  type TransferTarget,
  transferOverRest,
} from '@callwire/core';
import { parseJson } from './events.js';
import type { ResolvedTelnyxOptions } from './options.js';

/** Telnyx's error code for a command sent to a call that is over ("Call has already ended"). */
// Source: pipecat-ai/pipecat src/pipecat/serializers/telnyx.py, citing developers.telnyx.com/api/errors/90018.
export const TELNYX_CALL_ENDED_CODE = '90018';

/**
 * 2xx → `ended`; 422 whose `errors[].code` is 90018 → `already-ended`; anything else (another 422,
 * 404, 401, ...) → `failed`. Telnyx sends error codes as strings; numbers are accepted too.
 */
export function classifyTelnyxHangUp(status: number, body: string): HangUpAnswer {
  if (status >= 200 && status < 300) return 'ended';
  if (status !== 422) return 'failed';
  const errors = (parseJson(body) as { errors?: unknown } | null | undefined)?.errors;
  const codes = Array.isArray(errors)
    ? errors.map((error) => String((error as { code?: unknown } | null)?.code))
    : [];
  return codes.includes(TELNYX_CALL_ENDED_CODE) ? 'already-ended' : 'failed';
}

/** A call-action answer: 2xx done; 422 with code 90018 (the call is over) gone; anything else failed. */
function classifyTelnyxAction(status: number, body: string): CallActionAnswer {
  const answer = classifyTelnyxHangUp(status, body);
  return answer === 'ended' ? 'done' : answer === 'already-ended' ? 'gone' : 'failed';
}

/**
 * Ends Telnyx calls: `POST {apiBaseUrl}/v2/calls/{call_control_id}/actions/hangup` with
 * `Authorization: Bearer {apiKey}` and an empty JSON body. Retries, the deadline and never throwing
 * come from core's `hangUpOverRest`. Sources: pipecat-ai/pipecat src/pipecat/serializers/telnyx.py
 * `_hang_up_call` (endpoint, bearer key; 200 ok, 422 + 90018 ended) and pipecat PR #2054 (the 422/90018 body
 * Telnyx returns when the caller hung up first); Call Control commands share the `/v2/calls/{id}/actions/*`
 * form and bearer auth (developers.telnyx.com/docs/voice/programmable-voice/media-streaming, `answer`).
 * Transfers them with the `transfer` command (`{ to, from? }`) and plays keys with `send_dtmf`
 * (`{ digits, duration_millis }`), both under the same policy (developers.telnyx.com/api-reference/
 * call-commands/transfer-call and …/send-dtmf). Neither interrupts the media stream.
 */
export class TelnyxCallControl implements CallControl {
  readonly carrier = 'telnyx';

  constructor(
    private readonly options: Pick<ResolvedTelnyxOptions, 'apiKey' | 'apiBaseUrl' | 'hangUpTimeoutMs'>,
    private readonly logger: Logger,
  ) {}

  /** Hangs up `callControlId` within `hangUpTimeoutMs` ms; never throws. */
  async hangUp(callControlId: string): ReturnType<CallControl['hangUp']> {
    const { apiKey, apiBaseUrl, hangUpTimeoutMs } = this.options;
    if (!apiKey) {
      const reason = 'refused: apiKey is needed to hang up';
      try {
        this.logger.error({ callId: callControlId }, `[telnyx] hang-up failed: ${reason}`);
      } catch {
        // A throwing logger must not turn a hang-up into an exception.
      }
      return { outcome: 'failed', reason };
    }
    const authorization = `Bearer ${apiKey}`;
    return hangUpOverRest({
      carrier: this.carrier,
      callId: callControlId,
      logger: this.logger,
      deadlineMs: hangUpTimeoutMs,
      secrets: [apiKey, authorization],
      classify: classifyTelnyxHangUp,
      // Call control ids look like `v3:…`; ':' is legal in a path segment and Telnyx's own SDK
      // (Stainless `encodeURIPath`) leaves it unescaped, so we do too.
      request: (encodedId) => ({
        method: 'POST',
        url: `${apiBaseUrl}/v2/calls/${encodedId.replaceAll('%3A', ':')}/actions/hangup`,
        headers: { authorization, accept: 'application/json' },
        json: {},
      }),
    });
  }

  /** The `POST …/v2/calls/{id}/actions/{action}` request with `json`, or the reason it cannot be made. */
  private action(
    action: string,
    json: unknown,
  ): { request: (encodedId: string) => RestCallActionRequest; secrets: string[] } | undefined {
    const { apiKey, apiBaseUrl } = this.options;
    if (!apiKey) return undefined;
    const authorization = `Bearer ${apiKey}`;
    return {
      secrets: [apiKey, authorization],
      request: (encodedId) => ({
        method: 'POST',
        url: `${apiBaseUrl}/v2/calls/${encodedId.replaceAll('%3A', ':')}/actions/${action}`,
        headers: { authorization, accept: 'application/json' },
        json,
      }),
    };
  }

  /** Transfers `callControlId` to `target` (`to` in E.164 or a SIP URI); never throws. */
  async transfer(callControlId: string, target: TransferTarget): Promise<TransferResult> {
    const spec = this.action('transfer', { to: target.to, ...(target.from ? { from: target.from } : {}) });
    if (spec === undefined) {
      const reason = 'refused: apiKey is needed to transfer';
      try {
        this.logger.error({ callId: callControlId }, `[telnyx] transfer failed: ${reason}`);
      } catch {
        // A throwing logger must not turn a transfer into an exception.
      }
      return { outcome: 'failed', reason };
    }
    return transferOverRest({
      carrier: this.carrier,
      callId: callControlId,
      logger: this.logger,
      deadlineMs: this.options.hangUpTimeoutMs,
      classify: classifyTelnyxAction,
      ...spec,
    });
  }

  /**
   * Plays `digits` into the call with `send_dtmf`, 100 ms a key (Telnyx's range is 100-500 ms, default
   * 250: the shortest keeps a long sequence quick and is still well above what receivers need).
   * Without an API key: `unsupported`, so the server sends the keys in band instead. Never throws.
   */
  async sendDtmf(callControlId: string, digits: string): Promise<SendDtmfResult> {
    const spec = this.action('send_dtmf', { digits, duration_millis: 100 });
    if (spec === undefined) return { outcome: 'unsupported', reason: 'no apiKey for send_dtmf' };
    return sendDtmfOverRest({
      carrier: this.carrier,
      callId: callControlId,
      logger: this.logger,
      deadlineMs: this.options.hangUpTimeoutMs,
      classify: classifyTelnyxAction,
      ...spec,
    });
  }
}

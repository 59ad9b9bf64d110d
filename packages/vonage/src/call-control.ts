import { createPrivateKey, type KeyObject } from 'node:crypto';
import type {
  CallControl,
  HangUpAnswer,
  HangUpResult,
  Logger,
  RestCallActionRequest,
  SendDtmfResult,
  TransferResult,
  TransferTarget,
} from '@callwire/core';
import { hangUpOverRest, isSipTarget, sendDtmfOverRest, transferOverRest } from '@callwire/core';
import { signVonageJwt } from './jwt.js';
import type { ResolvedVonageOptions } from './options.js';

/**
 * What a Voice API answer to `PUT /v1/calls/{uuid}` means. The API spec (github.com/Nexmo/
 * api-specification `definitions/voice.yml`, operation `updateCall`) lists 204 No Content, 401 and
 * 404; a call that has ended is no longer found (404), which is also how the fake API and other
 * integrations read it. 410 Gone is treated the same way (unconfirmed: not in the spec).
 */
export function vonageHangUpAnswer(status: number): HangUpAnswer {
  if (status >= 200 && status < 300) return 'ended';
  if (status === 404 || status === 410) return 'already-ended';
  return 'failed';
}

/**
 * Ends Vonage calls: `PUT {apiBaseUrl}/v1/calls/{uuid}` with JSON `{"action":"hangup"}` and
 * `Authorization: Bearer <application JWT>` (vonage-node-sdk `Voice.hangupCall` -> `callAction`;
 * Vonage's WebSocket guide, "Websocket disconnected"). The retry and deadline policy is core's
 * `hangUpOverRest`. Transfers them with `PUT /v1/calls/{uuid}` `{ action: 'transfer', destination:
 * { type: 'ncco', ncco: [connect] } }` and plays keys with `PUT /v1/calls/{uuid}/dtmf` `{ digits }`
 * (vonage-node-sdk `Voice.transferCallWithNCCO` and `Voice.playDTMF`), under the same policy.
 * One per container, shared by every call.
 */
export class VonageCallControl implements CallControl {
  readonly carrier = 'vonage';
  private readonly key: KeyObject | undefined;

  constructor(
    private readonly options: Pick<
      ResolvedVonageOptions,
      'applicationId' | 'privateKey' | 'apiBaseUrl' | 'hangUpTimeoutMs'
    >,
    private readonly logger: Logger,
  ) {
    // The options schema already checked the PEM; parse it once, not per hang-up.
    this.key = options.privateKey === undefined ? undefined : createPrivateKey(options.privateKey);
  }

  /** Hangs up the call `uuid` within `hangUpTimeoutMs` ms; never throws. */
  async hangUp(callId: string): Promise<HangUpResult> {
    const { applicationId, apiBaseUrl, hangUpTimeoutMs } = this.options;
    if (!applicationId || !this.key) {
      const reason = 'refused: applicationId and privateKey are needed to hang up';
      this.logger.error({ callId }, `[vonage] hang-up failed: ${reason}`);
      return { outcome: 'failed', reason };
    }
    const jwt = signVonageJwt({ applicationId, privateKey: this.key });
    return hangUpOverRest({
      carrier: this.carrier,
      callId,
      logger: this.logger,
      deadlineMs: hangUpTimeoutMs,
      secrets: [jwt, ...(this.options.privateKey ? [this.options.privateKey] : [])],
      classify: vonageHangUpAnswer,
      request: (encodedCallId) => ({
        method: 'PUT',
        url: `${apiBaseUrl}/v1/calls/${encodedCallId}`,
        headers: { authorization: `Bearer ${jwt}` },
        json: { action: 'hangup' },
      }),
    });
  }

  /** A signed request builder for `path` (after `/v1/calls/{uuid}`) with `json`, or `undefined` without credentials. */
  private action(
    path: string,
    json: unknown,
  ): { request: (encodedCallId: string) => RestCallActionRequest; secrets: string[] } | undefined {
    const { applicationId, apiBaseUrl } = this.options;
    if (!applicationId || !this.key) return undefined;
    const jwt = signVonageJwt({ applicationId, privateKey: this.key });
    return {
      secrets: [jwt, ...(this.options.privateKey ? [this.options.privateKey] : [])],
      request: (encodedCallId) => ({
        method: 'PUT',
        url: `${apiBaseUrl}/v1/calls/${encodedCallId}${path}`,
        headers: { authorization: `Bearer ${jwt}` },
        json,
      }),
    };
  }

  /**
   * Transfers the call `uuid` to a new NCCO that connects it to `target` (a `phone` endpoint, number
   * without `+`, or a `sip` one); never throws.
   */
  async transfer(callId: string, target: TransferTarget): Promise<TransferResult> {
    const endpoint = isSipTarget(target.to)
      ? { type: 'sip', uri: target.to }
      : { type: 'phone', number: target.to.replace(/^\+/, '') };
    const connect = {
      action: 'connect',
      ...(target.from ? { from: target.from.replace(/^\+/, '') } : {}),
      endpoint: [endpoint],
    };
    const spec = this.action('', { action: 'transfer', destination: { type: 'ncco', ncco: [connect] } });
    if (spec === undefined) {
      const reason = 'refused: applicationId and privateKey are needed to transfer';
      try {
        this.logger.error({ callId }, `[vonage] transfer failed: ${reason}`);
      } catch {
        // A throwing logger must not turn a transfer into an exception.
      }
      return { outcome: 'failed', reason };
    }
    return transferOverRest({
      carrier: this.carrier,
      callId,
      logger: this.logger,
      deadlineMs: this.options.hangUpTimeoutMs,
      classify: vonageActionAnswer,
      ...spec,
    });
  }

  /** Plays `digits` into the call `uuid`; without credentials `unsupported` (the server goes in band). Never throws. */
  async sendDtmf(callId: string, digits: string): Promise<SendDtmfResult> {
    // Vonage plays 0-9 * # (and p, a pause) only: keys A-D go in band instead.
    if (!/^[0-9*#]+$/.test(digits)) return { outcome: 'unsupported', reason: 'Vonage plays no A-D keys' };
    const spec = this.action('/dtmf', { digits });
    if (spec === undefined) return { outcome: 'unsupported', reason: 'no applicationId/privateKey for DTMF' };
    return sendDtmfOverRest({
      carrier: this.carrier,
      callId,
      logger: this.logger,
      deadlineMs: this.options.hangUpTimeoutMs,
      classify: vonageActionAnswer,
      ...spec,
    });
  }
}

/** A call action's answer: 2xx done; 404/410 the call is gone; anything else failed. */
function vonageActionAnswer(status: number): 'done' | 'gone' | 'failed' {
  const answer = vonageHangUpAnswer(status);
  return answer === 'ended' ? 'done' : answer === 'already-ended' ? 'gone' : 'failed';
}

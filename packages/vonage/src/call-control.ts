import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { CallControl, HangUpAnswer, HangUpResult, Logger } from '@callwire/core';
import { hangUpOverRest } from '@callwire/core';
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
 * `hangUpOverRest`. One per container, shared by every call.
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
}

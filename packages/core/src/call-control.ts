/** How a hang-up request ended. */
export type HangUpResult =
  | { readonly outcome: 'ended' }
  | { readonly outcome: 'already-ended'; readonly status?: number }
  | {
      readonly outcome: 'failed';
      /** HTTP status of the last answer, absent when none came (timeout, network error, refused id). */
      readonly status?: number;
      /** Body of the last answer (truncated), absent when none came. */
      readonly body?: string;
      /** Why, in words fit for a log line (never a secret). */
      readonly reason: string;
    };

/**
 * Acts on calls through the carrier's REST API: hang-up always; transfer and keypad tones where the
 * carrier has a REST way (absent: `transferCall` answers `unsupported`, and the server sends DTMF on
 * the media stream instead). No method throws or runs past its deadline.
 */
export interface CallControl {
  readonly carrier: string;
  /** Hangs up `callId`; never throws and never runs past its deadline. */
  hangUp(callId: string): Promise<HangUpResult>;
  /**
   * Hands `callId` over to `target` (the caller leaves the media stream, which then ends without a
   * hang-up). Never throws; same deadline and retry policy as `hangUp`.
   */
  transfer?(callId: string, target: TransferTarget): Promise<TransferResult>;
  /**
   * Plays keypad tones (`digits`: 0-9 * # A-D) to the other party through the carrier, out of band.
   * Never throws; same deadline and retry policy as `hangUp`.
   */
  sendDtmf?(callId: string, digits: string): Promise<SendDtmfResult>;
}

/** Where `transfer` sends a call. */
export interface TransferTarget {
  /**
   * The destination: a phone number in E.164 (`+14155550100`), or a SIP URI (`sip:agent@pbx.example.com`)
   * where the carrier dials SIP. Each carrier writes the number its way (Vonage without the `+`).
   */
  readonly to: string;
  /** Caller id for the new leg (a number of your account), where the carrier lets you set one. */
  readonly from?: string;
  /**
   * The absolute URL of the server's answer route, for carriers that fetch the dialling document
   * instead of taking it in the request (Plivo's `aleg_url`). The server's `call.transfer` fills it
   * in from its `publicUrl`.
   */
  readonly answerUrl?: string;
}

/** How a transfer request ended. */
export type TransferResult =
  | { readonly outcome: 'transferred' }
  | {
      readonly outcome: 'unsupported';
      /** Why this carrier (or this configuration) cannot transfer. */
      readonly reason: string;
    }
  | {
      readonly outcome: 'failed';
      readonly status?: number;
      readonly body?: string;
      readonly reason: string;
    };

/** How a REST DTMF request ended. */
export type SendDtmfResult =
  | { readonly outcome: 'sent' }
  | { readonly outcome: 'unsupported'; readonly reason: string }
  | { readonly outcome: 'failed'; readonly status?: number; readonly body?: string; readonly reason: string };

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

/** Ends calls through the carrier's REST API. */
export interface CallControl {
  readonly carrier: string;
  /** Hangs up `callId`; never throws and never runs past its deadline. */
  hangUp(callId: string): Promise<HangUpResult>;
}

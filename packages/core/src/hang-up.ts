import { type CallActionAnswer, callActionOverRest, type RestCallActionRequest } from './call-action.js';
import type { HangUpResult } from './call-control.js';
import type { Logger } from './logger.js';

/** One hang-up request, as a carrier builds it. */
export type RestHangUpRequest = RestCallActionRequest;

/** What a final answer means for the call. */
export type HangUpAnswer = 'ended' | 'already-ended' | 'failed';

/** Everything `hangUpOverRest` needs for one hang-up. */
export interface RestHangUp {
  /** Carrier name, for log lines and reasons. */
  readonly carrier: string;
  /** The call to end; checked with `callIdProblem` before any request is made. */
  readonly callId: string;
  readonly logger: Logger;
  /** Budget for the whole hang-up (every attempt and wait), in ms. */
  readonly deadlineMs: number;
  /** Builds the request for the checked call id, already URL-encoded for a path segment. */
  request(encodedCallId: string): RestHangUpRequest;
  /** What a final status means; default: 2xx `ended`, 404 `already-ended`, anything else `failed`. */
  readonly classify?: (status: number, body: string) => HangUpAnswer;
  /** Strings (credentials) replaced by `[redacted]` wherever they would reach a result or a log line. */
  readonly secrets?: readonly string[];
  /** The fetch implementation (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
}

/** 2xx: ended; 404: the call was already over; anything else: failed. */
export function defaultHangUpAnswer(status: number): HangUpAnswer {
  if (status >= 200 && status < 300) return 'ended';
  if (status === 404) return 'already-ended';
  return 'failed';
}

const asActionAnswer: Record<HangUpAnswer, CallActionAnswer> = {
  ended: 'done',
  'already-ended': 'gone',
  failed: 'failed',
};

/**
 * Hangs a call up over a carrier's REST API: `callActionOverRest`'s policy (a malformed call id
 * refused; network errors, 408, 429 with `Retry-After` and 5xx retried with jittered exponential
 * backoff; given up at `deadlineMs`). Never throws; logs one line (debug when the call ended, error
 * when it failed).
 */
export async function hangUpOverRest(spec: RestHangUp): Promise<HangUpResult> {
  const classify = spec.classify ?? defaultHangUpAnswer;
  const result = await callActionOverRest({
    ...spec,
    action: 'hang-up',
    doneText: 'call hung up',
    classify: (status, body) => asActionAnswer[classify(status, body)],
  });
  if (result.outcome === 'done') return { outcome: 'ended' };
  if (result.outcome === 'gone') {
    return { outcome: 'already-ended', ...(result.status !== undefined ? { status: result.status } : {}) };
  }
  return result;
}

import ky, { isHTTPError } from 'ky';
import type { HangUpResult } from './call-control.js';
import type { Logger } from './logger.js';
import { REDACTED } from './logger.js';

/** Characters of an answer's body kept in a `HangUpResult` and its log line. */
export const HANG_UP_BODY_LIMIT = 500;

/** First wait between attempts, in ms; doubles per attempt up to `MAX_BACKOFF_MS`, with jitter. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1000;

/**
 * Statuses worth another attempt: 408, 429 and every 5xx but 501 and 505, which will not
 * change on a retry. Hang-up requests are idempotent, so repeating one is safe.
 */
const RETRY_STATUSES: readonly number[] = [
  408,
  429,
  ...Array.from({ length: 100 }, (_, index) => 500 + index).filter(
    (status) => status !== 501 && status !== 505,
  ),
];

/** Statuses whose `Retry-After` header is honoured. */
const RETRY_AFTER_STATUSES: readonly number[] = [429, 503];

// Unreserved URL characters plus ':' (some carriers' call ids contain it), so an id is one path segment.
const CALL_ID = /^[A-Za-z0-9_~:.-]{1,256}$/;

/**
 * Why `callId` must not be put in a hang-up URL, or `undefined` when it may. Refuses a missing or
 * empty id (a carrier's API without one may hang up every call on the account), `.`/`..`, and anything but
 * 1-256 characters of `A-Z a-z 0-9 - _ . : ~`.
 */
export function callIdProblem(callId: unknown): string | undefined {
  if (typeof callId !== 'string') return 'call id is missing';
  if (callId.trim() === '') return 'call id is empty';
  if (callId === '.' || callId === '..' || !CALL_ID.test(callId)) {
    return 'call id is malformed (expected 1-256 characters of A-Z a-z 0-9 - _ . : ~)';
  }
  return undefined;
}

/** One hang-up request, as a carrier builds it. */
export interface RestHangUpRequest {
  readonly method: 'DELETE' | 'POST' | 'PUT';
  readonly url: string;
  /** Request headers, `authorization` included; never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A raw body (e.g. form-encoded, with its `content-type` in `headers`). */
  readonly body?: string;
  /** A JSON body (sent with `content-type: application/json`). */
  readonly json?: unknown;
}

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

/** Milliseconds a `Retry-After` header asks to wait (seconds or an HTTP date), else `undefined`. */
export function retryAfterMs(header: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

interface Progress {
  /** Requests sent so far. */
  attempts: number;
  /** Status and body of the last answer, kept for the deadline's report. */
  status?: number;
  body?: string;
  response?: Response;
  /** The last network error, when the last attempt got no answer. */
  networkError?: string;
}

function scrub(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret.length > 0) clean = clean.split(secret).join(REDACTED);
  }
  return clean;
}

async function readBody(response: Response, secrets: readonly string[]): Promise<string> {
  try {
    // Scrub the whole body, then cut: cutting first would leave part of a secret that straddles the
    // cut, and redactions shorten the text, pulling later bytes in front of the cut.
    return scrub(await response.text(), secrets).slice(0, HANG_UP_BODY_LIMIT);
  } catch {
    return '';
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function failed(reason: string, progress?: Progress): HangUpResult {
  return {
    outcome: 'failed',
    reason,
    ...(progress?.status !== undefined ? { status: progress.status } : {}),
    ...(progress?.body !== undefined ? { body: progress.body } : {}),
  };
}

async function attempt(spec: RestHangUp, signal: AbortSignal, deadlineAtMs: number, progress: Progress) {
  const secrets = spec.secrets ?? [];
  const request = spec.request(encodeURIComponent(spec.callId));
  const classify = spec.classify ?? defaultHangUpAnswer;
  const answer = async (status: number, body: string): Promise<HangUpResult> => {
    const outcome = classify(status, body);
    if (outcome === 'ended') return { outcome };
    if (outcome === 'already-ended') return { outcome, status };
    return { outcome, status, body, reason: `HTTP ${status}` };
  };
  try {
    const response = await ky(request.url, {
      method: request.method,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.json !== undefined ? { json: request.json } : {}),
      ...(spec.fetch ? { fetch: spec.fetch } : {}),
      signal,
      timeout: false,
      throwHttpErrors: true,
      hooks: {
        beforeRequest: [
          () => {
            progress.attempts += 1;
          },
        ],
      },
      retry: {
        limit: Number.MAX_SAFE_INTEGER,
        methods: [request.method.toLowerCase()],
        statusCodes: [...RETRY_STATUSES],
        afterStatusCodes: [...RETRY_AFTER_STATUSES],
        delay: (attemptCount) => FIRST_BACKOFF_MS * 2 ** (attemptCount - 1),
        backoffLimit: MAX_BACKOFF_MS,
        jitter: (delayMs) => delayMs * (0.5 + Math.random() * 0.5),
        shouldRetry: async ({ error }) => {
          if (!isHTTPError(error)) {
            progress.networkError = describeNetworkError(error);
            progress.status = undefined;
            progress.body = undefined;
            progress.response = undefined;
            return undefined;
          }
          const { status, headers } = error.response;
          progress.networkError = undefined;
          progress.status = status;
          progress.response = error.response;
          progress.body = await readBody(error.response, secrets);
          // A server asking us to wait past the deadline will not be answered in time: stop now.
          const waitMs = RETRY_AFTER_STATUSES.includes(status)
            ? retryAfterMs(headers.get('retry-after'))
            : undefined;
          if (waitMs !== undefined && Date.now() + waitMs >= deadlineAtMs) return false;
          return undefined;
        },
      },
    });
    return answer(response.status, await readBody(response, secrets));
  } catch (error) {
    if (isHTTPError(error)) {
      const body =
        progress.response === error.response && progress.body !== undefined
          ? progress.body
          : await readBody(error.response, secrets);
      const result = await answer(error.response.status, body);
      const waitMs = retryAfterMs(error.response.headers.get('retry-after'));
      if (
        result.outcome === 'failed' &&
        waitMs !== undefined &&
        RETRY_STATUSES.includes(error.response.status)
      ) {
        return {
          ...result,
          reason: `HTTP ${error.response.status}, Retry-After ${waitMs} ms is past the deadline`,
        };
      }
      return result;
    }
    if (signal.aborted) return failed('no answer before the deadline', progress);
    return failed(scrub(`network error: ${describeNetworkError(error)}`, secrets));
  }
}

function logOutcome(spec: RestHangUp, result: HangUpResult, attempts: number): void {
  const prefix = `[${spec.carrier}]`;
  const fields = { callId: spec.callId, attempts };
  try {
    if (result.outcome === 'failed') {
      spec.logger.error(
        { ...fields, status: result.status, body: result.body },
        `${prefix} hang-up failed: ${result.reason}`,
      );
    } else if (result.outcome === 'already-ended') {
      spec.logger.debug(fields, `${prefix} call already ended (HTTP ${result.status ?? '?'})`);
    } else {
      spec.logger.debug(fields, `${prefix} call hung up`);
    }
  } catch {
    // A throwing logger must not turn a hang-up into an exception.
  }
}

/**
 * Hangs a call up over a carrier's REST API: refuses a malformed call id, retries network errors,
 * 408, 429 (honouring `Retry-After`) and 5xx with jittered exponential backoff, and gives up at
 * `deadlineMs`. Never throws; logs one line (debug when the call ended, error when it failed).
 */
export async function hangUpOverRest(spec: RestHangUp): Promise<HangUpResult> {
  const secrets = spec.secrets ?? [];
  const problem = callIdProblem(spec.callId);
  if (problem !== undefined) {
    const result = failed(`refused: ${problem}`);
    logOutcome(spec, result, 0);
    return result;
  }
  const progress: Progress = { attempts: 0 };
  const controller = new AbortController();
  const deadlineAtMs = Date.now() + spec.deadlineMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<HangUpResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      const last =
        progress.status !== undefined
          ? `, last answer HTTP ${progress.status}`
          : progress.networkError !== undefined
            ? `, last error ${progress.networkError}`
            : '';
      resolve(failed(scrub(`no answer before the ${spec.deadlineMs} ms deadline${last}`, secrets), progress));
    }, spec.deadlineMs);
  });
  let result: HangUpResult;
  try {
    result = await Promise.race([
      attempt(spec, controller.signal, deadlineAtMs, progress).catch((error: unknown) =>
        failed(scrub(`unexpected error: ${describeNetworkError(error)}`, secrets)),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  logOutcome(spec, result, progress.attempts);
  return result;
}

import ky, { isHTTPError } from 'ky';
import type { Logger } from './logger.js';
import { REDACTED } from './logger.js';

/** Characters of an answer's body kept in a call action's result and its log line. */
export const HANG_UP_BODY_LIMIT = 500;

/** First wait between attempts, in ms; doubles per attempt up to `MAX_BACKOFF_MS`, with jitter. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1000;

/**
 * Statuses worth another attempt: 408, 429 and every 5xx but 501 and 505, which will not
 * change on a retry. Hang-up requests are idempotent, so repeating one is safe; for a transfer or
 * DTMF request a 5xx or a lost answer may hide one the carrier did carry out (see `callActionOverRest`).
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
 * Why `callId` must not be put in a call action's URL, or `undefined` when it may. Refuses a missing or
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

/** One call-action request (hang-up, transfer, DTMF), as a carrier builds it. */
export interface RestCallActionRequest {
  readonly method: 'DELETE' | 'POST' | 'PUT';
  readonly url: string;
  /** Request headers, `authorization` included; never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A raw body (e.g. form-encoded, with its `content-type` in `headers`). */
  readonly body?: string;
  /** A JSON body (sent with `content-type: application/json`). */
  readonly json?: unknown;
}

/** What a final answer means: the action was carried out, the call is gone, or it failed. */
export type CallActionAnswer = 'done' | 'gone' | 'failed';

/** How a call action over REST ended. */
export type CallActionResult =
  | { readonly outcome: 'done' }
  | { readonly outcome: 'gone'; readonly status?: number }
  | {
      readonly outcome: 'failed';
      /** HTTP status of the last answer, absent when none came (timeout, network error, refused id). */
      readonly status?: number;
      /** Body of the last answer (truncated), absent when none came. */
      readonly body?: string;
      /** Why, in words fit for a log line (never a secret). */
      readonly reason: string;
    };

/** Everything `callActionOverRest` needs for one action on one call. */
export interface RestCallAction {
  /** Carrier name, for log lines and reasons. */
  readonly carrier: string;
  /** The action's name in log lines: `'hang-up'`, `'transfer'`, `'DTMF'`. */
  readonly action: string;
  /** The call to act on; checked with `callIdProblem` before any request is made. */
  readonly callId: string;
  readonly logger: Logger;
  /** Budget for the whole action (every attempt and wait), in ms. */
  readonly deadlineMs: number;
  /** Builds the request for the checked call id, already URL-encoded for a path segment. */
  request(encodedCallId: string): RestCallActionRequest;
  /** What a final status means; default: 2xx `done`, 404 `gone`, anything else `failed`. */
  readonly classify?: (status: number, body: string) => CallActionAnswer;
  /** Strings (credentials) replaced by `[redacted]` wherever they would reach a result or a log line. */
  readonly secrets?: readonly string[];
  /** The fetch implementation (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /** Log line of a `gone` answer (debug level). @default 'call already ended' */
  readonly goneText?: string;
  /** Log line of a `done` answer (debug level). @default `${action} done` */
  readonly doneText?: string;
}

/** 2xx: done; 404: the call is gone (over, or never was); anything else: failed. */
export function defaultCallActionAnswer(status: number): CallActionAnswer {
  if (status >= 200 && status < 300) return 'done';
  return status === 404 ? 'gone' : 'failed';
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

function failed(reason: string, progress?: Progress): CallActionResult {
  return {
    outcome: 'failed',
    reason,
    ...(progress?.status !== undefined ? { status: progress.status } : {}),
    ...(progress?.body !== undefined ? { body: progress.body } : {}),
  };
}

async function attempt(spec: RestCallAction, signal: AbortSignal, deadlineAtMs: number, progress: Progress) {
  const secrets = spec.secrets ?? [];
  const request = spec.request(encodeURIComponent(spec.callId));
  const classify = spec.classify ?? defaultCallActionAnswer;
  const answer = async (status: number, body: string): Promise<CallActionResult> => {
    const outcome = classify(status, body);
    if (outcome === 'done') return { outcome };
    if (outcome === 'gone') return { outcome, status };
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

function logOutcome(spec: RestCallAction, result: CallActionResult, attempts: number): void {
  const prefix = `[${spec.carrier}]`;
  const fields = { callId: spec.callId, attempts };
  try {
    if (result.outcome === 'failed') {
      spec.logger.error(
        { ...fields, status: result.status, body: result.body },
        `${prefix} ${spec.action} failed: ${result.reason}`,
      );
    } else if (result.outcome === 'gone') {
      spec.logger.debug(
        fields,
        `${prefix} ${spec.goneText ?? 'call already ended'} (HTTP ${result.status ?? '?'})`,
      );
    } else {
      spec.logger.debug(fields, `${prefix} ${spec.doneText ?? `${spec.action} done`}`);
    }
  } catch {
    // A throwing logger must not turn a call action into an exception.
  }
}

/**
 * Runs one action on a call over a carrier's REST API (hang-up, transfer, DTMF): refuses a malformed
 * call id, retries network errors, 408, 429 (honouring `Retry-After`) and 5xx with jittered exponential
 * backoff, and gives up at `deadlineMs`. Never throws; logs one line (debug when it was done, error
 * when it failed). A retried transfer or DTMF request is safe only as far as the carrier refuses a
 * repeat: a 5xx or a lost answer may hide one it carried out.
 */
export async function callActionOverRest(spec: RestCallAction): Promise<CallActionResult> {
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
  const deadline = new Promise<CallActionResult>((resolve) => {
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
  let result: CallActionResult;
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

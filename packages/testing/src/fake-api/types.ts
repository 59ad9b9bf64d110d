import type { IncomingHttpHeaders } from 'node:http';

/** One request the fake carrier API received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent (`/v1/Account/MA.../Call/abc/`). */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body as UTF-8 text ('' when none). */
  readonly body: string;
  /** `Date.now()` when the request arrived. */
  readonly receivedAtMs: number;
  /**
   * The status the fake answered with, set once it answered; absent while pending and for requests
   * it never answered (`hang`, `reset`).
   */
  readonly responseStatus?: number;
}

/**
 * How the fake API misbehaves. Fields combine: `{ status: 500, delayMs: 200 }` answers 500 after
 * 200 ms. `times` limits the fault to the next N requests (default: until changed).
 */
export interface FakeFault {
  /** Answer with this status instead of the route's own. */
  readonly status?: number;
  /** Body for `status` (default: a small JSON error). */
  readonly body?: string;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long (ms) before answering. */
  readonly delayMs?: number;
  /** Never answer (the socket stays open until the client gives up or `close()`). */
  readonly hang?: boolean;
  /** Destroy the connection without answering. */
  readonly reset?: boolean;
  /** Apply to the next N requests only. */
  readonly times?: number;
}

/** A running fake carrier REST API on 127.0.0.1 (a real `node:http` server). */
export interface FakeCarrierApi {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Sets (or clears, with `undefined`) the fault applied to the following requests. */
  setFault(fault?: FakeFault): void;
  /** Stops the server, ending hung requests, and frees the port. */
  close(): Promise<void>;
}

/** An HTTP request to a carrier webhook (the answer URL), as the server received it. */
export interface WebhookRequest {
  /** Upper-case HTTP method, e.g. `'GET'` or `'POST'`. */
  readonly method: string;
  /** The absolute URL the carrier called, the one it signed (built on the public URL when one is set). */
  readonly url: string;
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw request body as UTF-8 text; `''` for a GET. */
  readonly body: string;
}

/** A request for the carrier's answer document, plus where its media stream must connect. */
export interface AnswerRequest extends WebhookRequest {
  /** The `ws://` or `wss://` URL of the server's media-stream endpoint. */
  readonly streamUrl: string;
}

/** What the server sends back to a webhook request. */
export interface WebhookResponse {
  /** HTTP status; 200 when absent. */
  readonly status?: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * What a carrier says of a webhook request's signature: `valid`, `unchecked` (no credential is
 * configured to check it with), `missing` (no signature headers: answer 401) or `invalid` (403).
 */
export type WebhookVerdict = 'valid' | 'unchecked' | 'missing' | 'invalid';

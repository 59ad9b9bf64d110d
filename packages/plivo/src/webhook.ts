import {
  type AnswerRequest,
  createOnceMemory,
  type OnceMemory,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookVerdict,
} from '@callwire/core';
import { answerDocument } from '@callwire/kit';
import { type PlivoSignatureParams, verifyPlivoSignatureV3 } from './signature.js';
import { plivoDialXml, plivoTransferTarget } from './transfer.js';
import { plivoStreamXml } from './xml.js';

/**
 * The answer to Plivo's answer-URL request: `<Stream>` XML that streams the call to `request.streamUrl`,
 * or, for the `aleg_url` of a transfer this server asked for (a signed target in the query), `<Dial>`
 * XML to that target (403 when the signature is wrong). `authToken` signs transfer targets.
 */
export function answerPlivoWebhook(request: AnswerRequest, authToken?: string): WebhookResponse {
  const transfer = plivoTransferTarget(request.url, authToken);
  if (transfer === 'invalid') {
    return { status: 403, contentType: 'text/plain; charset=utf-8', body: 'invalid transfer target\n' };
  }
  if (transfer !== undefined) return answerDocument('plivo', 'application/xml', () => plivoDialXml(transfer));
  return answerDocument('plivo', 'application/xml', () =>
    plivoStreamXml({ url: request.streamUrl, ...callerHeaders(request) }),
  );
}

/**
 * The caller's numbers and the call's direction from the answer webhook's form body (`From`, `To`,
 * `Direction`), as `extraHeaders` that come back in the stream's `start`. Plivo allows only letters
 * and digits in them: a number loses its `+`, and a value that still does not fit is left out.
 */
function callerHeaders(request: AnswerRequest): { extraHeaders?: Record<string, string> } {
  const fields = new URLSearchParams(
    request.method.toUpperCase() === 'POST' ? request.body : (request.url.split('?')[1] ?? ''),
  );
  const headers: Record<string, string> = {};
  for (const [name, field] of [
    ['from', 'From'],
    ['to', 'To'],
    ['direction', 'Direction'],
  ] as const) {
    const value = (fields.get(field) ?? '').replace(/^\+/, '');
    if (/^[A-Za-z0-9]{1,64}$/.test(value)) headers[name] = value;
  }
  return Object.keys(headers).length === 0 ? {} : { extraHeaders: headers };
}

/** The fields of a form-encoded body, repeated keys as arrays. */
function formParams(body: string): PlivoSignatureParams {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const previous = params[key];
    params[key] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return params;
}

/**
 * How long a validly signed nonce is remembered (ms). Plivo documents no expiry for a V3 signature (its
 * nonce carries no timestamp), so a replay is refused for this long, within `PLIVO_NONCES_REMEMBERED`.
 */
export const PLIVO_NONCE_WINDOW_MS = 15 * 60_000;
/** At most this many nonces are remembered per registration (the oldest are forgotten first). */
export const PLIVO_NONCES_REMEMBERED = 100_000;

/** A memory of the nonces of validly signed requests, for `verifyPlivoWebhook` (one per registration). */
export function createPlivoNonceMemory(max = PLIVO_NONCES_REMEMBERED): OnceMemory {
  return createOnceMemory(max);
}

/**
 * Checks `X-Plivo-Signature-V3` on a webhook request (or the stream's WebSocket upgrade) with the
 * account's Auth Token: `unchecked` without a token, `missing` without the headers. With `nonces`, a
 * validly signed request whose nonce was already seen within `PLIVO_NONCE_WINDOW_MS` is a replay:
 * `invalid`.
 */
export function verifyPlivoWebhook(
  request: WebhookRequest,
  authToken: string | undefined,
  nonces?: OnceMemory,
  nowMs: number = Date.now(),
): WebhookVerdict {
  if (!authToken) return 'unchecked';
  const signature = request.headers['x-plivo-signature-v3'];
  const nonce = request.headers['x-plivo-signature-v3-nonce'];
  if (!signature || !nonce) return 'missing';
  const isForm = (request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
  const params = request.method.toUpperCase() === 'POST' && isForm ? formParams(request.body) : {};
  const valid = verifyPlivoSignatureV3({
    method: request.method,
    url: request.url,
    params,
    nonce,
    signature,
    authToken,
  });
  if (!valid) return 'invalid';
  // Only valid nonces are remembered: a forger cannot burn the nonce of a request still to come.
  return !nonces || nonces.claim(nonce, nowMs + PLIVO_NONCE_WINDOW_MS, nowMs) ? 'valid' : 'invalid';
}

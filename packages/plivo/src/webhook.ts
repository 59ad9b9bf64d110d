import type { AnswerRequest, WebhookRequest, WebhookResponse, WebhookVerdict } from '@callwire/core';
import { answerDocument } from '@callwire/kit';
import { type PlivoSignatureParams, verifyPlivoSignatureV3 } from './signature.js';
import { plivoStreamXml } from './xml.js';

/** The answer to Plivo's answer-URL request: `<Stream>` XML that streams the call to `request.streamUrl`. */
export function answerPlivoWebhook(request: AnswerRequest): WebhookResponse {
  return answerDocument('plivo', 'application/xml', () => plivoStreamXml({ url: request.streamUrl }));
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
 * Checks `X-Plivo-Signature-V3` on a webhook request (or the stream's WebSocket upgrade) with the
 * account's Auth Token: `unchecked` without a token, `missing` without the headers.
 */
export function verifyPlivoWebhook(request: WebhookRequest, authToken: string | undefined): WebhookVerdict {
  if (!authToken) return 'unchecked';
  const signature = request.headers['x-plivo-signature-v3'];
  const nonce = request.headers['x-plivo-signature-v3-nonce'];
  if (!signature || !nonce) return 'missing';
  const isForm = (request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
  const params = request.method.toUpperCase() === 'POST' && isForm ? formParams(request.body) : {};
  return verifyPlivoSignatureV3({
    method: request.method,
    url: request.url,
    params,
    nonce,
    signature,
    authToken,
  })
    ? 'valid'
    : 'invalid';
}

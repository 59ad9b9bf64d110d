import type { AnswerRequest, WebhookRequest, WebhookResponse, WebhookVerdict } from '@callwire/core';
import { answerDocument } from '@callwire/kit';
import { verifyTwilioSignature } from './signature.js';
import { twilioStreamTwiml } from './xml.js';

/** The answer to Twilio's voice webhook: `<Connect><Stream>` TwiML that streams the call to `request.streamUrl`. */
export function answerTwilioWebhook(request: Pick<AnswerRequest, 'streamUrl'>): WebhookResponse {
  return answerDocument(
    'twilio',
    'application/xml',
    () => twilioStreamTwiml({ url: request.streamUrl }),
    'bad stream URL (Twilio needs wss:// without a query string)',
  );
}

/**
 * Checks `X-Twilio-Signature` on a webhook request with the account's auth token: `unchecked` without
 * a token, `missing` without the header. Form POSTs sign their fields; JSON bodies use `bodySHA256`.
 */
export function verifyTwilioWebhook(request: WebhookRequest, authToken: string | undefined): WebhookVerdict {
  if (!authToken) return 'unchecked';
  const signature = request.headers['x-twilio-signature'];
  if (!signature) return 'missing';
  const isForm = (request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
  const form = request.method.toUpperCase() === 'POST' && isForm;
  // Which URL Twilio signs on a Media Streams WebSocket upgrade is unconfirmed: the wss:// URL of the
  // <Stream> is tried first, then the same URL as https:// (an HMAC check per candidate).
  const urls = /^wss?:\/\//i.test(request.url)
    ? [request.url, request.url.replace(/^ws/i, 'http')]
    : [request.url];
  const valid = urls.map((url) =>
    verifyTwilioSignature({
      authToken,
      signature,
      url,
      ...(form ? { params: new URLSearchParams(request.body) } : {}),
      body: request.body,
    }),
  );
  return valid.includes(true) ? 'valid' : 'invalid';
}

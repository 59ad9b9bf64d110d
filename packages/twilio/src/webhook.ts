import type { AnswerRequest, WebhookRequest, WebhookResponse, WebhookVerdict } from '@callwire/core';
import { answerDocument } from '@callwire/kit';
import { verifyTwilioSignature } from './signature.js';
import { twilioStreamTwiml } from './xml.js';

/**
 * The answer to Twilio's voice webhook: `<Connect><Stream>` TwiML that streams the call to
 * `request.streamUrl`, passing the webhook's `From`, `To` and `Direction` as `<Parameter>`s `from`,
 * `to` and `direction` (`outbound-api` and `outbound-dial` written `outbound`), which come back in
 * the stream's `start.customParameters` and so in `call.info`.
 */
export function answerTwilioWebhook(
  request: Pick<AnswerRequest, 'streamUrl'> & Partial<Pick<AnswerRequest, 'method' | 'body' | 'url'>>,
): WebhookResponse {
  return answerDocument(
    'twilio',
    'application/xml',
    () => twilioStreamTwiml({ url: request.streamUrl, ...callerParameters(request) }),
    'bad stream URL (Twilio needs wss:// without a query string)',
  );
}

/** `inbound`, or `outbound` for Twilio's `outbound-api` / `outbound-dial`; anything else `undefined`. */
export function twilioDirection(direction: string | undefined): 'inbound' | 'outbound' | undefined {
  if (direction === 'inbound') return 'inbound';
  return direction?.startsWith('outbound') ? 'outbound' : undefined;
}

const ADDRESS = /^[+A-Za-z0-9:@._-]{1,128}$/;

function callerParameters(request: Partial<Pick<AnswerRequest, 'method' | 'body' | 'url'>>): {
  parameters?: Record<string, string>;
} {
  const post = (request.method ?? 'POST').toUpperCase() === 'POST';
  const fields = new URLSearchParams(post ? (request.body ?? '') : (request.url?.split('?')[1] ?? ''));
  const parameters: Record<string, string> = {};
  const from = fields.get('From') ?? '';
  const to = fields.get('To') ?? '';
  const direction = twilioDirection(fields.get('Direction') ?? undefined);
  if (ADDRESS.test(from)) parameters.from = from;
  if (ADDRESS.test(to)) parameters.to = to;
  if (direction !== undefined) parameters.direction = direction;
  return Object.keys(parameters).length === 0 ? {} : { parameters };
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

import { timingSafeEqual } from 'node:crypto';
import type { AnswerRequest, WebhookRequest, WebhookResponse, WebhookVerdict } from '@callwire/core';
import { answerDocument } from '@callwire/kit';
import type { ResolvedTelnyxOptions } from './options.js';
import { telnyxSignatureHeaders, verifyTelnyxSignature } from './signature.js';
import { telnyxStreamTexml } from './xml.js';

/**
 * The answer to a TeXML voice webhook: `<Connect><Stream>` streaming the call to `request.streamUrl`, with
 * RTP audio both ways in PCMU (`codec` and `bidirectionalCodec` pinned, so inbound = outbound encoding).
 */
export function answerTelnyxWebhook(request: Pick<AnswerRequest, 'streamUrl'>): WebhookResponse {
  return answerDocument(
    'telnyx',
    'application/xml',
    () => telnyxStreamTexml({ url: request.streamUrl, codec: 'PCMU', bidirectionalCodec: 'PCMU' }),
    'bad stream URL (needs wss://)',
  );
}

/** What `verifyTelnyxWebhook` checks with (both optional): the options of the same names. */
export type TelnyxWebhookKeys = Pick<ResolvedTelnyxOptions, 'publicKey' | 'streamAuthToken'>;

function equalSecrets(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a webhook request. An HTTP webhook: `telnyx-signature-ed25519` over `timestamp|body` with
 * `publicKey` (300 s tolerance). A media WebSocket upgrade (a `ws(s)://` URL), which Telnyx does not sign:
 * the `x-telnyx-streaming-auth-token` header against `streamAuthToken`. `unchecked` without the key or
 * token, `missing` without the headers, else `valid`/`invalid`.
 */
export function verifyTelnyxWebhook(
  request: WebhookRequest,
  keys: TelnyxWebhookKeys,
  nowMs?: number,
): WebhookVerdict {
  if (/^wss?:\/\//i.test(request.url)) {
    // Header name: the reference notes on Telnyx's AsyncAPI page and third-party clients; not confirmed
    // in Telnyx's docs read here (see README).
    if (!keys.streamAuthToken) return 'unchecked';
    const token = request.headers['x-telnyx-streaming-auth-token'];
    if (!token) return 'missing';
    return equalSecrets(keys.streamAuthToken, token) ? 'valid' : 'invalid';
  }
  const publicKey = keys.publicKey;
  if (!publicKey) return 'unchecked';
  const { signature, timestamp } = telnyxSignatureHeaders(request.headers);
  if (!signature || !timestamp) return 'missing';
  return verifyTelnyxSignature({
    publicKey,
    signature,
    timestamp,
    body: request.body,
    ...(nowMs !== undefined ? { nowMs } : {}),
  })
    ? 'valid'
    : 'invalid';
}

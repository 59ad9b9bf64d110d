import type { AnswerRequest, WebhookRequest, WebhookResponse, WebhookVerdict } from '@callwire/core';
import { telnyxSignatureHeaders, verifyTelnyxSignature } from './signature.js';
import { telnyxStreamTexml } from './xml.js';

/**
 * The answer to a TeXML voice webhook: `<Connect><Stream>` streaming the call to `request.streamUrl`, with
 * RTP audio both ways in PCMU (`codec` and `bidirectionalCodec` pinned, so inbound = outbound encoding).
 */
export function answerTelnyxWebhook(request: Pick<AnswerRequest, 'streamUrl'>): WebhookResponse {
  try {
    const body = telnyxStreamTexml({ url: request.streamUrl, codec: 'PCMU', bidirectionalCodec: 'PCMU' });
    return { contentType: 'application/xml', body };
  } catch {
    // Only a stream URL that is not wss:// gets here: a server misconfiguration, not the caller's.
    return {
      status: 500,
      contentType: 'text/plain; charset=utf-8',
      body: '[telnyx] cannot answer: bad stream URL (needs wss://)\n',
    };
  }
}

/**
 * Checks `telnyx-signature-ed25519` on a webhook request with the account's public key: `unchecked`
 * without a key, `missing` without the signature headers, else `valid`/`invalid` (300 s tolerance).
 */
export function verifyTelnyxWebhook(
  request: WebhookRequest,
  publicKey: string | undefined,
  nowMs?: number,
): WebhookVerdict {
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

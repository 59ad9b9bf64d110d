import type { CarrierPlugin, WebhookRequest, WebhookVerdict } from '@callwire/core';
import {
  type PlivoOptions,
  plivo,
  plivoStreamXml,
  type ResolvedPlivoOptions,
  verifyPlivoSignatureV3,
} from '@callwire/plivo';
import type { DependencyContainer } from 'tsyringe';

/** Injection token for the auth token the answer endpoint checks signatures with. */
const PLIVO_WEBHOOK_TOKEN = Symbol.for('callwire.examples.plivo-webhook-token');

function formParams(request: WebhookRequest): Record<string, string[]> | undefined {
  if (request.method !== 'POST' || request.body === '') return undefined;
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  const params: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(request.body)) {
    const values = params[key] ?? [];
    values.push(value);
    params[key] = values;
  }
  return params;
}

function authToken(container: DependencyContainer): string | undefined {
  return container.isRegistered(PLIVO_WEBHOOK_TOKEN, true)
    ? container.resolve<{ token: string | undefined }>(PLIVO_WEBHOOK_TOKEN).token
    : undefined;
}

/** Checks `X-Plivo-Signature-V3` (+ nonce) with the registered auth token; `unchecked` without one. */
export function verifyPlivoWebhook(request: WebhookRequest, container: DependencyContainer): WebhookVerdict {
  const token = authToken(container);
  if (token === undefined) return 'unchecked';
  const signature = request.headers['x-plivo-signature-v3'];
  const nonce = request.headers['x-plivo-signature-v3-nonce'];
  if (!signature || !nonce) return 'missing';
  const params = formParams(request);
  const valid = verifyPlivoSignatureV3({
    method: request.method,
    url: request.url,
    nonce,
    signature,
    authToken: token,
    ...(params ? { params } : {}),
  });
  return valid ? 'valid' : 'invalid';
}

/**
 * The `plivo` carrier plus the server's webhook hooks: `answer` serves `<Stream>` XML
 * (bidirectional, keepCallAlive, mu-law 8 kHz) pointing at the server's stream URL, and
 * `verifyWebhook` checks Plivo's V3 signature when an auth token is registered.
 */
export const plivoWithWebhooks: CarrierPlugin<PlivoOptions, ResolvedPlivoOptions> = {
  ...plivo,
  register(container, options) {
    plivo.register(container, options);
    container.register(PLIVO_WEBHOOK_TOKEN, { useValue: { token: options.authToken } });
  },
  answer: (request) => ({
    contentType: 'application/xml',
    body: plivoStreamXml({
      url: request.streamUrl,
      bidirectional: true,
      keepCallAlive: true,
      contentType: 'audio/x-mulaw;rate=8000',
    }),
  }),
  verifyWebhook: verifyPlivoWebhook,
};

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest, WebhookVerdict } from '@callwire/core';

/** How far a signed webhook's `iat` may be in the future, and `exp` in the past (clock skew), s. */
const SKEW_SECONDS = 300;

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The text Vonage hashes into `payload_hash`: the raw body of a POST; for a GET, its query parameters as
 * a JSON object in their order, without whitespace (Vonage support, "How do I verify that the Voice API
 * Webhook request and its payload has not been tampered during transit").
 */
function signedPayload(request: WebhookRequest): string {
  if (request.method.toUpperCase() !== 'GET') return request.body;
  const query = request.url.indexOf('?');
  const params = new URLSearchParams(query >= 0 ? request.url.slice(query + 1) : '');
  return JSON.stringify(Object.fromEntries(params));
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks a Vonage Voice API signed webhook: `Authorization: Bearer <JWT>` signed HS256 with the account's
 * signature secret, its `payload_hash` (hex SHA-256 of the payload, when present) matching the request,
 * `exp` not past and `iat` not ahead (300 s skew). `unchecked` without a secret or for a WebSocket upgrade
 * (Vonage does not sign those this way), `missing` without a bearer token. Never throws, never logs.
 */
export function verifyVonageWebhook(
  request: WebhookRequest,
  signatureSecret: string | undefined,
  nowMs: number = Date.now(),
): WebhookVerdict {
  if (!signatureSecret || /^wss?:\/\//i.test(request.url)) return 'unchecked';
  const authorization = request.headers.authorization ?? '';
  const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(authorization.trim());
  if (!authorization.toLowerCase().startsWith('bearer ')) return 'missing';
  if (!match) return 'invalid';
  const [, header = '', payload = '', signature = ''] = match;
  if (decodeJson(header)?.alg !== 'HS256') return 'invalid';
  const expected = createHmac('sha256', signatureSecret).update(`${header}.${payload}`).digest('base64url');
  if (!equal(expected, signature)) return 'invalid';
  const claims = decodeJson(payload);
  if (!claims) return 'invalid';
  const nowSeconds = nowMs / 1000;
  if (typeof claims.exp === 'number' && claims.exp + SKEW_SECONDS < nowSeconds) return 'invalid';
  if (typeof claims.iat === 'number' && claims.iat - SKEW_SECONDS > nowSeconds) return 'invalid';
  if (claims.payload_hash !== undefined) {
    const hash = createHash('sha256').update(signedPayload(request), 'utf8').digest('hex');
    if (typeof claims.payload_hash !== 'string' || !equal(hash, claims.payload_hash.toLowerCase()))
      return 'invalid';
  }
  return 'valid';
}

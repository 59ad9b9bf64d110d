import { createHmac, randomBytes } from 'node:crypto';

/**
 * The headers Genesys sends on a signed WebSocket upgrade to `url`: `Audiohook-*`, `X-API-KEY`,
 * `Signature-Input` and `Signature` (HMAC-SHA256 over the six required components), lower-case names.
 * `createdS` defaults to now (seconds); the signature expires after `lifetimeS` (default 60 s).
 */
export function signGenesysUpgrade(input: {
  readonly url: string;
  readonly apiKey: string;
  readonly clientSecret: string;
  readonly organizationId: string;
  readonly sessionId: string;
  readonly correlationId?: string;
  readonly nonce?: string;
  readonly createdS?: number;
  readonly lifetimeS?: number;
}): Record<string, string> {
  const url = new URL(input.url);
  const createdS = input.createdS ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'audiohook-organization-id': input.organizationId,
    'audiohook-session-id': input.sessionId,
    'audiohook-correlation-id': input.correlationId ?? 'e160e428-53e2-487c-977d-96989bf5c99d',
    'x-api-key': input.apiKey,
  };
  const components = [
    '@request-target',
    '@authority',
    'audiohook-organization-id',
    'audiohook-session-id',
    'audiohook-correlation-id',
    'x-api-key',
  ];
  const nonce = input.nonce ?? randomBytes(18).toString('base64url');
  const params =
    `(${components.map((name) => `"${name}"`).join(' ')});keyid="${input.apiKey}";nonce="${nonce}";` +
    `alg="hmac-sha256";created=${createdS};expires=${createdS + (input.lifetimeS ?? 60)}`;
  const values: Record<string, string> = {
    '@request-target': `${url.pathname}${url.search}`,
    '@authority': url.host,
    ...headers,
  };
  const base = [
    ...components.map((name) => `"${name}": ${values[name]}`),
    `"@signature-params": ${params}`,
  ].join('\n');
  const signature = createHmac('sha256', Buffer.from(input.clientSecret, 'base64'))
    .update(base)
    .digest('base64');
  return { ...headers, 'signature-input': `sig1=${params}`, signature: `sig1=:${signature}:` };
}

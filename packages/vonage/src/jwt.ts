import { createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto';

/**
 * Lifetime of a Vonage application JWT, in seconds: 900, the default of vonage-node-sdk
 * (`packages/jwt/lib/tokenGenerate.ts`: `exp = now + (ttl || 900)`).
 */
export const VONAGE_JWT_TTL_SECONDS = 900;

/** What `signVonageJwt` needs. */
export interface VonageJwtInput {
  readonly applicationId: string;
  /** The application's RSA private key (a `KeyObject`, or PEM text). */
  readonly privateKey: KeyObject | string;
  /** Clock, ms since the epoch (tests fix it). @default Date.now() */
  readonly nowMs?: number;
  /** Seconds until `exp`. @default 900 */
  readonly ttlSeconds?: number;
  /** Token id. @default a random UUID */
  readonly jti?: string;
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * An application JWT for the Vonage Voice API, as vonage-node-sdk's `tokenGenerate` makes it:
 * header `{"typ":"JWT","alg":"RS256"}`, claims `application_id`, `iat`, `jti`, `exp` (seconds),
 * signed RSASSA-PKCS1-v1_5 with SHA-256 by the application's private key (node:crypto, no SDK).
 * Sent as `Authorization: Bearer <jwt>`; it is a credential, so it is never logged.
 */
export function signVonageJwt(input: VonageJwtInput): string {
  const key = typeof input.privateKey === 'string' ? createPrivateKey(input.privateKey) : input.privateKey;
  const issuedAt = Math.floor((input.nowMs ?? Date.now()) / 1000);
  const header = base64UrlJson({ typ: 'JWT', alg: 'RS256' });
  const claims = base64UrlJson({
    application_id: input.applicationId,
    iat: issuedAt,
    jti: input.jti ?? randomUUID(),
    exp: issuedAt + (input.ttlSeconds ?? VONAGE_JWT_TTL_SECONDS),
  });
  const signingInput = `${header}.${claims}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput, 'utf8'), key).toString('base64url');
  return `${signingInput}.${signature}`;
}

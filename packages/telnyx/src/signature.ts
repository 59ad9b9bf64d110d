import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** Telnyx's own SDKs reject a webhook more than this many seconds from now, either way. */
// Source: team-telnyx/telnyx-node src/lib/webhooks.ts ("Allow 5 minutes tolerance": |now - ts| > 300 → reject).
export const TELNYX_SIGNATURE_TOLERANCE_SECONDS = 300;

/** What `verifyTelnyxSignature` checks. */
export interface TelnyxSignatureInput {
  /** The account's webhook public key: base64 of the raw 32-byte Ed25519 key (Mission Control), or a KeyObject. */
  readonly publicKey: string | KeyObject;
  /** The `telnyx-signature-ed25519` header: base64 of the 64-byte signature. */
  readonly signature: string | undefined;
  /** The `telnyx-timestamp` header: Unix time in seconds. */
  readonly timestamp: string | undefined;
  /** The raw request body, byte for byte (re-serialized JSON does not verify). */
  readonly body: string | Uint8Array;
  /** Largest allowed |now - timestamp| in seconds. @default 300 */
  readonly toleranceSeconds?: number;
  /** The current time (ms since the epoch), for tests. @default Date.now() */
  readonly nowMs?: number;
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): node:crypto imports raw keys only this way.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(value: string): Buffer | undefined {
  return value.length > 0 && strictBase64.test(value) ? Buffer.from(value, 'base64') : undefined;
}

/** Imports a base64 raw Ed25519 public key (32 bytes); `undefined` when it is not one. */
export function telnyxPublicKey(base64Key: string): KeyObject | undefined {
  const raw = decodeBase64(base64Key.trim());
  if (raw === undefined || raw.length !== 32) return undefined;
  try {
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/**
 * True when `signature` is Telnyx's Ed25519 signature of `${timestamp}|${body}` under `publicKey`
 * and `timestamp` is within `toleranceSeconds` of now. Never throws: any missing or malformed
 * input gives `false`.
 * Sources: team-telnyx/telnyx-node src/lib/webhooks.ts (`TelnyxWebhook.verify`: headers
 * `telnyx-signature-ed25519` and `telnyx-timestamp`, signed payload `${timestamp}|${payload}`,
 * 64-byte signature, 32-byte base64 key); team-telnyx/telnyx-python src/telnyx/lib/webhooks_ed25519.py.
 */
export function verifyTelnyxSignature(input: TelnyxSignatureInput): boolean {
  try {
    const { signature, timestamp, body } = input;
    if (typeof signature !== 'string' || typeof timestamp !== 'string') return false;
    if (!/^\d{1,15}$/.test(timestamp)) return false;
    const tolerance = input.toleranceSeconds ?? TELNYX_SIGNATURE_TOLERANCE_SECONDS;
    const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
    if (!(tolerance >= 0) || Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false;
    const signatureBytes = decodeBase64(signature.trim());
    if (signatureBytes === undefined || signatureBytes.length !== 64) return false;
    const key = typeof input.publicKey === 'string' ? telnyxPublicKey(input.publicKey) : input.publicKey;
    if (key === undefined || key.asymmetricKeyType !== 'ed25519') return false;
    const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    const message = Buffer.concat([Buffer.from(`${timestamp}|`, 'utf8'), bodyBytes]);
    return verify(null, message, key, signatureBytes);
  } catch {
    return false;
  }
}

/** Reads the two Telnyx signature headers from Node's lower-cased `IncomingHttpHeaders`. */
export function telnyxSignatureHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): {
  signature: string | undefined;
  timestamp: string | undefined;
} {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return {
    signature: first(headers['telnyx-signature-ed25519']),
    timestamp: first(headers['telnyx-timestamp']),
  };
}

import { createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { CallwireError } from '@callwire/core';
import { type HmacSha256, hmacSha256 } from './hmac-sha256.js';

/** How long a stream token minted by the answer endpoint stays usable (ms). */
export const DEFAULT_STREAM_TOKEN_TTL_MS = 120_000;
/** The shortest secret accepted (characters): `openssl rand -base64 32` gives 44. */
export const MIN_STREAM_SECRET_LENGTH = 16;

/** What a stream token says: the carrier, the call (absent: any call of that carrier) and its expiry. */
export interface StreamTokenClaims {
  readonly carrier: string;
  readonly callId: string | undefined;
  /** Epoch ms after which the token is refused. */
  readonly expiresAtMs: number;
}

/** A token as read back: its claims and the MAC that identifies it (for single use). */
export interface ReadStreamToken extends StreamTokenClaims {
  readonly id: string;
}

/** Options of `mintStreamToken`. */
export interface MintStreamTokenOptions {
  /** The server's stream secret (`streamAuth.secret` / `CALLWIRE_STREAM_SECRET`). */
  readonly secret: string | KeyObject;
  /** The carrier's plugin name (`'twilio'`): a token for one carrier is refused for another. */
  readonly carrier: string;
  /**
   * The carrier's call id, as the stream's opening message will name it (Twilio `CallSid`). Omit it only
   * when the answer handler cannot know it: the token then admits any one call of `carrier`.
   */
  readonly callId?: string | undefined;
  /** How long the token stays usable (ms). @default 120000 */
  readonly ttlMs?: number;
  /** The clock (epoch ms), for tests. @default Date.now() */
  readonly nowMs?: number;
}

// Makes every minted token unique (two for one call in one millisecond differ): a random per-process
// prefix and a counter, cheaper than random bytes per token.
const noncePrefix = randomBytes(6).toString('base64url');
let nonceCounter = 0;

// Domain separation: a MAC made with the same secret for anything else is never a stream token.
const MAC_PREFIX = Buffer.from('callwire-stream-token-v1\n', 'utf8');

/** The secret as a key object (built once per server: its HMAC pads are then computed once, on first use). */
export function streamSecretKey(secret: string | KeyObject): KeyObject {
  if (typeof secret !== 'string') return secret;
  if (secret.length < MIN_STREAM_SECRET_LENGTH) {
    throw new CallwireError(
      'CONFIG',
      `[server] invalid options: streamAuth.secret: must be at least ${MIN_STREAM_SECRET_LENGTH} characters`,
    );
  }
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

// One MAC function per key, its pads computed once: a token check is two one-shot hashes.
const macs = new WeakMap<KeyObject, HmacSha256>();

function macOf(key: KeyObject, payload: Uint8Array): Buffer {
  let mac = macs.get(key);
  if (mac === undefined) {
    mac = hmacSha256(key.export(), MAC_PREFIX);
    macs.set(key, mac);
  }
  return mac(payload);
}

/**
 * A stream token: base64url of `expiry.nonce.carrier.callId` and base64url of its HMAC-SHA256 with the server's
 * secret, joined by `.`. Only URL-path-safe characters, no `/`, no query: it goes in the stream URL's path.
 */
export function mintStreamToken(options: MintStreamTokenOptions): string {
  const key = streamSecretKey(options.secret);
  const ttlMs = options.ttlMs ?? DEFAULT_STREAM_TOKEN_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new CallwireError('CONFIG', '[server] invalid stream token options: ttlMs: must be a number > 0');
  }
  if (!/^[a-z0-9_-]+$/.test(options.carrier)) {
    throw new CallwireError(
      'CONFIG',
      '[server] invalid stream token options: carrier: must be a carrier name',
    );
  }
  const expiresAtMs = Math.ceil((options.nowMs ?? Date.now()) + ttlMs);
  nonceCounter = (nonceCounter + 1) % Number.MAX_SAFE_INTEGER;
  const nonce = `${noncePrefix}${nonceCounter.toString(36)}`;
  const payload = `${expiresAtMs.toString(36)}.${nonce}.${options.carrier}.${options.callId ?? ''}`;
  const payloadBytes = Buffer.from(payload, 'utf8');
  return `${payloadBytes.toString('base64url')}.${macOf(key, payloadBytes).toString('base64url')}`;
}

/**
 * Reads and checks a token: `'invalid'` when it is not one of ours (bad shape or MAC, compared in constant
 * time), `'expired'` past its expiry, else its claims. Never throws.
 */
export function readStreamToken(
  token: string,
  key: KeyObject,
  nowMs: number = Date.now(),
): ReadStreamToken | 'invalid' | 'expired' {
  const dot = token.indexOf('.');
  // 1 KiB is far above any real token (a 256-character call id gives about 400).
  if (dot <= 0 || token.length > 1024 || token.indexOf('.', dot + 1) >= 0) return 'invalid';
  const payloadBytes = Buffer.from(token.slice(0, dot), 'base64url');
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = macOf(key, payloadBytes);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  const payload = payloadBytes.toString('utf8');
  const first = payload.indexOf('.');
  const second = payload.indexOf('.', first + 1);
  const third = payload.indexOf('.', second + 1);
  if (first <= 0 || second <= first || third <= second) return 'invalid';
  const expiresAtMs = Number.parseInt(payload.slice(0, first), 36);
  if (!(expiresAtMs > nowMs)) return 'expired';
  const callId = payload.slice(third + 1);
  return {
    carrier: payload.slice(second + 1, third),
    callId: callId === '' ? undefined : callId,
    expiresAtMs,
    id: token.slice(dot + 1),
  };
}

/**
 * `streamUrl` with `token` as one more path segment (`wss://host/stream` → `wss://host/stream/<token>`),
 * before any query. Twilio refuses query strings on stream URLs, so the token goes in the path.
 */
export function streamUrlWithToken(streamUrl: string, token: string): string {
  const query = streamUrl.search(/[?#]/);
  const base = query >= 0 ? streamUrl.slice(0, query) : streamUrl;
  const rest = query >= 0 ? streamUrl.slice(query) : '';
  return `${base.replace(/\/+$/, '')}/${token}${rest}`;
}

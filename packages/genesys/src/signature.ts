import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type BareItem,
  type InnerList,
  isInnerList,
  parseDictionary,
  serializeInnerList,
  serializeString,
} from './structured-fields.js';

// Genesys signs AudioHook / Audio Connector WebSocket upgrades with HTTP Message Signatures
// (draft-ietf-httpbis-message-signatures-11, which became RFC 9421), HMAC-SHA256 keyed with the
// base64-decoded client secret. The rules below are those of Genesys' reference server
// (purecloudlabs/audiohook-reference-implementation app/src/authenticator.ts and
// app/audiohook/src/httpsignature/signature-verifier.ts, 2871b01).

/** Components every Genesys signature must cover. */
export const GENESYS_SIGNED_COMPONENTS = [
  '@request-target',
  '@authority',
  'audiohook-organization-id',
  'audiohook-session-id',
  'audiohook-correlation-id',
  'x-api-key',
] as const;
/** Oldest signature accepted, seconds after its `created` (plus the clock skew). */
export const GENESYS_SIGNATURE_MAX_AGE_S = 10;
/** Clock difference tolerated between Genesys and us, seconds. */
export const GENESYS_CLOCK_SKEW_S = 3;
/** Shortest `nonce` accepted, characters. */
export const GENESYS_MIN_NONCE_LENGTH = 22;

const HMAC_SHA256_BYTES = 32;
const SIGNATURE_PARAMS = new Set(['alg', 'created', 'expires', 'keyid', 'nonce']);
const DERIVED = new Set([
  '@method',
  '@authority',
  '@scheme',
  '@target-uri',
  '@request-target',
  '@path',
  '@query',
]);

/** A WebSocket upgrade request to check. */
export interface GenesysSignatureRequest {
  /** The HTTP method (`GET` for an upgrade). */
  readonly method: string;
  /** The full `ws(s)://host/path?query` Genesys requested. */
  readonly url: string;
  /** Request headers with lower-case names. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The integration's API key; absent: only the signature's `keyid` = `X-API-KEY` check is made. */
  readonly apiKey?: string | undefined;
  /** The integration's client secret, base64. */
  readonly clientSecret: string;
  /** The time to check `created`/`expires` against, ms since the epoch. @default Date.now() */
  readonly nowMs?: number;
}

/**
 * True when `request` carries a valid Genesys signature: the six required components covered,
 * `alg="hmac-sha256"`, `keyid` equal to `X-API-KEY` (and to `apiKey`), a nonce of at least 22
 * characters, `created` no more than 3 s ahead and at most 10 s (+3 s skew) old, `expires` not passed,
 * and the HMAC-SHA256 of the signature base equal in constant time. Never throws.
 */
export function verifyGenesysSignature(request: GenesysSignatureRequest): boolean {
  try {
    return verify(request);
  } catch {
    return false;
  }
}

function headerValue(headers: GenesysSignatureRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  // Field values are trimmed and obsolete line folding is collapsed (draft-11 section 2.1).
  const canonical = (text: string) => text.trim().replace(/[ \t]*\r\n[ \t]+/g, ' ');
  return typeof value === 'string' ? canonical(value) : value.map(canonical).join(', ');
}

function stringParam(list: InnerList, name: string): string | undefined {
  const value = list.params.find(([key]) => key === name)?.[1];
  return typeof value === 'string' ? value : undefined;
}

function integerParam(list: InnerList, name: string): number | undefined {
  const value: BareItem | undefined = list.params.find(([key]) => key === name)?.[1];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function derivedValue(name: string, method: string, url: URL): string | undefined {
  switch (name) {
    case '@method':
      return method.toUpperCase();
    case '@authority':
      return url.host.toLowerCase();
    case '@scheme':
      return url.protocol.slice(0, -1).toLowerCase();
    case '@target-uri':
      return url.href;
    case '@request-target':
      return `${url.pathname}${url.search}`;
    case '@path':
      return url.pathname;
    case '@query':
      return url.search === '' ? '?' : url.search;
    default:
      return undefined;
  }
}

function verify(request: GenesysSignatureRequest): boolean {
  const { headers } = request;
  const inputField = headerValue(headers, 'signature-input');
  const signatureField = headerValue(headers, 'signature');
  if (inputField === undefined || signatureField === undefined) return false;
  const inputs = parseDictionary(inputField);
  const signatures = parseDictionary(signatureField);
  // The reference verifies the first signature when several are present.
  const [label, input] = inputs.entries().next().value ?? [];
  if (label === undefined || input === undefined || !isInnerList(input)) return false;
  const signed = signatures.get(label);
  if (signed === undefined || isInnerList(signed) || !(signed.value instanceof Uint8Array)) return false;

  for (const [key] of input.params) if (!SIGNATURE_PARAMS.has(key)) return false;
  const alg = stringParam(input, 'alg');
  const keyId = stringParam(input, 'keyid');
  const nonce = stringParam(input, 'nonce');
  const created = integerParam(input, 'created');
  const expires = integerParam(input, 'expires');
  const apiKeyHeader = headerValue(headers, 'x-api-key');
  if (alg !== 'hmac-sha256' || keyId === undefined || apiKeyHeader === undefined) return false;
  if (!sameText(keyId, apiKeyHeader)) return false;
  if (request.apiKey !== undefined && !sameText(apiKeyHeader, request.apiKey)) return false;
  if (nonce === undefined || nonce.length < GENESYS_MIN_NONCE_LENGTH) return false;
  if (created === undefined || expires === undefined) return false;
  const nowS = (request.nowMs ?? Date.now()) / 1000;
  if (created > nowS + GENESYS_CLOCK_SKEW_S) return false;
  if (nowS - created > GENESYS_SIGNATURE_MAX_AGE_S + GENESYS_CLOCK_SKEW_S) return false;
  if (expires < nowS - GENESYS_CLOCK_SKEW_S) return false;

  const url = new URL(request.url);
  const lines: string[] = [];
  const covered = new Set<string>();
  for (const item of input.items) {
    if (typeof item.value !== 'string' || item.params.length > 0) return false;
    const name = item.value;
    if (covered.has(name)) return false;
    covered.add(name);
    const value = name.startsWith('@')
      ? DERIVED.has(name)
        ? derivedValue(name, request.method, url)
        : undefined
      : headerValue(headers, name);
    if (value === undefined) return false;
    lines.push(`${serializeString(name)}: ${value}`);
  }
  for (const name of GENESYS_SIGNED_COMPONENTS) if (!covered.has(name)) return false;
  // Re-encoded from what was parsed, as the reference does, so only a strict signer's input verifies.
  lines.push(`"@signature-params": ${serializeInnerList(input)}`);

  const key = Buffer.from(request.clientSecret, 'base64');
  const expected = createHmac('sha256', key).update(lines.join('\n')).digest();
  const given = signed.value;
  if (given.length !== HMAC_SHA256_BYTES) return false;
  return timingSafeEqual(expected, given);
}

/** Compares two strings in time that does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // Compare equal-length digests so the length of the secret side is not what the time depends on.
  const digest = (bytes: Buffer) => createHmac('sha256', 'callwire-compare').update(bytes).digest();
  return timingSafeEqual(digest(left), digest(right)) && left.length === right.length;
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters of a webhook: a `URLSearchParams` or a plain record (repeated keys as arrays). */
export type TwilioSignatureParams =
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What `verifyTwilioSignature` checks. */
export interface TwilioSignatureInput {
  /** The account's auth token (the HMAC key). */
  readonly authToken: string;
  /** The `X-Twilio-Signature` header value (absent → invalid). */
  readonly signature: string | undefined;
  /**
   * The full URL Twilio requested, exactly as configured in the console or TwiML: scheme, host,
   * path and query string. For a Media Streams WebSocket handshake, the `wss://` URL of the
   * `<Stream url>` (the exact form Twilio signs there is unconfirmed, see README).
   */
  readonly url: string;
  /** The POSTed form parameters (`application/x-www-form-urlencoded`); omit for GET and JSON. */
  readonly params?: TwilioSignatureParams;
  /** The raw body; required when `url` carries `bodySHA256` (JSON webhooks). */
  readonly body?: string | Uint8Array;
}

function groupParams(params: TwilioSignatureParams | undefined): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  if (params === undefined) return grouped;
  const entries: [string, string][] = [];
  if (params instanceof URLSearchParams) {
    for (const [key, value] of params) entries.push([key, value]);
  } else {
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      if (typeof value === 'string') entries.push([key, value]);
      else for (const item of value) entries.push([key, item]);
    }
  }
  for (const [key, value] of entries) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  return grouped;
}

/**
 * The string Twilio signs: the URL, then each POST parameter as `key + value` with no separators,
 * keys sorted by UTF-16 code unit; a repeated key contributes each distinct value once, sorted.
 * Source: twilio/twilio-node lib/webhooks/webhooks.ts `getExpectedTwilioSignature` and
 * `toFormUrlEncodedParam` (`Array.from(new Set(values)).sort()`).
 */
function signedString(url: string, params: TwilioSignatureParams | undefined): string {
  const grouped = groupParams(params);
  let data = url;
  for (const key of [...grouped.keys()].sort()) {
    for (const value of [...new Set(grouped.get(key))].sort()) data += key + value;
  }
  return data;
}

/** `X-Twilio-Signature` for `url` and `params`: base64(HMAC-SHA1(authToken, url + sorted params)). */
export function computeTwilioSignature(
  authToken: string,
  url: string,
  params?: TwilioSignatureParams,
): string {
  return createHmac('sha1', authToken).update(signedString(url, params), 'utf8').digest('base64');
}

/** Hex SHA-256 of a raw body, as Twilio puts it in the `bodySHA256` query parameter. */
export function twilioBodySha256(body: string | Uint8Array): string {
  return createHash('sha256')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

const authorityPattern = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is;

/**
 * The URL with and without an explicit port. Twilio signs inconsistently (sometimes with `:443`),
 * so its own SDK accepts either. Source: twilio-node webhooks.ts `validateRequest`
 * ("Check signature of the url with and without the port number").
 * Done on the string, not through `new URL()`, which would re-encode or add a trailing slash.
 */
function portVariants(url: string): string[] {
  const match = authorityPattern.exec(url);
  if (!match) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const portMatch = /:(\d*)$/.exec(hostPort);
  const host = portMatch && !hostPort.endsWith(']') ? hostPort.slice(0, portMatch.index) : hostPort;
  const secure = /^(https|wss):/i.test(scheme);
  const port = portMatch?.[1] ? portMatch[1] : secure ? '443' : '80';
  return [
    ...new Set([url, `${scheme}${userinfo}${host}${rest}`, `${scheme}${userinfo}${host}:${port}${rest}`]),
  ];
}

function equalSecrets(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // Lengths are public (a SHA-1 base64 signature is always 28 characters); contents are compared in constant time.
  return a.length === b.length && timingSafeEqual(a, b);
}

function bodySha256From(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  const hash = url.indexOf('#', query);
  return (
    new URLSearchParams(url.slice(query + 1, hash < 0 ? undefined : hash)).get('bodySHA256') ?? undefined
  );
}

/**
 * True when `signature` is Twilio's `X-Twilio-Signature` for this request. Form webhooks sign
 * the URL plus the sorted POST parameters; JSON webhooks carry `bodySHA256` (hex SHA-256 of the
 * raw body) in the URL, sign only the URL, and the body must match the hash. Comparisons are
 * timing-safe; any missing or malformed input gives `false`, never an exception.
 * Source: twilio/twilio-node lib/webhooks/webhooks.ts (`validateRequest`, `validateRequestWithBody`).
 */
export function verifyTwilioSignature(input: TwilioSignatureInput): boolean {
  try {
    const { authToken, signature, url } = input;
    if (typeof authToken !== 'string' || authToken === '') return false;
    if (typeof signature !== 'string' || signature === '' || typeof url !== 'string') return false;
    const bodyHash = bodySha256From(url);
    if (bodyHash !== undefined) {
      if (input.body === undefined || !equalSecrets(twilioBodySha256(input.body), bodyHash.toLowerCase())) {
        return false;
      }
    }
    const params = bodyHash !== undefined ? undefined : input.params;
    let valid = false;
    for (const candidate of portVariants(url)) {
      // No early exit: every variant is checked so timing does not reveal which one matched.
      if (equalSecrets(computeTwilioSignature(authToken, candidate, params), signature)) valid = true;
    }
    return valid;
  } catch {
    return false;
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';

// Plivo's X-Plivo-Signature-V3, computed as the official SDKs do (plivo-node lib/utils/v3Security.js,
// plivo-python plivo/utils/signature_v3.py):
//   signature = base64(HMAC-SHA256(authToken, baseUrl + '.' + nonce))
//   url0      = scheme://host[:port]/path            (query and fragment dropped)
//   GET:  baseUrl = url0 ['?' + k=v&k=v, sorted by key then value, URL query and params together]
//   POST: baseUrl = url0 + '?' + sorted URL query + ('.' if that query is not empty)
//                   + concat of key+value over the sorted body params (values of a key sorted)
//         (no body params: like GET without params)

/** Request parameters: form fields (POST) or extra query fields (GET); repeated keys as arrays. */
export type PlivoSignatureParams = Readonly<Record<string, string | readonly string[]>>;

/** What `computePlivoSignatureV3` signs. */
export interface PlivoSignatureV3Request {
  /** `GET` or `POST` (any case). */
  readonly method: string;
  /** The full URL Plivo called, query string included (the public one, behind a proxy). */
  readonly url: string;
  /** POST: the form body's fields. GET: fields to sign besides the URL's own query (usually none). */
  readonly params?: PlivoSignatureParams;
  /** The `X-Plivo-Signature-V3-Nonce` header. */
  readonly nonce: string;
}

/** Input of `verifyPlivoSignatureV3`. */
export interface PlivoSignatureV3Input extends PlivoSignatureV3Request {
  /** The `X-Plivo-Signature-V3` header: one signature or a comma-separated list (one per active token). */
  readonly signature: string;
  /** The account's (or subaccount's) Auth Token. */
  readonly authToken: string;
}

interface ParsedUrl {
  readonly base: string;
  readonly query: string;
}

// scheme://netloc path ?query #fragment, split without normalising anything: Plivo signs the
// URL text it called, so a default port or an encoded character must stay as written.
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/s;

function splitUrl(url: string): ParsedUrl | undefined {
  const parts = URL_PARTS.exec(url);
  if (!parts) return undefined;
  return { base: `${parts[1]}://${parts[2]}${parts[3]}`, query: parts[4] ?? '' };
}

const utf8 = new TextDecoder('utf-8');

/** Percent-decodes as Python's `unquote_plus` (errors='replace') and Node's `querystring` do. */
function decodeQueryComponent(text: string): string {
  const plain = text.replace(/\+/g, ' ');
  if (!plain.includes('%')) return plain;
  try {
    return decodeURIComponent(plain);
  } catch {
    const bytes: number[] = [];
    for (let i = 0; i < plain.length; i++) {
      const hex = plain.slice(i + 1, i + 3);
      if (plain[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(plain[i] ?? '', 'utf8'));
      }
    }
    return utf8.decode(Uint8Array.from(bytes));
  }
}

/** A query string as a map of key to values (blank values kept), like `parse_qs(keep_blank_values=True)`. */
function parseQuery(query: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = decodeQueryComponent(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decodeQueryComponent(pair.slice(equals + 1));
    const values = map.get(key);
    if (values) values.push(value);
    else map.set(key, [value]);
  }
  return map;
}

function paramsMap(params: PlivoSignatureParams | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [key, value] of Object.entries(params ?? {})) {
    // Form parsers sometimes hand over numbers or booleans; the SDKs sign their string form.
    map.set(key, Array.isArray(value) ? value.map(String) : [String(value)]);
  }
  return map;
}

function sortedEntries(map: Map<string, string[]>): [string, string[]][] {
  return [...map.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, values]) => [key, [...values].sort()]);
}

function sortedQueryString(map: Map<string, string[]>): string {
  return sortedEntries(map)
    .flatMap(([key, values]) => values.map((value) => `${key}=${value}`))
    .join('&');
}

function sortedParamsString(map: Map<string, string[]>): string {
  return sortedEntries(map)
    .flatMap(([key, values]) => values.map((value) => `${key}${value}`))
    .join('');
}

/**
 * The string Plivo signs (before `'.' + nonce`), or `undefined` for a method other than GET/POST
 * or a URL without `scheme://`. Useful to log when a signature does not match (it holds no secret).
 */
export function plivoSignatureV3BaseUrl(request: Omit<PlivoSignatureV3Request, 'nonce'>): string | undefined {
  const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
  const url = typeof request.url === 'string' ? splitUrl(request.url) : undefined;
  if (!url || (method !== 'GET' && method !== 'POST')) return undefined;
  const query = parseQuery(url.query);
  const params = paramsMap(request.params);
  if (method === 'GET') {
    // Given params and the URL's query are signed together; a key in both takes the URL's values
    // (plivo-python), so passing the parsed query again as params does not sign it twice.
    for (const [key, values] of query) params.set(key, values);
    const queryString = sortedQueryString(params);
    return queryString.length > 0 ? `${url.base}?${queryString}` : url.base;
  }
  const queryString = sortedQueryString(query);
  if (params.size === 0) return queryString.length > 0 ? `${url.base}?${queryString}` : url.base;
  return `${url.base}?${queryString}${queryString.length > 0 ? '.' : ''}${sortedParamsString(params)}`;
}

/** The base64 X-Plivo-Signature-V3 of a request, or `undefined` when it cannot be signed (see `plivoSignatureV3BaseUrl`). */
export function computePlivoSignatureV3(
  request: PlivoSignatureV3Request & { readonly authToken: string },
): string | undefined {
  const baseUrl = plivoSignatureV3BaseUrl(request);
  if (baseUrl === undefined || typeof request.nonce !== 'string' || typeof request.authToken !== 'string') {
    return undefined;
  }
  return createHmac('sha256', Buffer.from(request.authToken, 'utf8'))
    .update(Buffer.from(`${baseUrl}.${request.nonce}`, 'utf8'))
    .digest('base64');
}

/**
 * True when `signature` (the `X-Plivo-Signature-V3` header, possibly a comma-separated list) holds
 * the signature Plivo computes for this request with `authToken`. Compares in constant time and
 * never throws: anything malformed is simply not valid.
 */
export function verifyPlivoSignatureV3(input: PlivoSignatureV3Input): boolean {
  if (
    input === null ||
    typeof input !== 'object' ||
    typeof input.signature !== 'string' ||
    typeof input.authToken !== 'string' ||
    input.authToken.length === 0 ||
    typeof input.nonce !== 'string' ||
    input.nonce.length === 0
  ) {
    return false;
  }
  let expected: Buffer;
  try {
    const signature = computePlivoSignatureV3(input);
    if (signature === undefined) return false;
    expected = Buffer.from(signature, 'utf8');
  } catch {
    return false;
  }
  let matched = false;
  for (const candidate of input.signature.split(',')) {
    const given = Buffer.from(candidate.trim(), 'utf8');
    // Every candidate is compared, so the time taken does not say which one matched.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched;
}

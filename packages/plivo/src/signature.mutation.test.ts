// Pins what mutation testing found unpinned in the V3 signature check: query decoding exactly as
// Python's `unquote_plus(errors='replace')` (the expected strings below come from Python), sorting,
// refusal of unusable input without throwing, and the comma-separated signature list.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computePlivoSignatureV3, plivoSignatureV3BaseUrl, verifyPlivoSignatureV3 } from './signature.js';

const URL_BASE = 'https://example.com/answer';

/** An independent HMAC: what Plivo computes for a base string. */
function hmac(key: string, baseUrl: string, nonce: string): string {
  return createHmac('sha256', key).update(`${baseUrl}.${nonce}`).digest('base64');
}

describe('plivoSignatureV3BaseUrl: query decoding and order', () => {
  it.each([
    // [query, decoded and sorted as the official SDKs sign it]
    ['b=%41%2', 'b=A%2'],
    ['e=%E2%82%AC', 'e=€'],
    ['e=%E2%82%ZZ%41', 'e=\uFFFD%ZZA'],
    ['p=c+d%zz', 'p=c d%zz'],
    ['s=%F0%9F%98%80x', 's=😀x'],
    ['flag', 'flag='],
    ['=v&a=1', '=v&a=1'],
    ['b=2&a=9&B=1&a=1', 'B=1&a=1&a=9&b=2'],
  ])('GET ?%s signs %s', (query, signed) => {
    expect(plivoSignatureV3BaseUrl({ method: 'GET', url: `${URL_BASE}?${query}` })).toBe(
      `${URL_BASE}?${signed}`,
    );
  });

  it('accepts a lower-case method and refuses other methods, a non-string method or URL, without throwing', () => {
    expect(plivoSignatureV3BaseUrl({ method: 'get', url: `${URL_BASE}?a=1` })).toBe(`${URL_BASE}?a=1`);
    expect(plivoSignatureV3BaseUrl({ method: 'PUT', url: URL_BASE })).toBeUndefined();
    expect(plivoSignatureV3BaseUrl({ method: 5, url: URL_BASE } as never)).toBeUndefined();
    expect(plivoSignatureV3BaseUrl({ method: 'GET', url: 42 } as never)).toBeUndefined();
    expect(plivoSignatureV3BaseUrl({ method: 'GET', url: 'no-scheme/answer' })).toBeUndefined();
  });

  it('sorts POST params by key (code-unit order) and each key’s values', () => {
    expect(
      plivoSignatureV3BaseUrl({
        method: 'POST',
        url: URL_BASE,
        params: { To: '2', From: '1', a: ['z', 'y'] },
      }),
    ).toBe(`${URL_BASE}?From1To2ayaz`);
  });
});

describe('computePlivoSignatureV3', () => {
  it('equals an independent HMAC-SHA256 of base URL, dot and nonce, UTF-8 throughout', () => {
    const url = `${URL_BASE}?q=%E2%82%AC`;
    expect(computePlivoSignatureV3({ method: 'GET', url, nonce: 'n1', authToken: 'tökën' })).toBe(
      hmac('tökën', `${URL_BASE}?q=€`, 'n1'),
    );
  });

  it('gives undefined instead of throwing for a missing nonce or token', () => {
    expect(
      computePlivoSignatureV3({ method: 'GET', url: URL_BASE, authToken: 't' } as never),
    ).toBeUndefined();
    expect(computePlivoSignatureV3({ method: 'GET', url: URL_BASE, nonce: 'n' } as never)).toBeUndefined();
  });
});

describe('verifyPlivoSignatureV3 refuses what it cannot trust', () => {
  const nonce = '12345678901234567890';

  it('an empty auth token, even with the signature an empty key gives', () => {
    const signature = hmac('', URL_BASE, nonce);
    expect(verifyPlivoSignatureV3({ method: 'POST', url: URL_BASE, nonce, signature, authToken: '' })).toBe(
      false,
    );
  });

  it('an empty nonce, even with the signature it gives', () => {
    const signature = hmac('token', URL_BASE, '');
    expect(
      verifyPlivoSignatureV3({ method: 'POST', url: URL_BASE, nonce: '', signature, authToken: 'token' }),
    ).toBe(false);
  });

  it('a signature that is not a string, input that is not an object, a method it cannot sign', () => {
    expect(
      verifyPlivoSignatureV3({ method: 'POST', url: URL_BASE, nonce, signature: 5, authToken: 't' } as never),
    ).toBe(false);
    expect(verifyPlivoSignatureV3(null as never)).toBe(false);
    const signature = hmac('t', URL_BASE, nonce);
    expect(verifyPlivoSignatureV3({ method: 'PUT', url: URL_BASE, nonce, signature, authToken: 't' })).toBe(
      false,
    );
  });

  it('accepts the right signature anywhere in a comma-separated list with spaces', () => {
    const signature = hmac('t', URL_BASE, nonce);
    expect(
      verifyPlivoSignatureV3({
        method: 'POST',
        url: URL_BASE,
        nonce,
        signature: `bogus, ${signature} `,
        authToken: 't',
      }),
    ).toBe(true);
    expect(
      verifyPlivoSignatureV3({
        method: 'POST',
        url: URL_BASE,
        nonce,
        signature: 'bogus, other',
        authToken: 't',
      }),
    ).toBe(false);
  });
});

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computePlivoSignatureV3, plivoSignatureV3BaseUrl, verifyPlivoSignatureV3 } from './signature.js';

// Expected values are computed here, independently of signature.ts: the base string is written out
// by hand from the rules of plivo-node's v3Security.js / plivo-python's signature_v3.py, then signed
// with node:crypto.
const AUTH_TOKEN = 'MTIzNDU2Nzg5MGFiY2RlZjEyMzQ1Njc4OTBh';
const NONCE = '05429567804466091622';

function sign(baseUrl: string, nonce = NONCE, token = AUTH_TOKEN): string {
  return createHmac('sha256', token).update(`${baseUrl}.${nonce}`, 'utf8').digest('base64');
}

interface Vector {
  readonly name: string;
  readonly method: string;
  readonly url: string;
  readonly params?: Record<string, string | string[]>;
  readonly base: string;
}

const vectors: Vector[] = [
  {
    name: 'POST form fields, no query: key+value concatenated in key order after "?"',
    method: 'POST',
    url: 'https://example.com/answer/',
    params: { To: '+16665554444', From: '+15554443333', CallUUID: 'abc-123', Direction: 'inbound' },
    base: 'https://example.com/answer/?CallUUIDabc-123DirectioninboundFrom+15554443333To+16665554444',
  },
  {
    name: 'POST with a query: sorted query, ".", then the fields',
    method: 'POST',
    url: 'https://example.com/answer/?b=2&a=1',
    params: { X: 'y' },
    base: 'https://example.com/answer/?a=1&b=2.Xy',
  },
  {
    name: 'POST with a repeated field: its values sorted, each as key+value',
    method: 'POST',
    url: 'https://example.com/hook',
    params: { Digits: ['9', '1'], A: 'z' },
    base: 'https://example.com/hook?AzDigits1Digits9',
  },
  {
    name: 'POST without fields: the URL with its sorted query',
    method: 'POST',
    url: 'https://example.com/answer/?b=2&a=1',
    base: 'https://example.com/answer/?a=1&b=2',
  },
  {
    name: 'POST without fields or query: the bare URL',
    method: 'POST',
    url: 'https://example.com/answer/',
    params: {},
    base: 'https://example.com/answer/',
  },
  {
    name: 'GET: query decoded ("+" is a space, %2B a plus) and sorted, k=v joined by "&"',
    method: 'GET',
    url: 'https://example.com/answer/?To=%2B16665554444&CallUUID=abc&From=+15554443333',
    base: 'https://example.com/answer/?CallUUID=abc&From= 15554443333&To=+16665554444',
  },
  {
    name: 'GET: extra params signed with the query, repeated keys sorted by value',
    method: 'GET',
    url: 'https://example.com/ws?k=2&k=1',
    params: { a: '1' },
    base: 'https://example.com/ws?a=1&k=1&k=2',
  },
  {
    name: 'GET without a query: the bare URL',
    method: 'GET',
    url: 'wss://example.com/stream',
    base: 'wss://example.com/stream',
  },
  {
    name: 'the port is kept as written, the fragment dropped',
    method: 'GET',
    url: 'https://example.com:443/a?x=1#section',
    base: 'https://example.com:443/a?x=1',
  },
  {
    name: 'blank values are kept',
    method: 'GET',
    url: 'https://example.com/a?empty=&flag',
    base: 'https://example.com/a?empty=&flag=',
  },
  {
    name: 'non-ASCII values are signed as UTF-8',
    method: 'POST',
    url: 'https://example.com/answer',
    params: { CallerName: 'Zoë Ünal' },
    base: 'https://example.com/answer?CallerNameZoë Ünal',
  },
];

describe('verifyPlivoSignatureV3', () => {
  for (const vector of vectors) {
    it(`accepts ${vector.name}`, () => {
      const signature = sign(vector.base);
      const request = {
        method: vector.method,
        url: vector.url,
        nonce: NONCE,
        ...(vector.params ? { params: vector.params } : {}),
      };
      expect(plivoSignatureV3BaseUrl(request)).toBe(vector.base);
      expect(computePlivoSignatureV3({ ...request, authToken: AUTH_TOKEN })).toBe(signature);
      expect(verifyPlivoSignatureV3({ ...request, signature, authToken: AUTH_TOKEN })).toBe(true);
    });
  }

  const post = {
    method: 'POST',
    url: 'https://example.com/answer/',
    params: { CallUUID: 'abc', From: '+15554443333' },
    nonce: NONCE,
    authToken: AUTH_TOKEN,
  };
  const good = sign('https://example.com/answer/?CallUUIDabcFrom+15554443333');

  it('accepts a match anywhere in a comma-separated list (one signature per active token)', () => {
    const other = sign('https://example.com/answer/?CallUUIDabcFrom+15554443333', NONCE, 'old-token');
    expect(verifyPlivoSignatureV3({ ...post, signature: `${other},${good}` })).toBe(true);
    expect(verifyPlivoSignatureV3({ ...post, signature: `${good}, ${other}` })).toBe(true);
    expect(verifyPlivoSignatureV3({ ...post, signature: other })).toBe(false);
  });

  it('rejects a changed field, URL, nonce, token or method', () => {
    expect(verifyPlivoSignatureV3({ ...post, signature: good })).toBe(true);
    expect(
      verifyPlivoSignatureV3({ ...post, params: { ...post.params, From: '+1999' }, signature: good }),
    ).toBe(false);
    expect(verifyPlivoSignatureV3({ ...post, params: { ...post.params, Extra: '1' }, signature: good })).toBe(
      false,
    );
    expect(verifyPlivoSignatureV3({ ...post, url: 'https://evil.example/answer/', signature: good })).toBe(
      false,
    );
    expect(verifyPlivoSignatureV3({ ...post, url: 'http://example.com/answer/', signature: good })).toBe(
      false,
    );
    expect(verifyPlivoSignatureV3({ ...post, nonce: `${NONCE}0`, signature: good })).toBe(false);
    expect(verifyPlivoSignatureV3({ ...post, authToken: `${AUTH_TOKEN}x`, signature: good })).toBe(false);
    expect(verifyPlivoSignatureV3({ ...post, method: 'GET', signature: good })).toBe(false);
  });

  it('rejects a truncated or re-encoded signature', () => {
    expect(verifyPlivoSignatureV3({ ...post, signature: good.slice(0, -1) })).toBe(false);
    expect(verifyPlivoSignatureV3({ ...post, signature: Buffer.from(good, 'base64').toString('hex') })).toBe(
      false,
    );
    expect(verifyPlivoSignatureV3({ ...post, signature: '' })).toBe(false);
    expect(verifyPlivoSignatureV3({ ...post, signature: ',,,' })).toBe(false);
  });

  it('does not sign the query twice when the parsed query is also passed as GET params', () => {
    const url = 'https://example.com/answer?CallUUID=abc&From=123';
    const signature = sign('https://example.com/answer?CallUUID=abc&From=123');
    expect(
      verifyPlivoSignatureV3({
        method: 'GET',
        url,
        params: { CallUUID: 'abc', From: '123' },
        nonce: NONCE,
        signature,
        authToken: AUTH_TOKEN,
      }),
    ).toBe(true);
  });

  it('takes the method in any case, and refuses other methods', () => {
    expect(verifyPlivoSignatureV3({ ...post, method: 'post', signature: good })).toBe(true);
    expect(verifyPlivoSignatureV3({ ...post, method: 'PUT', signature: good })).toBe(false);
  });

  it('never throws on malformed input', () => {
    const bad: unknown[] = [
      undefined,
      null,
      'x',
      {},
      { ...post, signature: good, url: 'not a url' },
      { ...post, signature: good, url: 42 },
      { ...post, signature: good, authToken: '' },
      { ...post, signature: good, nonce: '' },
      { ...post, signature: 7 },
      { ...post, signature: good, params: { n: 1, b: true, list: [1, 2] } },
      { ...post, signature: good, url: 'https://example.com/a?%E0%A4%A=%ZZ&%C3%28=1' },
    ];
    for (const input of bad) {
      expect(() =>
        verifyPlivoSignatureV3(input as Parameters<typeof verifyPlivoSignatureV3>[0]),
      ).not.toThrow();
      expect(verifyPlivoSignatureV3(input as Parameters<typeof verifyPlivoSignatureV3>[0])).toBe(false);
    }
  });

  it('signs numbers and booleans in their string form, as the SDKs do', () => {
    const signature = sign('https://example.com/a?Duration12Livetrue');
    expect(
      verifyPlivoSignatureV3({
        method: 'POST',
        url: 'https://example.com/a',
        params: { Duration: 12, Live: true } as unknown as Record<string, string>,
        nonce: NONCE,
        signature,
        authToken: AUTH_TOKEN,
      }),
    ).toBe(true);
  });
});

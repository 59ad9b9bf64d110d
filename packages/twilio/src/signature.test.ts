import { describe, expect, it } from 'vitest';
import { computeTwilioSignature, twilioBodySha256, verifyTwilioSignature } from './signature.js';

// Twilio's published example (twilio.com/docs/usage/security; the same vector is in
// twilio-python tests/unit/test_request_validator.py): token 12345, this URL and these params.
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
// Computed independently with Python's hmac over 'https://mycompany.com:443/myapp.php?foo=1&bar=2' + params.
const SIGNATURE_WITH_PORT = 'kvajT1Ptam85bY51eRf/AJRuM3w=';
// Computed independently with Python: sha256 hex of the body, then HMAC-SHA1 over the URL alone.
const JSON_BODY = '{"event":"call.state"}';
const JSON_URL =
  'https://example.ngrok.io/webhook?bodySHA256=69f3cbfc18e386ef8236cb7008cd5a54b7fed637a8cb3373b5a1591d7f0fd5f4';
const JSON_SIGNATURE = 'dfO9ek8mxyFtn2nMz24plPmPfIY=';

describe('computeTwilioSignature', () => {
  it("matches Twilio's published example", () => {
    expect(computeTwilioSignature('12345', URL, PARAMS)).toBe(SIGNATURE);
  });

  it('does not depend on parameter order or container', () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(computeTwilioSignature('12345', URL, reversed)).toBe(SIGNATURE);
    expect(computeTwilioSignature('12345', URL, new URLSearchParams(PARAMS))).toBe(SIGNATURE);
  });

  it('takes each distinct value of a repeated key once, sorted', () => {
    const a = computeTwilioSignature('k', URL, { x: ['2', '1', '1'] });
    const b = computeTwilioSignature(
      'k',
      URL,
      new URLSearchParams([
        ['x', '1'],
        ['x', '2'],
      ]),
    );
    expect(a).toBe(b);
    expect(a).not.toBe(computeTwilioSignature('k', URL, { x: ['1'] }));
  });

  it('hashes a body as lower-case hex SHA-256', () => {
    expect(twilioBodySha256(JSON_BODY)).toBe(
      '69f3cbfc18e386ef8236cb7008cd5a54b7fed637a8cb3373b5a1591d7f0fd5f4',
    );
    expect(twilioBodySha256(new TextEncoder().encode(JSON_BODY))).toBe(twilioBodySha256(JSON_BODY));
  });
});

describe('verifyTwilioSignature', () => {
  const base = { authToken: '12345', signature: SIGNATURE, url: URL, params: PARAMS };

  it('accepts the published example', () => {
    expect(verifyTwilioSignature(base)).toBe(true);
  });

  it('rejects a changed parameter, URL, token or signature', () => {
    expect(verifyTwilioSignature({ ...base, params: { ...PARAMS, Digits: '9999' } })).toBe(false);
    expect(verifyTwilioSignature({ ...base, params: { ...PARAMS, Extra: '' } })).toBe(false);
    expect(verifyTwilioSignature({ ...base, url: 'https://mycompany.com/myapp.php?foo=1&bar=3' })).toBe(
      false,
    );
    expect(verifyTwilioSignature({ ...base, url: 'http://mycompany.com/myapp.php?foo=1&bar=2' })).toBe(false);
    expect(verifyTwilioSignature({ ...base, authToken: '12346' })).toBe(false);
    expect(verifyTwilioSignature({ ...base, signature: `${SIGNATURE.slice(0, -2)}A=` })).toBe(false);
  });

  it('accepts a signature made with or without the default port, as twilio-node does', () => {
    expect(verifyTwilioSignature({ ...base, signature: SIGNATURE_WITH_PORT })).toBe(true);
    expect(verifyTwilioSignature({ ...base, url: 'https://mycompany.com:443/myapp.php?foo=1&bar=2' })).toBe(
      true,
    );
    // twilio-node drops any port for its second try, so a non-default port also matches the port-less form.
    expect(verifyTwilioSignature({ ...base, url: 'https://mycompany.com:8443/myapp.php?foo=1&bar=2' })).toBe(
      true,
    );
    expect(verifyTwilioSignature({ ...base, url: 'https://mycompany.co:443/myapp.php?foo=1&bar=2' })).toBe(
      false,
    );
  });

  it('fails closed on missing or junk input, without throwing', () => {
    expect(verifyTwilioSignature({ ...base, signature: undefined })).toBe(false);
    expect(verifyTwilioSignature({ ...base, signature: '' })).toBe(false);
    expect(verifyTwilioSignature({ ...base, authToken: '' })).toBe(false);
    expect(verifyTwilioSignature({ ...base, signature: 'not base64 at all, and too long for SHA-1' })).toBe(
      false,
    );
    expect(verifyTwilioSignature({ ...base, url: 'not a url' })).toBe(false);
    expect(verifyTwilioSignature({ ...base, url: undefined as unknown as string })).toBe(false);
  });

  it('checks a JSON webhook by its bodySHA256 and signs the URL alone', () => {
    const json = {
      authToken: 'PSKtest1234567890abcdef',
      signature: JSON_SIGNATURE,
      url: JSON_URL,
      body: JSON_BODY,
    };
    expect(verifyTwilioSignature(json)).toBe(true);
    expect(verifyTwilioSignature({ ...json, body: new TextEncoder().encode(JSON_BODY) })).toBe(true);
    // Form params are ignored for JSON webhooks, as in twilio-node's validateRequestWithBody.
    expect(verifyTwilioSignature({ ...json, params: { a: 'b' } })).toBe(true);
    expect(verifyTwilioSignature({ ...json, body: '{"event":"call.stat"}' })).toBe(false);
    expect(verifyTwilioSignature({ ...json, body: undefined })).toBe(false);
  });
});

describe('verifyTwilioSignature port variants', () => {
  const params = { CallSid: 'CA1' };
  const token = 'port-token';
  const variants = (signedUrl: string, givenUrl: string) =>
    verifyTwilioSignature({
      authToken: token,
      signature: computeTwilioSignature(token, signedUrl, params),
      url: givenUrl,
      params,
    });

  it('adds :80 to http and :443 to https/wss, and drops any port', () => {
    expect(variants('http://example.com:80/a?b=1', 'http://example.com/a?b=1')).toBe(true);
    expect(variants('http://example.com:443/a', 'http://example.com/a')).toBe(false);
    expect(variants('wss://example.com:443/stream', 'wss://example.com/stream')).toBe(true);
    expect(variants('https://example.com/a', 'https://example.com:8443/a')).toBe(true);
  });

  it('keeps user info and IPv6 literals intact while changing the port', () => {
    expect(variants('https://user:pw@example.com:443/a', 'https://user:pw@example.com/a')).toBe(true);
    expect(variants('https://example.com:443/a', 'https://user:pw@example.com/a')).toBe(false);
    expect(variants('https://[2001:db8::1]:443/a', 'https://[2001:db8::1]/a')).toBe(true);
    expect(variants('https://[2001:db8::1]/a', 'https://[2001:db8::1]:8443/a')).toBe(true);
  });

  it('reads bodySHA256 before a fragment, and signs a URL that is not absolute as given', () => {
    const body = '{"a":1}';
    const url = `https://example.com/hook?bodySHA256=${twilioBodySha256(body)}#frag`;
    expect(
      verifyTwilioSignature({ authToken: token, signature: computeTwilioSignature(token, url), url, body }),
    ).toBe(true);
    const relative = '/relative/path';
    expect(variants(relative, relative)).toBe(true);
    expect(variants(relative, '/relative/other')).toBe(false);
  });
});

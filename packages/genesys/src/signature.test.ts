import { describe, expect, it } from 'vitest';
import { type GenesysSignatureRequest, verifyGenesysSignature } from './signature.js';
import { signGenesysUpgrade } from './testing/sign.js';

// The worked example of Genesys' AudioHook documentation, also the reference implementation's test
// "AudioHook documentation example" (purecloudlabs/audiohook-reference-implementation
// app/audiohook/test/httpsignature/signature-verifier.test.ts).
const API_KEY = 'SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh';
const SECRET = 'TXlTdXBlclNlY3JldEtleVRlbGxOby0xITJAMyM0JDU=';
const CREATED_S = 1641013200;
const EXAMPLE: GenesysSignatureRequest = {
  method: 'GET',
  url: 'wss://audiohook.example.com/api/v1/voicebiometrics/ws',
  headers: {
    host: 'audiohook.example.com',
    'audiohook-organization-id': 'd7934305-0972-4844-938e-9060eef73d05',
    'audiohook-session-id': '30b0e395-84d3-4570-ac13-9a62d8f514c0',
    'audiohook-correlation-id': 'e160e428-53e2-487c-977d-96989bf5c99d',
    'x-api-key': API_KEY,
    signature: 'sig1=:NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:',
    'signature-input':
      'sig1=("@request-target" "@authority" "audiohook-organization-id" "audiohook-session-id" "audiohook-correlation-id" "x-api-key");keyid="SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh";nonce="VGhpc0lzQVVuaXF1ZU5vbmNl";alg="hmac-sha256";created=1641013200;expires=3282026430',
  },
  apiKey: API_KEY,
  clientSecret: SECRET,
  nowMs: (CREATED_S + 1) * 1000,
};

function withHeader(name: string, value: string | undefined): GenesysSignatureRequest {
  return { ...EXAMPLE, headers: { ...EXAMPLE.headers, [name]: value } };
}

describe('verifyGenesysSignature', () => {
  it("verifies the Genesys documentation's example", () => {
    expect(verifyGenesysSignature(EXAMPLE)).toBe(true);
    // Without an API key configured, keyid = X-API-KEY is still required and enough.
    expect(verifyGenesysSignature({ ...EXAMPLE, apiKey: undefined })).toBe(true);
  });

  it('fails when any covered component is tampered with', () => {
    for (const name of ['audiohook-organization-id', 'audiohook-session-id', 'audiohook-correlation-id']) {
      expect(verifyGenesysSignature(withHeader(name, '00000000-0000-0000-0000-000000000000')), name).toBe(
        false,
      );
    }
    // X-API-KEY is also the keyid: a changed key fails whether or not one is configured.
    expect(verifyGenesysSignature({ ...withHeader('x-api-key', 'another-key'), apiKey: undefined })).toBe(
      false,
    );
    expect(verifyGenesysSignature({ ...EXAMPLE, url: 'wss://audiohook.example.com/api/v1/other/ws' })).toBe(
      false,
    );
    expect(
      verifyGenesysSignature({
        ...EXAMPLE,
        url: 'wss://audiohook.example.com/api/v1/voicebiometrics/ws?x=1',
      }),
    ).toBe(false);
    expect(
      verifyGenesysSignature({ ...EXAMPLE, url: 'wss://evil.example.com/api/v1/voicebiometrics/ws' }),
    ).toBe(false);
    expect(
      verifyGenesysSignature(withHeader('signature', 'sig1=:NZBxyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:')),
    ).toBe(false);
    const input = String(EXAMPLE.headers['signature-input']);
    expect(
      verifyGenesysSignature(
        withHeader('signature-input', input.replace('created=1641013200', 'created=1641013201')),
      ),
    ).toBe(false);
    expect(
      verifyGenesysSignature(
        withHeader('signature-input', input.replace('expires=3282026430', 'expires=3282026431')),
      ),
    ).toBe(false);
  });

  it('fails when a required component is not covered, or the algorithm is another', () => {
    const input = String(EXAMPLE.headers['signature-input']);
    expect(verifyGenesysSignature(withHeader('signature-input', input.replace(' "x-api-key"', '')))).toBe(
      false,
    );
    expect(
      verifyGenesysSignature(withHeader('signature-input', input.replace('hmac-sha256', 'rsa-pss-sha512'))),
    ).toBe(false);
  });

  it('fails with an expired or future created, and an expired expires', () => {
    expect(verifyGenesysSignature({ ...EXAMPLE, nowMs: (CREATED_S + 14) * 1000 })).toBe(false);
    expect(verifyGenesysSignature({ ...EXAMPLE, nowMs: (CREATED_S + 13) * 1000 })).toBe(true);
    expect(verifyGenesysSignature({ ...EXAMPLE, nowMs: (CREATED_S - 4) * 1000 })).toBe(false);
    expect(verifyGenesysSignature({ ...EXAMPLE, nowMs: (CREATED_S - 3) * 1000 })).toBe(true);
    const url = 'ws://127.0.0.1:8080/genesys';
    const signed = signGenesysUpgrade({
      url,
      apiKey: API_KEY,
      clientSecret: SECRET,
      organizationId: 'org',
      sessionId: 'session',
      createdS: 1000,
      lifetimeS: 2,
    });
    const request = { method: 'GET', url, headers: signed, apiKey: API_KEY, clientSecret: SECRET };
    expect(verifyGenesysSignature({ ...request, nowMs: 1001_000 })).toBe(true);
    expect(verifyGenesysSignature({ ...request, nowMs: 1006_000 })).toBe(false);
  });

  it('fails with a nonce under 22 characters', () => {
    const url = 'ws://127.0.0.1:8080/genesys';
    const sign = (nonce: string) =>
      signGenesysUpgrade({
        url,
        apiKey: API_KEY,
        clientSecret: SECRET,
        organizationId: 'o',
        sessionId: 's',
        nonce,
        createdS: 5000,
      });
    const check = (nonce: string) =>
      verifyGenesysSignature({
        method: 'GET',
        url,
        headers: sign(nonce),
        clientSecret: SECRET,
        nowMs: 5000_000,
      });
    expect(check('a'.repeat(22))).toBe(true);
    expect(check('a'.repeat(21))).toBe(false);
  });

  it('fails with a wrong key, a wrong API key, and without a signature; never throws', () => {
    expect(
      verifyGenesysSignature({ ...EXAMPLE, clientSecret: Buffer.from('another secret').toString('base64') }),
    ).toBe(false);
    expect(verifyGenesysSignature({ ...EXAMPLE, apiKey: 'configured-other-key' })).toBe(false);
    expect(verifyGenesysSignature(withHeader('signature', undefined))).toBe(false);
    expect(verifyGenesysSignature(withHeader('signature-input', undefined))).toBe(false);
    for (const garbage of ['', 'sig1=', 'sig1=("@authority"', '(((', 'sig1=:!!:', 'sig1="x";a=?2']) {
      expect(verifyGenesysSignature(withHeader('signature-input', garbage)), garbage).toBe(false);
      expect(verifyGenesysSignature(withHeader('signature', garbage)), garbage).toBe(false);
    }
    expect(verifyGenesysSignature({ ...EXAMPLE, url: 'not a url' })).toBe(false);
  });
});

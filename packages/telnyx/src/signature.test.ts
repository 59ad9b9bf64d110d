import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { telnyxPublicKey, telnyxSignatureHeaders, verifyTelnyxSignature } from './signature.js';

// RFC 8032 section 7.1, TEST 1: the secret key 9d61b19d...7f60 has this public key and signs the empty
// message as below. Proves the raw-key import path against a published vector.
const RFC_PUBLIC_KEY = Buffer.from(
  'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  'hex',
).toString('base64');
// Computed independently with Python `cryptography` (Ed25519PrivateKey from the RFC secret key) over
// b'1700000000|' + BODY: the exact message Telnyx signs, `${telnyx-timestamp}|${raw body}`.
const BODY = '{"data":{"event_type":"call.hangup","payload":{"call_control_id":"v3:abc"}}}';
const TIMESTAMP = '1700000000';
const SIGNATURE = 'Hb+rxzoeDwwYI7TiqomatK/d2wvdPWxJoeyqVx2Z7I9e4sk+V2k6oJ45tPRPH2EFJ+gRaIvcfk2Cbk1XCllZDg==';
const NOW_MS = 1_700_000_000_000;

const base = {
  publicKey: RFC_PUBLIC_KEY,
  signature: SIGNATURE,
  timestamp: TIMESTAMP,
  body: BODY,
  nowMs: NOW_MS,
};

describe('verifyTelnyxSignature', () => {
  it('accepts an independently made signature of timestamp|body', () => {
    expect(RFC_PUBLIC_KEY).toBe('11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=');
    expect(verifyTelnyxSignature(base)).toBe(true);
    expect(verifyTelnyxSignature({ ...base, body: new TextEncoder().encode(BODY) })).toBe(true);
  });

  it('checks the RFC 8032 test vector through the same key import', () => {
    const key = telnyxPublicKey(RFC_PUBLIC_KEY);
    expect(key?.asymmetricKeyType).toBe('ed25519');
    const rfcSignature =
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
    // An empty body signs "1700000000|", not the empty message, so the RFC signature must NOT verify here...
    expect(
      verifyTelnyxSignature({
        ...base,
        body: '',
        signature: Buffer.from(rfcSignature, 'hex').toString('base64'),
      }),
    ).toBe(false);
  });

  it('rejects a changed body, timestamp, key or signature', () => {
    expect(verifyTelnyxSignature({ ...base, body: BODY.replace('v3:abc', 'v3:abd') })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, body: `${BODY} ` })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, timestamp: '1700000001', nowMs: NOW_MS })).toBe(false);
    const other = generateKeyPairSync('ed25519')
      .publicKey.export({ format: 'der', type: 'spki' })
      .subarray(12);
    expect(verifyTelnyxSignature({ ...base, publicKey: other.toString('base64') })).toBe(false);
    const flipped = Buffer.from(SIGNATURE, 'base64');
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(verifyTelnyxSignature({ ...base, signature: flipped.toString('base64') })).toBe(false);
  });

  it('enforces the timestamp tolerance both ways (300 s by default)', () => {
    expect(verifyTelnyxSignature({ ...base, nowMs: NOW_MS + 300_000 })).toBe(true);
    expect(verifyTelnyxSignature({ ...base, nowMs: NOW_MS + 301_000 })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, nowMs: NOW_MS - 301_000 })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, nowMs: NOW_MS + 60_000, toleranceSeconds: 30 })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, nowMs: NOW_MS + 3_600_000, toleranceSeconds: 7200 })).toBe(true);
  });

  it('fails closed on missing or malformed input, without throwing', () => {
    expect(verifyTelnyxSignature({ ...base, signature: undefined })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, timestamp: undefined })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, timestamp: '17e8' })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, timestamp: '-1700000000' })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, signature: 'not-base64!' })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, signature: SIGNATURE.slice(4) })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, publicKey: 'AAAA' })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, publicKey: '' })).toBe(false);
    expect(verifyTelnyxSignature({ ...base, toleranceSeconds: Number.NaN })).toBe(false);
  });

  it('verifies what a freshly generated key signs, given as a KeyObject', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const body = '{"x":1}';
    const signature = sign(null, Buffer.from(`${TIMESTAMP}|${body}`), privateKey).toString('base64');
    expect(verifyTelnyxSignature({ ...base, publicKey, body, signature })).toBe(true);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(verifyTelnyxSignature({ ...base, publicKey: rsa, body, signature })).toBe(false);
  });
});

describe('telnyxSignatureHeaders', () => {
  it("reads Node's lower-cased header names", () => {
    expect(
      telnyxSignatureHeaders({ 'telnyx-signature-ed25519': SIGNATURE, 'telnyx-timestamp': [TIMESTAMP, 'x'] }),
    ).toEqual({ signature: SIGNATURE, timestamp: TIMESTAMP });
  });
});

describe('verifyTelnyxSignature edges', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rawKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
  const body = '{"data":{}}';
  const signed = (timestamp: string) =>
    sign(null, Buffer.from(`${timestamp}|${body}`), privateKey).toString('base64');

  it('refuses a non-numeric timestamp even when it is signed (NaN would slip past the tolerance)', () => {
    for (const timestamp of ['1700000000x', ' 1700000000', 'x1700000000', 'NaN', '']) {
      expect(
        verifyTelnyxSignature({
          publicKey: rawKey,
          signature: signed(timestamp),
          timestamp,
          body,
          nowMs: NOW_MS,
        }),
        JSON.stringify(timestamp),
      ).toBe(false);
    }
  });

  it('accepts a zero tolerance at the exact second, and surrounding whitespace in key and signature', () => {
    const input = {
      publicKey: rawKey,
      signature: signed(TIMESTAMP),
      timestamp: TIMESTAMP,
      body,
      nowMs: NOW_MS,
    };
    expect(verifyTelnyxSignature({ ...input, toleranceSeconds: 0 })).toBe(true);
    expect(verifyTelnyxSignature({ ...input, toleranceSeconds: 0, nowMs: NOW_MS + 1000 })).toBe(false);
    expect(
      verifyTelnyxSignature({ ...input, publicKey: ` ${rawKey}\n`, signature: ` ${input.signature} ` }),
    ).toBe(true);
  });

  it('imports only a 32-byte base64 key', () => {
    expect(telnyxPublicKey(rawKey)?.asymmetricKeyType).toBe('ed25519');
    expect(telnyxPublicKey(`${rawKey}\n`)?.asymmetricKeyType).toBe('ed25519');
    expect(telnyxPublicKey(Buffer.alloc(31, 1).toString('base64'))).toBeUndefined();
    expect(telnyxPublicKey(Buffer.alloc(33, 1).toString('base64'))).toBeUndefined();
    expect(telnyxPublicKey('')).toBeUndefined();
    expect(telnyxPublicKey('!!!!')).toBeUndefined();
  });
});

import { createHmac } from 'node:crypto';
import { createOnceMemory } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { mintStreamToken, readStreamToken, streamSecretKey, streamUrlWithToken } from './stream-token.js';

const secret = 'a-test-secret-of-enough-length';
const key = streamSecretKey(secret);

describe('stream tokens', () => {
  it('reads back the carrier, call id and expiry it was minted with', () => {
    const token = mintStreamToken({
      secret,
      carrier: 'twilio',
      callId: 'CA.1:x~y',
      ttlMs: 1000,
      nowMs: 5000,
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(readStreamToken(token, key, 5999)).toMatchObject({
      carrier: 'twilio',
      callId: 'CA.1:x~y',
      expiresAtMs: 6000,
    });
    expect(readStreamToken(token, key, 6000)).toBe('expired');
  });

  it('is unique per mint, binds no call when none is given, and is refused under another secret', () => {
    const a = mintStreamToken({ secret, carrier: 'plivo', nowMs: 0 });
    const b = mintStreamToken({ secret, carrier: 'plivo', nowMs: 0 });
    expect(a).not.toBe(b);
    expect(readStreamToken(a, key, 1)).toMatchObject({ carrier: 'plivo', callId: undefined });
    expect(readStreamToken(a, streamSecretKey('another-secret-of-length'), 1)).toBe('invalid');
  });

  it('refuses a tampered payload, a tampered MAC, and malformed tokens', () => {
    const token = mintStreamToken({ secret, carrier: 'plivo', callId: 'call-1', nowMs: 0 });
    const [payload = '', mac = ''] = token.split('.');
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString('utf8').replace('call-1', 'call-2'),
    ).toString('base64url');
    expect(readStreamToken(`${forged}.${mac}`, key, 1)).toBe('invalid');
    expect(readStreamToken(`${payload}.${mac.slice(0, -2)}AA`, key, 1)).toBe('invalid');
    for (const bad of ['', '.', 'abc', `${payload}.${mac}.x`, `${payload}.`, 'x'.repeat(2000)]) {
      expect(readStreamToken(bad, key, 1)).toBe('invalid');
    }
    // A MAC made with the same secret over the same payload but without the domain prefix is not a token.
    const bare = createHmac('sha256', secret).update(Buffer.from(payload, 'base64url')).digest('base64url');
    expect(readStreamToken(`${payload}.${bare}`, key, 1)).toBe('invalid');
  });

  it('refuses a short secret and a bad carrier name with CONFIG errors that do not echo the secret', () => {
    expect(() => mintStreamToken({ secret: 'short-secret', carrier: 'plivo' })).toThrow(/streamAuth\.secret/);
    expect(() => mintStreamToken({ secret: 'short-secret', carrier: 'plivo' })).not.toThrow(/short-secret/);
    expect(() => mintStreamToken({ secret, carrier: 'Not A Name' })).toThrow(/carrier/);
    expect(() => mintStreamToken({ secret, carrier: 'plivo', ttlMs: 0 })).toThrow(/ttlMs/);
  });

  it('goes into the stream URL as the last path segment, before any query', () => {
    expect(streamUrlWithToken('wss://h.test/stream', 'T')).toBe('wss://h.test/stream/T');
    expect(streamUrlWithToken('wss://h.test/stream/', 'T')).toBe('wss://h.test/stream/T');
    expect(streamUrlWithToken('wss://h.test/stream?sample-rate=16000', 'T')).toBe(
      'wss://h.test/stream/T?sample-rate=16000',
    );
  });
});

describe('used tokens', () => {
  it('claims a token once, forgets it after expiry, and holds at most max', () => {
    const used = createOnceMemory(3);
    expect(used.claim('a', 100, 0)).toBe(true);
    expect(used.claim('a', 100, 1)).toBe(false);
    expect(used.claim('b', 200, 2)).toBe(true);
    // At t=150 'a' has expired: it is forgotten when the next token comes in.
    expect(used.claim('c', 300, 150)).toBe(true);
    expect(used.size).toBe(2);
    expect(used.claim('d', 400, 160)).toBe(true);
    expect(used.claim('e', 500, 170)).toBe(true);
    expect(used.size).toBe(3);
    expect(used.claim('c', 300, 180)).toBe(false);
  });
});

import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from './hmac-sha256.js';

describe('hmacSha256', () => {
  it("equals node:crypto's HMAC-SHA256 for keys and messages of every length around the block size", () => {
    for (const keyBytes of [0, 1, 16, 32, 63, 64, 65, 100, 200]) {
      const key = randomBytes(keyBytes);
      for (const prefix of [new Uint8Array(0), Buffer.from('callwire-stream-token-v1\n')]) {
        const mac = hmacSha256(key, prefix);
        // Past 512 bytes the scratch buffer grows; shorter messages after that still come out right.
        for (const messageBytes of [0, 1, 55, 56, 64, 119, 120, 511, 512, 513, 2000, 3, 70]) {
          const message = randomBytes(messageBytes);
          const expected = createHmac('sha256', key).update(prefix).update(message).digest();
          expect(mac(message).equals(expected)).toBe(true);
        }
      }
    }
  });

  it('returns a fresh buffer per call (a later MAC does not overwrite an earlier one)', () => {
    const mac = hmacSha256(Buffer.from('a key of some sixteen bytes'));
    const first = mac(Buffer.from('first'));
    const copy = Buffer.from(first);
    mac(Buffer.from('second'));
    expect(first.equals(copy)).toBe(true);
  });
});

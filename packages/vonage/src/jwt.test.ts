import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signVonageJwt } from './jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function decode(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

describe('signVonageJwt', () => {
  it('makes an RS256 JWT with the claims vonage-node-sdk sets', () => {
    const token = signVonageJwt({
      applicationId: 'app-1',
      privateKey: pem,
      nowMs: 1_700_000_000_500,
      jti: 'id-1',
    });
    const [header, claims, signature] = token.split('.') as [string, string, string];
    expect(decode(header)).toEqual({ typ: 'JWT', alg: 'RS256' });
    expect(decode(claims)).toEqual({
      application_id: 'app-1',
      iat: 1_700_000_000,
      jti: 'id-1',
      exp: 1_700_000_900,
    });
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${claims}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });

  it('gives every token its own jti and honours the ttl', () => {
    const first = decode(
      signVonageJwt({ applicationId: 'a', privateKey, ttlSeconds: 60 }).split('.')[1]!,
    ) as {
      jti: string;
      iat: number;
      exp: number;
    };
    const second = decode(signVonageJwt({ applicationId: 'a', privateKey }).split('.')[1]!) as {
      jti: string;
    };
    expect(first.jti).not.toBe(second.jti);
    expect(first.exp - first.iat).toBe(60);
  });

  it('fails verification with another key', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const [header, claims, signature] = signVonageJwt({ applicationId: 'a', privateKey }).split('.') as [
      string,
      string,
      string,
    ];
    expect(
      verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), other, Buffer.from(signature, 'base64url')),
    ).toBe(false);
  });
});

// The gate's token path on its own (the HTTP side is in stream-auth.test.ts): a token this gate minted is
// taken by lookup, any other through its HMAC, and both are single-use, expire and bind their claims.
import type { IncomingMessage } from 'node:http';
import { createCallwireContainer, silentLogger } from '@callwire/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMintedTokens } from './minted-tokens.js';
import { createStreamGate, type GateVerdict } from './stream-gate.js';
import { mintStreamTokenWithClaims } from './stream-token.js';

const secret = 'a-gate-test-secret-of-enough-length';
const request = {} as IncomingMessage;
const upgradeRequest = () => ({ method: 'GET', url: '', headers: {}, body: '' });

function gate(maxRememberedTokens = 100) {
  return createStreamGate({
    container: createCallwireContainer({ logger: silentLogger }),
    logger: silentLogger,
    streamAuth: { secret, ttlMs: 1000, maxRememberedTokens },
  });
}

function check(on: ReturnType<typeof gate>, token: string): GateVerdict {
  const verdict = on.check(token, request, upgradeRequest);
  if (verdict instanceof Promise) throw new Error('a token check went async');
  return verdict;
}

afterEach(() => vi.useRealTimers());

describe('stream gate tokens', () => {
  it('admits a token it minted once, with its claims; the second use is refused', () => {
    const here = gate();
    const token = here.mint('twilio', 'CA1') ?? '';
    expect(check(here, token)).toEqual({ admitted: { carrier: 'twilio', callId: 'CA1', via: 'token' } });
    expect(check(here, token)).toEqual({ status: 403, kind: 'reused-token' });
  });

  it("admits another instance's token (same secret) through its HMAC, once", () => {
    const there = gate();
    const here = gate();
    const token = there.mint('plivo', undefined) ?? '';
    expect(check(here, token)).toEqual({ admitted: { carrier: 'plivo', callId: undefined, via: 'token' } });
    expect(check(here, token)).toEqual({ status: 403, kind: 'reused-token' });
  });

  it('refuses a minted token whose payload or MAC was changed, and one past its expiry', () => {
    vi.useFakeTimers({ now: 10_000 });
    const here = gate();
    const token = here.mint('twilio', 'CA1') ?? '';
    const [payload = '', mac = ''] = token.split('.');
    const otherCall = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('CA1', 'CA2'),
    ).toString('base64url');
    expect(check(here, `${otherCall}.${mac}`)).toEqual({ status: 403, kind: 'bad-token' });
    expect(check(here, `${payload}.${mac.slice(0, -2)}AA`)).toEqual({ status: 403, kind: 'bad-token' });
    vi.setSystemTime(11_000);
    expect(check(here, token)).toEqual({ status: 403, kind: 'expired-token' });
  });

  it('still admits a token it minted but forgot at max (through its HMAC)', () => {
    const here = gate(2);
    const first = here.mint('twilio', 'CA1') ?? '';
    here.mint('twilio', 'CA2');
    here.mint('twilio', 'CA3');
    expect(check(here, first)).toEqual({ admitted: { carrier: 'twilio', callId: 'CA1', via: 'token' } });
  });
});

describe('createMintedTokens', () => {
  const minted = (callId: string, expiresAtMs: number) =>
    mintStreamTokenWithClaims({ secret, carrier: 'twilio', callId, ttlMs: expiresAtMs, nowMs: 0 });

  it('gives the claims back once, forgets expired ones as new ones come, and holds at most max', () => {
    const tokens = createMintedTokens(2);
    const a = minted('a', 100);
    const b = minted('b', 200);
    const c = minted('c', 300);
    tokens.remember(a.token, a.claims, 0);
    tokens.remember(b.token, b.claims, 0);
    expect(tokens.take(a.token)).toEqual(a.claims);
    expect(tokens.take(a.token)).toBeUndefined();
    // At 150, the slot of a (taken) and nothing else expired; c fits.
    tokens.remember(c.token, c.claims, 150);
    expect(tokens.size).toBe(2);
    // At 250, b expired: forgotten when d comes in.
    const d = minted('d', 400);
    tokens.remember(d.token, d.claims, 250);
    expect(tokens.take(b.token)).toBeUndefined();
    expect(tokens.take(c.token)).toEqual(c.claims);
    // At max, the oldest is forgotten even unexpired.
    const e = minted('e', 500);
    const f = minted('f', 500);
    tokens.remember(e.token, e.claims, 260);
    tokens.remember(f.token, f.claims, 260);
    expect(tokens.size).toBe(2);
    expect(tokens.take(d.token)).toBeUndefined();
    expect(tokens.take(f.token)).toEqual(f.claims);
  });
});

import type { ReadStreamToken } from './stream-token.js';

/** Stream tokens this process minted and has not yet seen come back, with their claims. */
export interface MintedTokens {
  /** Remembers `token` (minted here) until its expiry, at most `max` of them. */
  remember(token: string, claims: ReadStreamToken, nowMs: number): void;
  /** The claims of `token` when this process minted it and it was not taken before; it is forgotten. */
  take(token: string): ReadStreamToken | undefined;
  readonly size: number;
}

/**
 * The answer and the stream of a call usually reach the same process: the token it minted is then known
 * genuine by lookup, without its HMAC. The whole token is the key, so a changed payload or MAC misses and
 * goes through `readStreamToken`, as does another instance's token or one forgotten at `max`. Taking a
 * token does not make it single-use: the caller still claims its id in the used-token memory.
 */
export function createMintedTokens(max: number): MintedTokens {
  const capacity = Math.max(1, Math.floor(max));
  const minted = new Map<string, ReadStreamToken>();
  // Mint order (expiry order, tokens sharing one lifetime) in a ring; a slot may hold a token already
  // taken, which costs nothing to forget again.
  const order: string[] = [];
  let oldest = 0;
  let count = 0;
  const forgetOldest = (): void => {
    minted.delete(order[oldest] as string);
    order[oldest] = '';
    oldest = (oldest + 1) % capacity;
    count -= 1;
  };
  return {
    remember(token, claims, nowMs) {
      while (count > 0 && (minted.get(order[oldest] as string)?.expiresAtMs ?? 0) <= nowMs) forgetOldest();
      if (count >= capacity) forgetOldest();
      order[(oldest + count) % capacity] = token;
      count += 1;
      minted.set(token, claims);
    },
    take(token) {
      const claims = minted.get(token);
      if (claims !== undefined) minted.delete(token);
      return claims;
    },
    get size() {
      return minted.size;
    },
  };
}

/** The tokens already used, remembered until they expire, at most `max` of them. */
export interface UsedTokens {
  /** True the first time `id` is claimed (it is then remembered until `expiresAtMs`), false after. */
  claim(id: string, expiresAtMs: number, nowMs: number): boolean;
  readonly size: number;
}

/**
 * A bounded single-use memory. Expired entries are forgotten as new ones come in (the map keeps claim
 * order, which is expiry order while tokens share one lifetime). At `max`, the oldest claim is forgotten:
 * filling it takes that many fresh valid tokens, and whoever can mint those needs no replay.
 */
export function createUsedTokens(max: number): UsedTokens {
  const used = new Map<string, number>();
  return {
    claim(id, expiresAtMs, nowMs) {
      if (used.has(id)) return false;
      for (const [key, expiry] of used) {
        if (expiry > nowMs) break;
        used.delete(key);
      }
      if (used.size >= max) {
        const oldest = used.keys().next();
        if (!oldest.done) used.delete(oldest.value);
      }
      used.set(id, expiresAtMs);
      return true;
    },
    get size() {
      return used.size;
    },
  };
}

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
  /** The expiry of the first entry (claim order); +Infinity when empty. Sweeps run only once it passed. */
  let oldestExpiry = Number.POSITIVE_INFINITY;
  const sweep = (nowMs: number): void => {
    oldestExpiry = Number.POSITIVE_INFINITY;
    for (const [key, expiry] of used) {
      if (expiry > nowMs) {
        oldestExpiry = expiry;
        return;
      }
      used.delete(key);
    }
  };
  return {
    claim(id, expiresAtMs, nowMs) {
      if (used.has(id)) return false;
      if (oldestExpiry <= nowMs) sweep(nowMs);
      if (used.size >= max) {
        const oldest = used.keys().next();
        if (!oldest.done) used.delete(oldest.value);
        const next = used.values().next();
        oldestExpiry = next.done ? Number.POSITIVE_INFINITY : next.value;
      }
      if (used.size === 0) oldestExpiry = expiresAtMs;
      used.set(id, expiresAtMs);
      return true;
    },
    get size() {
      return used.size;
    },
  };
}

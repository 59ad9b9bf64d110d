/** Ids already used (stream tokens, signed-request nonces), remembered until they expire, at most `max` of them. */
export interface OnceMemory {
  /** True the first time `id` is claimed (it is then remembered until `expiresAtMs`), false after. */
  claim(id: string, expiresAtMs: number, nowMs: number): boolean;
  readonly size: number;
}

/**
 * A bounded single-use memory. Expired entries are forgotten as new ones come in (the map keeps claim
 * order, which is expiry order while tokens share one lifetime). At `max`, the oldest claim is forgotten:
 * filling it takes that many fresh valid ids (tokens only the server mints, nonces only the carrier signs),
 * and whoever can make those needs no replay.
 */
export function createOnceMemory(max: number): OnceMemory {
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
      // Expired entries go first: an id is used only while its entry lives.
      if (oldestExpiry <= nowMs) sweep(nowMs);
      if (used.has(id)) return false;
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

/** Ids already used (stream tokens, signed-request nonces), remembered until they expire, at most `max` of them. */
export interface OnceMemory {
  /** True the first time `id` is claimed (it is then remembered until `expiresAtMs`), false after. */
  claim(id: string, expiresAtMs: number, nowMs: number): boolean;
  readonly size: number;
}

/**
 * A bounded single-use memory. Expired entries are forgotten as new ones come in (claims are kept in
 * claim order, which is expiry order while tokens share one lifetime). At `max`, the oldest claim is
 * forgotten: filling it takes that many fresh valid ids (tokens only the server mints, nonces only the
 * carrier signs), and whoever can make those needs no replay.
 */
export function createOnceMemory(max: number): OnceMemory {
  const capacity = Math.max(1, Math.floor(max));
  // Claim order lives in a ring, not in the Set's insertion order: evicting through `set.keys().next()`
  // walks every deleted slot V8 keeps until the next rehash (about 8 µs per claim at 100,000 entries).
  const used = new Set<string>();
  const ids: string[] = [];
  const expiries: number[] = [];
  let oldest = 0;
  const forgetOldest = (): void => {
    used.delete(ids[oldest] as string);
    oldest = (oldest + 1) % capacity;
  };
  return {
    claim(id, expiresAtMs, nowMs) {
      // Expired entries go first: an id is used only while its entry lives.
      while (used.size > 0 && (expiries[oldest] as number) <= nowMs) forgetOldest();
      if (used.has(id)) return false;
      if (used.size >= capacity) forgetOldest();
      const slot = (oldest + used.size) % capacity;
      ids[slot] = id;
      expiries[slot] = expiresAtMs;
      used.add(id);
      return true;
    },
    get size() {
      return used.size;
    },
  };
}

import { describe, expect, it } from 'vitest';
import { createOnceMemory } from './once-memory.js';

/** The obvious model: every claim in order, swept from the front while expired, trimmed to `max`. */
function modelMemory(max: number) {
  const entries: { id: string; expiresAtMs: number }[] = [];
  return {
    claim(id: string, expiresAtMs: number, nowMs: number): boolean {
      while (entries.length > 0 && (entries[0]?.expiresAtMs ?? 0) <= nowMs) entries.shift();
      if (entries.some((entry) => entry.id === id)) return false;
      if (entries.length >= max) entries.shift();
      entries.push({ id, expiresAtMs });
      return true;
    },
    size: () => entries.length,
  };
}

describe('createOnceMemory', () => {
  it('refuses an id while it is remembered, and takes it again once it expired', () => {
    const used = createOnceMemory(10);
    expect(used.claim('a', 100, 0)).toBe(true);
    expect(used.claim('a', 100, 99)).toBe(false);
    expect(used.claim('a', 300, 100)).toBe(true);
    expect(used.size).toBe(1);
  });

  it('forgets the oldest claim at max, even unexpired', () => {
    const used = createOnceMemory(2);
    expect(used.claim('a', 1000, 0)).toBe(true);
    expect(used.claim('b', 1000, 0)).toBe(true);
    expect(used.claim('c', 1000, 0)).toBe(true);
    expect(used.size).toBe(2);
    expect(used.claim('b', 1000, 0)).toBe(false);
    expect(used.claim('a', 1000, 0)).toBe(true);
  });

  it('answers as the obvious model does over many wrap-arounds of its ring', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const max of [1, 3, 17]) {
      const used = createOnceMemory(max);
      const model = modelMemory(max);
      let nowMs = 0;
      for (let step = 0; step < 5000; step += 1) {
        nowMs += Math.floor(random() * 4);
        const id = `id-${Math.floor(random() * 40)}`;
        const expiresAtMs = nowMs + 20 + Math.floor(random() * 3);
        expect(used.claim(id, expiresAtMs, nowMs)).toBe(model.claim(id, expiresAtMs, nowMs));
        expect(used.size).toBe(model.size());
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { checkFastPathAgreement } from './media-fast-path.js';

const Media = z.object({ event: z.literal('media'), seq: z.number().int().optional(), payload: z.string() });

/** A correct hand check of `Media`: the schema's output, or `undefined`. */
function goodFastPath(json: unknown) {
  const value = json as { event?: unknown; seq?: unknown; payload?: unknown } | null;
  if (typeof value !== 'object' || value === null || value.event !== 'media') return undefined;
  if (typeof value.payload !== 'string') return undefined;
  if (value.seq !== undefined && !Number.isInteger(value.seq)) return undefined;
  return value.seq === undefined
    ? { event: 'media', payload: value.payload }
    : { event: 'media', seq: value.seq, payload: value.payload };
}

describe('checkFastPathAgreement', () => {
  it('passes a fast path that gives what the schema gives, and one that declines', () => {
    expect(checkFastPathAgreement(goodFastPath, Media, { event: 'media', seq: 1, payload: 'AA', x: 1 })).toBe(
      'fast',
    );
    expect(checkFastPathAgreement(() => undefined, Media, { event: 'media', payload: 'AA' })).toBe(
      'declined',
    );
  });

  it('fails a fast path that accepts what the schema refuses', () => {
    const lax = (json: unknown) => json;
    expect(() => checkFastPathAgreement(lax, Media, { event: 'media', seq: 1.5, payload: 'AA' })).toThrow(
      /accepted what the schema refuses/,
    );
  });

  it('fails a fast path that keeps unknown keys or changes the key order', () => {
    const keepsKeys = (json: unknown) => ({ ...(goodFastPath(json) ?? {}), x: 1 });
    expect(() => checkFastPathAgreement(keepsKeys, Media, { event: 'media', payload: 'AA', x: 1 })).toThrow();
    const reordered = (json: unknown) => {
      const good = goodFastPath(json);
      return good && { payload: good.payload, event: good.event };
    };
    expect(() => checkFastPathAgreement(reordered, Media, { event: 'media', payload: 'AA' })).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { createInboundPcm } from './inbound-pcm.js';
import type { PcmResampler } from './output-audio.js';

/** Decodes each byte as one sample (value * 10), so the output shows what was decoded. */
const decodeInto = (bytes: Uint8Array, out: Int16Array): void => {
  for (let i = 0; i < out.length; i++) out[i] = bytes[i]! * 10;
};

/** A 1:2 "resampler" that repeats each sample and records the chunks it was given. */
function doublingResampler(seen: Int16Array[]): PcmResampler {
  return {
    inRate: 8000,
    process(chunk) {
      seen.push(chunk);
      const out = new Int16Array(chunk.length * 2);
      for (const [i, sample] of chunk.entries()) out.fill(sample, 2 * i, 2 * i + 2);
      return out;
    },
    flush: () => new Int16Array(0),
    reset: () => {},
  };
}

describe('createInboundPcm', () => {
  it('decodes straight into a new array at equal rates (no resampler)', () => {
    const made: number[] = [];
    const pcm = createInboundPcm(8000, 8000, () => {
      made.push(1);
      return doublingResampler([]);
    });
    const first = pcm.decode(new Uint8Array([1, 2, 3]), 3, decodeInto);
    const second = pcm.decode(new Uint8Array([4, 5, 6]), 3, decodeInto);
    expect(Array.from(first)).toEqual([10, 20, 30]);
    expect(Array.from(second)).toEqual([40, 50, 60]);
    expect(first.buffer).not.toBe(second.buffer);
    expect(made).toEqual([]);
    expect(pcm.wireRate).toBe(8000);
  });

  it('decodes into one reused buffer that the resampler reads, and returns its output', () => {
    const seen: Int16Array[] = [];
    const pcm = createInboundPcm(8000, 16000, () => doublingResampler(seen));
    const first = pcm.decode(new Uint8Array([1, 2]), 2, decodeInto);
    expect(Array.from(first)).toEqual([10, 10, 20, 20]);
    const second = pcm.decode(new Uint8Array([3, 4]), 2, decodeInto);
    expect(Array.from(second)).toEqual([30, 30, 40, 40]);
    expect(Array.from(first)).toEqual([10, 10, 20, 20]);
    expect(seen[0]).toBe(seen[1]);
  });

  it('grows and shrinks the decoded view with the chunk size', () => {
    const seen: Int16Array[] = [];
    const pcm = createInboundPcm(8000, 16000, () => doublingResampler(seen));
    pcm.decode(new Uint8Array([1, 2]), 2, decodeInto);
    expect(Array.from(pcm.decode(new Uint8Array([1, 2, 3, 4, 5]), 5, decodeInto))).toHaveLength(10);
    expect(Array.from(pcm.decode(new Uint8Array([7]), 1, decodeInto))).toEqual([70, 70]);
    expect(seen.map((chunk) => chunk.length)).toEqual([2, 5, 1]);
  });
});

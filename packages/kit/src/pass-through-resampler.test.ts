import { describe, expect, it } from 'vitest';
import type { PcmResampler } from './output-audio.js';
import { passThroughAtEqualRates } from './pass-through-resampler.js';

const copying = (inRate: number): PcmResampler => ({
  inRate,
  process: (chunk) => chunk.slice(),
  flush: () => new Int16Array([9]),
  reset: () => {},
});

describe('passThroughAtEqualRates', () => {
  it('hands chunks through untouched at equal rates', () => {
    const resampler = passThroughAtEqualRates(copying)(8000, 8000);
    const chunk = new Int16Array([1, 2, 3]);
    expect(resampler.process(chunk)).toBe(chunk);
    expect(resampler.flush()).toHaveLength(0);
    expect(resampler.inRate).toBe(8000);
    resampler.reset();
  });

  it('uses the given factory when the rates differ', () => {
    const calls: [number, number][] = [];
    const factory = passThroughAtEqualRates((inRate, outRate) => {
      calls.push([inRate, outRate]);
      return copying(inRate);
    });
    const resampler = factory(16000, 8000);
    const chunk = new Int16Array([1, 2, 3]);
    expect(resampler.process(chunk)).not.toBe(chunk);
    expect(Array.from(resampler.flush())).toEqual([9]);
    expect(calls).toEqual([[16000, 8000]]);
  });
});

// Pins what mutation testing found unpinned in the resampler's sparse inner loops and its stream
// bookkeeping: every tail of the eight-taps-a-turn loops (dense rows of 4 mod 8 taps, halfband
// decimator rows of 0, 2, 4 and 6 mod 8 taps) against a dense direct-form sum, the row statistics,
// and chunkings at the block and history boundaries, flush and reset.
import { describe, expect, it } from 'vitest';
import { type PolyphaseFilter, polyphaseFilter } from './polyphase-filter.js';
import { createStreamResampler, resample } from './resampler.js';
import { ROW_DENSE, ROW_IMPULSE, ROW_STRIDE2, sparsePhaseRows } from './sparse-phase-rows.js';
import { concat, noise } from './test-support/signals.js';

/** The resampler's output as a direct sum over all `tapCount` taps (inputs outside the signal are 0). */
function denseReference(pcm: Int16Array, inRate: number, outRate: number, attenuationDb: number): Int16Array {
  const { up, down, tapCount, pastTaps, coefficients, delaySamples } = polyphaseFilter(
    inRate,
    outRate,
    attenuationDb,
  );
  const out = new Int16Array(Math.round((pcm.length * outRate) / inRate));
  for (let k = 0; k < out.length; k++) {
    const virtual = (k - delaySamples) * down;
    const anchor = Math.floor(virtual / up);
    const phase = virtual - anchor * up;
    let sum = 0;
    for (let t = 0; t < tapCount; t++)
      sum += (pcm[anchor - pastTaps + t] ?? 0) * coefficients[phase * tapCount + t]!;
    out[k] = Math.max(-32768, Math.min(32767, Math.round(sum)));
  }
  return out;
}

/** Largest difference between two equally long signals (the loops sum in another order: at most 1 LSB). */
function maxDifference(a: Int16Array, b: Int16Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe.each(['js', 'simd'] as const)('%s kernel inner loops: every row shape and loop tail', (kernel) => {
  it.each([
    // Halfband decimators: one stride-2 row of 26, 28, 30 and 32 taps plus the centre tap.
    [16000, 8000, 60, 26],
    [16000, 8000, 65, 28],
    [16000, 8000, 70, 30],
    [16000, 8000, 75, 32],
    // Halfband interpolators: an impulse row and a dense row of 28 (4 mod 8) and 32 taps.
    [8000, 16000, 60, 28],
    [8000, 16000, 70, 32],
  ] as const)('%i Hz -> %i Hz at %i dB (%i taps in the main row)', (inRate, outRate, attenuationDb, taps) => {
    const filter = polyphaseFilter(inRate, outRate, attenuationDb);
    const rows = sparsePhaseRows(filter);
    const main = rows.kind.findIndex((kind) => kind !== ROW_IMPULSE);
    expect(rows.count[main]).toBe(taps);
    // Full-scale noise, so a wrong or missing tap moves many outputs by far more than rounding.
    const pcm = noise(Math.round(inRate * 0.05), 32767, attenuationDb);
    const output = resample(pcm, inRate, outRate, { attenuationDb, kernel });
    expect(maxDifference(output, denseReference(pcm, inRate, outRate, attenuationDb))).toBeLessThanOrEqual(1);
    // Rounding aside, the loops are exact: most outputs agree to the bit.
    const reference = denseReference(pcm, inRate, outRate, attenuationDb);
    const same = output.filter((sample, index) => sample === reference[index]).length;
    expect(same / output.length).toBeGreaterThan(0.95);
  });
});

describe('sparsePhaseRows: row shapes and their cost', () => {
  it('makes a halfband decimator one stride-2 row with the centre tap off the grid', () => {
    for (const attenuationDb of [60, 65, 70, 75, 100]) {
      const filter = polyphaseFilter(16000, 8000, attenuationDb);
      const rows = sparsePhaseRows(filter);
      expect([...rows.kind]).toEqual([ROW_STRIDE2]);
      const centre = rows.extraTap[0]!;
      expect(centre).toBeGreaterThan(0);
      expect(centre % 2).not.toBe(rows.first[0]! % 2);
      expect(rows.extraWeight[0]).toBe(filter.coefficients[centre]);
      // The centre of a halfband filter carries about half the gain.
      expect(rows.extraWeight[0]).toBeCloseTo(0.5, 1);
    }
  });

  it.each([
    [8000, 16000, 100],
    [16000, 8000, 80],
    [8000, 48000, 100],
    [48000, 8000, 100],
    [16000, 44100, 70],
  ] as const)(
    '%i Hz -> %i Hz at %i dB: meanTaps counts the multiply-adds of every row',
    (inRate, outRate, db) => {
      const filter = polyphaseFilter(inRate, outRate, db);
      const rows = sparsePhaseRows(filter);
      let taps = 0;
      for (let phase = 0; phase < filter.up; phase++) {
        taps += rows.count[phase]! + (rows.extraTap[phase]! >= 0 ? 1 : 0);
        if (rows.kind[phase] === ROW_DENSE) {
          expect(rows.first[phase]! % 4).toBe(0);
          expect(rows.count[phase]! % 4).toBe(0);
        }
      }
      expect(rows.meanTaps).toBeCloseTo(taps / filter.up, 12);
      expect(rows.meanTaps).toBeGreaterThan(0);
      expect(rows.meanTaps).toBeLessThanOrEqual(filter.tapCount);
    },
  );

  it('trims dense rows to the non-zero taps, in whole groups of four', () => {
    // 48 -> 8 kHz: every row is dense; none keeps a group of four zero weights at either end.
    const filter = polyphaseFilter(48000, 8000, 100);
    const rows = sparsePhaseRows(filter);
    for (let phase = 0; phase < filter.up; phase++) {
      expect(rows.kind[phase]).toBe(ROW_DENSE);
      const start = rows.weightStart[phase]!;
      const weights = rows.weights.subarray(start, start + rows.count[phase]!);
      expect(weights.subarray(0, 4).some((weight) => weight !== 0)).toBe(true);
      expect(weights.subarray(-4).some((weight) => weight !== 0)).toBe(true);
    }
  });
});

/** A filter with hand-made rows (only `up`, `tapCount` and `coefficients` matter to sparsePhaseRows). */
function handMadeFilter(rows: readonly (readonly number[])[]): PolyphaseFilter {
  const tapCount = rows[0]!.length;
  return {
    inRate: 8000,
    outRate: 8000 * rows.length,
    up: rows.length,
    down: 1,
    delaySamples: 1,
    tapCount,
    pastTaps: tapCount - 1,
    coefficients: Float64Array.from(rows.flat()),
    attenuationDb: 60,
    passbandHz: 3400,
    stopbandHz: 4600,
  };
}

/** Row `phase` of `filter` rebuilt from its sparse form; throws on a read outside the row or twice. */
function rebuilt(filter: PolyphaseFilter, phase: number): number[] {
  const rows = sparsePhaseRows(filter);
  const row = new Array<number>(filter.tapCount).fill(0);
  const put = (tap: number, weight: number) => {
    if (!(tap >= 0 && tap < filter.tapCount)) throw new Error(`tap ${tap} outside the row`);
    if (!Number.isFinite(weight)) throw new Error(`tap ${tap} has weight ${weight}`);
    if (weight !== 0 && row[tap] !== 0) throw new Error(`tap ${tap} twice`);
    row[tap] = weight;
  };
  const stride = rows.kind[phase] === ROW_STRIDE2 ? 2 : 1;
  for (let k = 0; k < rows.count[phase]!; k++) {
    put(rows.first[phase]! + stride * k, rows.weights[rows.weightStart[phase]! + k]!);
  }
  if (rows.extraTap[phase]! >= 0) put(rows.extraTap[phase]!, rows.extraWeight[phase]!);
  return row;
}

describe('sparsePhaseRows: hand-made rows (shapes no designed filter has yet)', () => {
  const rows = [
    // Stride 2 with no tap off the grid.
    [0.1, 0, 0.2, 0, 0.3, 0, 0.4, 0, 0.5, 0, 0, 0, 0, 0, 0, 0],
    // Stride 2 on the odd taps, one tap off the grid.
    [0, 0.1, 0, 0.2, 0, 0.3, 0.9, 0.4, 0, 0.5, 0, 0, 0, 0, 0, 0],
    // Mostly stride 2 but two taps off the grid: must stay dense to keep both.
    [0.1, 0.7, 0.2, 0, 0.3, 0, 0.4, 0.8, 0.5, 0, 0.6, 0, 0, 0, 0, 0],
    // Dense taps 4..8: trimmed to the groups of four holding them (taps 4..11).
    [0, 0, 0, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0, 0, 0, 0, 0, 0, 0],
    // One tap, and none at all.
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.25, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ] as const;

  // A fresh filter in each test: sparsePhaseRows caches per filter object, and each test should
  // run the row builder itself.
  it('keeps every weight of every row in place, once, and no other', () => {
    const filter = handMadeFilter(rows);
    for (let phase = 0; phase < rows.length; phase++)
      expect(rebuilt(filter, phase), `row ${phase}`).toEqual(rows[phase]);
  });

  it('picks the cheapest form that holds the row exactly', () => {
    const sparse = sparsePhaseRows(handMadeFilter(rows));
    expect([...sparse.kind]).toEqual([
      ROW_STRIDE2,
      ROW_STRIDE2,
      ROW_DENSE,
      ROW_DENSE,
      ROW_IMPULSE,
      ROW_IMPULSE,
    ]);
    expect([...sparse.extraTap]).toEqual([-1, 6, -1, -1, -1, -1]);
    expect([...sparse.first]).toEqual([0, 1, 0, 4, 10, 0]);
    expect([...sparse.count]).toEqual([5, 5, 12, 8, 1, 1]);
    expect(sparse.meanTaps).toBeCloseTo((5 + 6 + 12 + 8 + 1 + 1) / 6, 12);
  });
});

describe('createStreamResampler: stream bookkeeping', () => {
  it('refuses a rate above 384 kHz even when the ratio needs few phases', () => {
    expect(() => createStreamResampler(400000, 8000)).toThrow(
      'resampler: inRate must be an integer number of Hz in 1000..384000, got 400000',
    );
    expect(() => createStreamResampler(8000, 400000)).toThrow(/outRate must be .* got 400000/);
  });

  it.each(['js', 'simd'] as const)(
    '%s kernel: gives the same output for chunks at the 2048-sample block and history boundaries',
    (kernel) => {
      const input = noise(5000, 30000, 3);
      for (const [inRate, outRate] of [
        [8000, 16000],
        [48000, 8000],
        [16000, 44100],
      ] as const) {
        const whole = resample(input, inRate, outRate, { kernel });
        for (const size of [1, 639, 640, 700, 2047, 2048, 2049, 4096, 4097]) {
          const resampler = createStreamResampler(inRate, outRate, { kernel });
          const parts: Int16Array[] = [];
          for (let offset = 0; offset < input.length; offset += size) {
            parts.push(resampler.process(input.subarray(offset, offset + size)));
          }
          parts.push(resampler.flush());
          expect(concat(parts), `${inRate} -> ${outRate} in chunks of ${size}`).toEqual(whole);
        }
      }
    },
  );

  it('flushes nothing for an empty stream and the owed samples for a short one', () => {
    const resampler = createStreamResampler(8000, 48000);
    expect(resampler.flush()).toHaveLength(0);
    expect(resampler.process(new Int16Array(0))).toHaveLength(0);
    expect(resampler.flush()).toHaveLength(0);
    // One sample owes six in all; the rest of them come with the flush.
    const head = resampler.process(Int16Array.of(20000));
    const tail = resampler.flush();
    expect(head.length + tail.length).toBe(6);
    expect(concat([head, tail])).toEqual(resample(Int16Array.of(20000), 8000, 48000));
    // Rounding halves up: 3 samples at 48 kHz are 0.5 samples at 8 kHz, so one; 2 give none.
    expect(resample(Int16Array.of(1, 2, 3), 48000, 8000)).toHaveLength(1);
    expect(resample(Int16Array.of(1, 2), 48000, 8000)).toHaveLength(0);
  });

  it('holds back what is not owed yet and hands it out once it is', () => {
    // 48 kHz -> 8 kHz: two samples owe round(1/3) = 0 outputs, three owe one.
    const input = noise(3, 20000, 9);
    const resampler = createStreamResampler(48000, 8000);
    const first = resampler.process(input.subarray(0, 2));
    expect(first).toHaveLength(0);
    const second = resampler.process(input.subarray(2));
    const tail = resampler.flush();
    expect(concat([second, tail])).toEqual(resample(input, 48000, 8000));
    expect(second.length + tail.length).toBe(1);
  });

  it('copies in the identity case and keeps no state across flush or reset', () => {
    const resampler = createStreamResampler(8000, 8000);
    const chunk = Int16Array.of(1, -2, 3);
    const copy = resampler.process(chunk);
    chunk[0] = 99;
    expect([...copy]).toEqual([1, -2, 3]);
    expect(resampler.flush()).toHaveLength(0);
    resampler.reset();
    expect([...resampler.process(Int16Array.of(7))]).toEqual([7]);
  });
});

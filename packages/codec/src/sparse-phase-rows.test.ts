import { describe, expect, it } from 'vitest';
import { polyphaseFilter } from './polyphase-filter.js';
import { resample } from './resampler.js';
import { ROW_DENSE, ROW_IMPULSE, ROW_STRIDE2, sparsePhaseRows } from './sparse-phase-rows.js';

const RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
const PAIRS = RATES.flatMap((inRate) =>
  RATES.filter((outRate) => outRate !== inRate).map((outRate) => [inRate, outRate] as const),
);

/** The dense row `phase` rebuilt from the sparse form (throws on a read outside the row). */
function rebuiltRow(inRate: number, outRate: number, attenuationDb: number, phase: number): Float64Array {
  const filter = polyphaseFilter(inRate, outRate, attenuationDb);
  const rows = sparsePhaseRows(filter);
  const row = new Float64Array(filter.tapCount);
  const put = (tap: number, weight: number) => {
    if (tap < 0 || tap >= filter.tapCount) throw new Error(`tap ${tap} outside the row`);
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

/** Output `k` of the filter as a direct dense sum over all `tapCount` taps (inputs outside the signal are 0). */
function denseReference(pcm: Int16Array, inRate: number, outRate: number, attenuationDb: number): Int16Array {
  const { up, down, tapCount, pastTaps, coefficients, delaySamples } = polyphaseFilter(
    inRate,
    outRate,
    attenuationDb,
  );
  const out = new Int16Array(Math.floor((2 * pcm.length * up + down) / (2 * down)));
  for (let k = 0; k < out.length; k++) {
    const virtual = k * down - delaySamples * down;
    const anchor = Math.floor(virtual / up);
    const phase = virtual - anchor * up;
    const sums = [0, 0, 0, 0];
    for (let t = 0; t < tapCount; t++) {
      sums[t % 4]! += (pcm[anchor - pastTaps + t] ?? 0) * coefficients[phase * tapCount + t]!;
    }
    out[k] = Math.max(-32768, Math.min(32767, Math.round(sums[0]! + sums[1]! + (sums[2]! + sums[3]!))));
  }
  return out;
}

function noisyTones(rate: number, samples: number, seed: number): Int16Array {
  const pcm = new Int16Array(samples);
  let state = seed;
  for (let i = 0; i < samples; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const noise = ((state >>> 16) / 65536 - 0.5) * 4000;
    const value =
      14000 * Math.sin((2 * Math.PI * 1000 * i) / rate) + 9000 * Math.sin((2 * Math.PI * 3100 * i) / rate);
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(value + noise)));
  }
  return pcm;
}

describe('sparsePhaseRows', () => {
  it.each(PAIRS.flatMap(([inRate, outRate]) => [100, 80, 60].map((db) => [inRate, outRate, db] as const)))(
    '%i Hz -> %i Hz at %i dB: holds every non-zero weight of every row, in place, once',
    (inRate, outRate, attenuationDb) => {
      const filter = polyphaseFilter(inRate, outRate, attenuationDb);
      for (let phase = 0; phase < filter.up; phase++) {
        const row = filter.coefficients.subarray(phase * filter.tapCount, (phase + 1) * filter.tapCount);
        expect(rebuiltRow(inRate, outRate, attenuationDb, phase)).toEqual(Float64Array.from(row));
      }
    },
  );

  it('skips the zero taps of halfband filters: 8 <-> 16 kHz do about half the multiply-adds', () => {
    const up = polyphaseFilter(8000, 16000, 100);
    const upRows = sparsePhaseRows(up);
    expect([...upRows.kind].sort()).toEqual([ROW_DENSE, ROW_IMPULSE]);
    expect(upRows.meanTaps).toBeLessThanOrEqual(up.tapCount / 2 + 1);
    const down = polyphaseFilter(16000, 8000, 100);
    const downRows = sparsePhaseRows(down);
    expect([...downRows.kind]).toEqual([ROW_STRIDE2]);
    expect(downRows.meanTaps).toBeLessThanOrEqual(down.tapCount / 2 + 1);
    // 1:3 and 1:6 upsamplers have one single-tap row each.
    expect(
      sparsePhaseRows(polyphaseFilter(8000, 48000, 100)).kind.filter((k) => k === ROW_IMPULSE).length,
    ).toBe(1);
  });

  it.each([
    [8000, 16000, 100],
    [16000, 8000, 100],
    [8000, 16000, 80],
    [16000, 8000, 80],
    [8000, 48000, 100],
    [48000, 8000, 100],
    [16000, 44100, 100],
    [44100, 16000, 70],
  ] as const)(
    '%i Hz -> %i Hz at %i dB: the JS kernel gives the dense direct-form sums exactly',
    (inRate, outRate, db) => {
      const pcm = noisyTones(inRate, Math.round(inRate * 0.25), inRate + outRate + db);
      expect(resample(pcm, inRate, outRate, { attenuationDb: db, kernel: 'js' })).toEqual(
        denseReference(pcm, inRate, outRate, db),
      );
    },
  );
});

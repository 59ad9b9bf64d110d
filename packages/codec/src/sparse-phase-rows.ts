import type { PolyphaseFilter } from './polyphase-filter.js';

/** How a phase row is evaluated. */
export const ROW_DENSE = 0;
/** One non-zero tap: the output is one input sample times one weight (a halfband interpolator's centre row). */
export const ROW_IMPULSE = 1;
/** Non-zero taps on every other position, plus at most one off the grid (a halfband decimator). */
export const ROW_STRIDE2 = 2;

/**
 * A polyphase filter's rows with their zero taps left out, in flat typed arrays (one entry per
 * phase) so the resampler's loop stays monomorphic. Row `p` reads input `base + first[p] +
 * stride * k` for `k < count[p]`, weighted by `weights[weightStart[p] + k]`, plus, when
 * `extraTap[p] >= 0`, input `base + extraTap[p]` weighted by `extraWeight[p]`; every read lies
 * inside the dense row's `tapCount` taps.
 */
export interface SparsePhaseRows {
  readonly kind: Uint8Array;
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly weightStart: Int32Array;
  readonly weights: Float64Array;
  readonly extraTap: Int32Array;
  readonly extraWeight: Float64Array;
  /** Multiply-adds per output on average over the phases (the dense rows do `tapCount`). */
  readonly meanTaps: number;
}

const cache = new WeakMap<PolyphaseFilter, SparsePhaseRows>();

/** The sparse form of `filter`'s phase rows (cached per design). */
export function sparsePhaseRows(filter: PolyphaseFilter): SparsePhaseRows {
  let rows = cache.get(filter);
  if (rows === undefined) {
    rows = buildSparsePhaseRows(filter);
    cache.set(filter, rows);
  }
  return rows;
}

function buildSparsePhaseRows(filter: PolyphaseFilter): SparsePhaseRows {
  const { up, tapCount, coefficients } = filter;
  const kind = new Uint8Array(up);
  const first = new Int32Array(up);
  const count = new Int32Array(up);
  const weightStart = new Int32Array(up);
  const extraTap = new Int32Array(up).fill(-1);
  const extraWeight = new Float64Array(up);
  const weights: number[] = [];
  let taps = 0;
  for (let phase = 0; phase < up; phase++) {
    const row = coefficients.subarray(phase * tapCount, (phase + 1) * tapCount);
    const nonZero: number[] = [];
    for (let t = 0; t < tapCount; t++) if (row[t] !== 0) nonZero.push(t);
    weightStart[phase] = weights.length;
    const lowest = nonZero[0] ?? 0;
    const highest = nonZero[nonZero.length - 1] ?? 0;
    if (nonZero.length <= 1) {
      kind[phase] = ROW_IMPULSE;
      first[phase] = lowest;
      count[phase] = 1;
      weights.push(row[lowest] ?? 0);
      taps += 1;
      continue;
    }
    const odd = nonZero.filter((t) => t % 2 === 1);
    const even = nonZero.filter((t) => t % 2 === 0);
    const [grid, off] = odd.length >= even.length ? [odd, even] : [even, odd];
    const gridFirst = grid[0]!;
    const gridCount = (grid[grid.length - 1]! - gridFirst) / 2 + 1;
    if (off.length <= 1 && grid.length >= 4 && gridCount + off.length < (highest - lowest + 1) * 0.75) {
      kind[phase] = ROW_STRIDE2;
      first[phase] = gridFirst;
      count[phase] = gridCount;
      for (let k = 0; k < gridCount; k++) weights.push(row[gridFirst + 2 * k]!);
      if (off.length === 1) {
        extraTap[phase] = off[0]!;
        extraWeight[phase] = row[off[0]!]!;
      }
      taps += gridCount + off.length;
      continue;
    }
    // Dense, trimmed of leading and trailing zeros to whole groups of four taps (tapCount is a multiple of 4).
    kind[phase] = ROW_DENSE;
    const start = lowest - (lowest % 4);
    const end = Math.min(tapCount, Math.ceil((highest + 1) / 4) * 4);
    first[phase] = start;
    count[phase] = end - start;
    for (let t = start; t < end; t++) weights.push(row[t]!);
    taps += end - start;
  }
  return {
    kind,
    first,
    count,
    weightStart,
    weights: Float64Array.from(weights),
    extraTap,
    extraWeight,
    meanTaps: taps / up,
  };
}

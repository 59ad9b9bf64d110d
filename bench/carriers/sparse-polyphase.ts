// Internal to the codec (not exported): read from its build to compare like with like.
import type { PolyphaseFilter } from '../../packages/codec/dist/polyphase-filter.js';

/** One phase row with its zero taps left out. */
interface SparseRow {
  /** Offset of the one tap of a row that has only one (the output is that input times `impulseWeight`), else -1. */
  readonly impulse: number;
  readonly impulseWeight: number;
  /** The row's taps at `first`, `first + stride`, ... (zero taps in between skipped). */
  readonly first: number;
  readonly stride: number;
  readonly weights: Float64Array;
  /** One tap off the stride grid (the centre tap of a halfband decimator), or -1. */
  readonly extraOffset: number;
  readonly extraWeight: number;
}

const isZero = (weight: number): boolean => Math.abs(weight) < 1e-12;

function sparseRow(row: Float64Array): SparseRow {
  const nonZero: number[] = [];
  for (let t = 0; t < row.length; t++) if (!isZero(row[t]!)) nonZero.push(t);
  if (nonZero.length === 1) {
    const tap = nonZero[0]!;
    return {
      impulse: tap,
      impulseWeight: row[tap]!,
      first: 0,
      stride: 1,
      weights: new Float64Array(0),
      extraOffset: -1,
      extraWeight: 0,
    };
  }
  // A halfband decimator: every other tap is zero except the centre one.
  const odd = nonZero.filter((t) => t % 2 === 1);
  const even = nonZero.filter((t) => t % 2 === 0);
  const [grid, extra] = odd.length >= even.length ? [odd, even] : [even, odd];
  if (extra.length <= 1 && grid.length > 1) {
    const first = grid[0]!;
    const count = (grid[grid.length - 1]! - first) / 2 + 1;
    // Padded with zero weights to a multiple of 4 taps (the reads stay inside the row's span + 6).
    const weights = new Float64Array(Math.ceil(count / 4) * 4);
    for (let k = 0; k < count; k++) weights[k] = row[first + 2 * k]!;
    return {
      impulse: -1,
      impulseWeight: 0,
      first,
      stride: 2,
      weights,
      extraOffset: extra[0] ?? -1,
      extraWeight: extra[0] === undefined ? 0 : row[extra[0]]!,
    };
  }
  return {
    impulse: -1,
    impulseWeight: 0,
    first: 0,
    stride: 1,
    weights: row.slice(),
    extraOffset: -1,
    extraWeight: 0,
  };
}

/**
 * A bench-only prototype of the change proposed for `@callwire/codec`'s resampler: the same
 * filter, but a phase row with a single tap (a halfband interpolator's) scales one input sample, and zero taps on a
 * stride-2 grid (halfband decimators) are skipped. For 8<->16 kHz (halfband filters) that halves
 * the multiply-adds. It keeps its history across 20 ms frames like the real one.
 */
export function createSparsePolyphase(filter: PolyphaseFilter): (chunk: Int16Array) => Int16Array {
  const { up, down, tapCount, pastTaps, coefficients, delaySamples } = filter;
  const rows = Array.from({ length: up }, (_, phase) =>
    sparseRow(coefficients.subarray(phase * tapCount, (phase + 1) * tapCount)),
  );
  const centre = delaySamples * down;
  const anchorStep = Math.floor(down / up);
  const phaseStep = down - anchorStep * up;
  const futureTaps = tapCount - 1 - pastTaps;
  let history = new Float64Array(4096);
  let anchor = Math.floor(-centre / up);
  let phase = -centre - anchor * up;
  let historyStart = Math.min(0, anchor - pastTaps);
  let historyLength = -historyStart;
  let inputCount = 0;
  let outputCount = 0;
  return (chunk) => {
    const drop = anchor - pastTaps - historyStart;
    if (drop > 0) {
      history.copyWithin(0, drop, historyLength);
      historyLength -= drop;
      historyStart += drop;
    }
    if (historyLength + chunk.length > history.length) {
      const grown = new Float64Array(2 * (historyLength + chunk.length));
      grown.set(history.subarray(0, historyLength));
      history = grown;
    }
    for (let i = 0; i < chunk.length; i++) history[historyLength + i] = chunk[i]!;
    historyLength += chunk.length;
    inputCount += chunk.length;
    const expected = Math.floor((2 * inputCount * up + down) / (2 * down));
    const available = Math.floor(((historyStart + historyLength - futureTaps) * up - 1 + centre) / down) + 1;
    const count = Math.min(expected, available) - outputCount;
    if (count <= 0) return new Int16Array(0);
    const out = new Int16Array(count);
    const buffer = history;
    const start0 = historyStart + pastTaps;
    // Phase-major: outputs o0, o0 + up, o0 + 2 up, ... share one phase row and their anchors
    // step by `down`, so each row runs as one tight loop (a copy loop for an impulse row).
    let a = anchor;
    let p = phase;
    for (let o0 = 0; o0 < up && o0 < count; o0++) {
      const row = rows[p]!;
      const weights = row.weights;
      const n = weights.length;
      const step = row.stride;
      const extraOffset = row.extraOffset;
      const extraWeight = row.extraWeight;
      for (let o = o0, base = a - start0; o < count; o += up, base += down) {
        let value: number;
        if (row.impulse >= 0) {
          value = Math.round(buffer[base + row.impulse]! * row.impulseWeight);
        } else {
          const at = base + row.first;
          let sum0 = extraOffset >= 0 ? buffer[base + extraOffset]! * extraWeight : 0;
          let sum1 = 0;
          let sum2 = 0;
          let sum3 = 0;
          if (step === 1) {
            for (let t = 0; t < n; t += 4) {
              sum0 += buffer[at + t]! * weights[t]!;
              sum1 += buffer[at + t + 1]! * weights[t + 1]!;
              sum2 += buffer[at + t + 2]! * weights[t + 2]!;
              sum3 += buffer[at + t + 3]! * weights[t + 3]!;
            }
          } else {
            // Stride 2: weights are padded to a multiple of 4 with zeros.
            for (let t = 0, i = at; t < n; t += 4, i += 8) {
              sum0 += buffer[i]! * weights[t]!;
              sum1 += buffer[i + 2]! * weights[t + 1]!;
              sum2 += buffer[i + 4]! * weights[t + 2]!;
              sum3 += buffer[i + 6]! * weights[t + 3]!;
            }
          }
          value = Math.round(sum0 + sum1 + (sum2 + sum3));
        }
        if (value > 32767) value = 32767;
        else if (value < -32768) value = -32768;
        out[o] = value;
      }
      a += anchorStep;
      p += phaseStep;
      if (p >= up) {
        p -= up;
        a += 1;
      }
    }
    // Where output `count` starts: `count` steps from the first (the same stepping as above).
    for (let o = 0; o < count; o++) {
      anchor += anchorStep;
      phase += phaseStep;
      if (phase >= up) {
        phase -= up;
        anchor += 1;
      }
    }
    outputCount += count;
    return out;
  };
}

import type { PolyphaseFilter } from './polyphase-filter.js';
import type { PolyphaseKernel } from './polyphase-kernel.js';
import { ROW_DENSE, ROW_IMPULSE, sparsePhaseRows } from './sparse-phase-rows.js';

const EMPTY = new Int16Array(0);

/** `value` clipped to the 16-bit range. */
function clip16(value: number): number {
  if (value > 32767) return 32767;
  if (value < -32768) return -32768;
  return value;
}

/**
 * The portable kernel: f64 sums in a fixed order, bit-identical to the dense direct-form sum with
 * four accumulators (tested), over a history of `initialCapacity` samples in a `Float32Array`
 * (exact for 16-bit samples and as fast to read as `Float64Array`; `Int16Array` reads are slower).
 */
export function createJsKernel(filter: PolyphaseFilter, initialCapacity: number): PolyphaseKernel {
  const { up, down } = filter;
  const {
    kind: rowKind,
    first: rowFirst,
    count: rowCount,
    weightStart: rowWeightStart,
    weights,
    extraTap: rowExtraTap,
    extraWeight: rowExtraWeight,
  } = sparsePhaseRows(filter);
  const anchorStep = Math.floor(down / up);
  const phaseStep = down - anchorStep * up;
  let history = new Float32Array(initialCapacity);
  let out = EMPTY;

  return {
    get samples() {
      return history;
    },
    base: 0,
    get capacity() {
      return history.length;
    },
    reserve(length, keep) {
      if (length <= history.length) return;
      const grown = new Float32Array(length);
      grown.set(history.subarray(0, keep));
      history = grown;
    },
    begin(total) {
      out = new Int16Array(total);
    },
    finish() {
      const done = out;
      out = EMPTY;
      return done;
    },
    compute(index, phase, count, offset) {
      // Locals, not closure variables, in the loops.
      const buffer = history;
      const output = out;
      const w64 = weights;
      const kinds = rowKind;
      const upCount = up;
      const downStep = down;
      const stop = offset + count;
      // Phase by phase: outputs j, j + up, j + 2 up, ... share one row, and their first taps
      // step by `down` input samples, so each row runs as one tight loop.
      let a = index;
      let p = phase;
      for (let j = 0; j < upCount && j < count; j++) {
        const kind = kinds[p]!;
        const firstTap = rowFirst[p]!;
        const w = rowWeightStart[p]!;
        const n = rowCount[p]!;
        if (kind === ROW_IMPULSE) {
          const weight = w64[w]!;
          for (let o = offset + j, i = a + firstTap; o < stop; o += upCount, i += downStep) {
            output[o] = clip16(Math.round(buffer[i]! * weight));
          }
        } else if (kind === ROW_DENSE) {
          for (let o = offset + j, at = a + firstTap; o < stop; o += upCount, at += downStep) {
            // Four independent sums in a fixed order: fast, and the same bits however the input was
            // chunked. `at` is the row's tap 4j and n a multiple of 4, so sum k adds the taps 4j + k.
            let sum0 = 0;
            let sum1 = 0;
            let sum2 = 0;
            let sum3 = 0;
            let i = at;
            let c = w;
            // Eight taps a turn (two per sum, in order), then the last four if n is not a multiple of 8.
            for (const last = at + n - 7; i < last; i += 8, c += 8) {
              sum0 += buffer[i]! * w64[c]!;
              sum1 += buffer[i + 1]! * w64[c + 1]!;
              sum2 += buffer[i + 2]! * w64[c + 2]!;
              sum3 += buffer[i + 3]! * w64[c + 3]!;
              sum0 += buffer[i + 4]! * w64[c + 4]!;
              sum1 += buffer[i + 5]! * w64[c + 5]!;
              sum2 += buffer[i + 6]! * w64[c + 6]!;
              sum3 += buffer[i + 7]! * w64[c + 7]!;
            }
            if (i < at + n) {
              sum0 += buffer[i]! * w64[c]!;
              sum1 += buffer[i + 1]! * w64[c + 1]!;
              sum2 += buffer[i + 2]! * w64[c + 2]!;
              sum3 += buffer[i + 3]! * w64[c + 3]!;
            }
            output[o] = clip16(Math.round(sum0 + sum1 + (sum2 + sum3)));
          }
        } else {
          const extra = rowExtraTap[p]!;
          const extraWeight = rowExtraWeight[p]!;
          const whole = n - (n % 4);
          const left = n - whole;
          for (let o = offset + j, base = a; o < stop; o += upCount, base += downStep) {
            let sum0 = extra >= 0 ? buffer[base + extra]! * extraWeight : 0;
            let sum1 = 0;
            let sum2 = 0;
            let sum3 = 0;
            let i = base + firstTap;
            let c = w;
            for (const last = w + whole - 7; c < last; c += 8, i += 16) {
              sum0 += buffer[i]! * w64[c]!;
              sum1 += buffer[i + 2]! * w64[c + 1]!;
              sum2 += buffer[i + 4]! * w64[c + 2]!;
              sum3 += buffer[i + 6]! * w64[c + 3]!;
              sum0 += buffer[i + 8]! * w64[c + 4]!;
              sum1 += buffer[i + 10]! * w64[c + 5]!;
              sum2 += buffer[i + 12]! * w64[c + 6]!;
              sum3 += buffer[i + 14]! * w64[c + 7]!;
            }
            if (c < w + whole) {
              sum0 += buffer[i]! * w64[c]!;
              sum1 += buffer[i + 2]! * w64[c + 1]!;
              sum2 += buffer[i + 4]! * w64[c + 2]!;
              sum3 += buffer[i + 6]! * w64[c + 3]!;
              c += 4;
              i += 8;
            }
            if (left > 0) sum0 += buffer[i]! * w64[c]!;
            if (left > 1) sum1 += buffer[i + 2]! * w64[c + 1]!;
            if (left > 2) sum2 += buffer[i + 4]! * w64[c + 2]!;
            output[o] = clip16(Math.round(sum0 + sum1 + (sum2 + sum3)));
          }
        }
        a += anchorStep;
        p += phaseStep;
        if (p >= upCount) {
          p -= upCount;
          a += 1;
        }
      }
    },
  };
}

// Internal to the codec (not exported): read from its build to compare like with like.
import type { PolyphaseFilter } from '../../packages/codec/dist/polyphase-filter.js';

/**
 * A bench-only prototype of the change proposed for `@callwire/codec`'s resampler: the same
 * filter, but each phase row keeps only its non-zero taps, and a row that is a unit impulse
 * copies its input sample. For 2x and 1/2x (halfband filters: 8<->16 kHz) this halves the
 * multiply-adds. It processes whole 20 ms frames and keeps its history, like the real one.
 */
export function createSparsePolyphase(filter: PolyphaseFilter): (chunk: Int16Array) => Int16Array {
  const { up, down, tapCount, pastTaps, coefficients, delaySamples } = filter;
  const rows = Array.from({ length: up }, (_, phase) => {
    const offsets: number[] = [];
    const weights: number[] = [];
    for (let t = 0; t < tapCount; t++) {
      const weight = coefficients[phase * tapCount + t]!;
      if (Math.abs(weight) > 1e-12) {
        offsets.push(t);
        weights.push(weight);
      }
    }
    const impulse = offsets.length === 1 && Math.abs(weights[0]! - 1) < 1e-12 ? offsets[0]! : -1;
    return { offsets: Int32Array.from(offsets), weights: Float64Array.from(weights), impulse };
  });
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
    const start0 = historyStart + pastTaps;
    for (let o = 0; o < count; o++) {
      const base = anchor - start0;
      const row = rows[phase]!;
      let value: number;
      if (row.impulse >= 0) {
        value = history[base + row.impulse]!;
      } else {
        const { offsets, weights } = row;
        let sum = 0;
        for (let t = 0; t < offsets.length; t++) sum += history[base + offsets[t]!]! * weights[t]!;
        value = Math.round(sum);
      }
      out[o] = Math.min(32767, Math.max(-32768, value));
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

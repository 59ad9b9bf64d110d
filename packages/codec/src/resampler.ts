import { polyphaseFilter } from './polyphase-filter.js';
import { ROW_DENSE, ROW_IMPULSE, sparsePhaseRows } from './sparse-phase-rows.js';

/** A streaming sample-rate converter for mono 16-bit PCM. */
export interface StreamResampler {
  /** Input sample rate, Hz. */
  readonly inRate: number;
  /** Output sample rate, Hz. */
  readonly outRate: number;
  /**
   * Output-rate samples by which the output lags the input (constant; at most 3 ms for the
   * common rates). Output sample `k` estimates the input at time `(k - delaySamples) / outRate`.
   */
  readonly delaySamples: number;
  /**
   * Resamples the next chunk of input; returns every output sample it makes available (may be
   * empty for tiny chunks). Always a new array, never a view of `chunk` (also when the rates are
   * equal, so a caller may reuse the chunk's buffer).
   */
  process(chunk: Int16Array): Int16Array;
  /**
   * Ends the stream: returns the remaining output so that `N` input samples gave
   * `round(N * outRate / inRate)` output samples in all, then starts a new stream.
   */
  flush(): Int16Array;
  /** Forgets all history and starts a new stream (after an interruption or a gap). */
  reset(): void;
}

/** Options for `createStreamResampler`. */
export interface StreamResamplerOptions {
  /**
   * Target stopband attenuation in dB, 60..100: higher is cleaner but slower and adds a
   * little delay (still at most 3 ms for the common rates).
   * @default 100
   */
  readonly attenuationDb?: number;
}

const DEFAULT_ATTENUATION_DB = 100;
const EMPTY = new Int16Array(0);
/** Input samples appended to the history at a time, so it stays small for long chunks. */
const BLOCK_SAMPLES = 2048;
/** History room beyond the filter's taps (samples): a 40 ms chunk at 16 kHz without growing. */
const HISTORY_SLACK_SAMPLES = 640;

/** `value` clipped to the 16-bit range. */
function clip16(value: number): number {
  if (value > 32767) return 32767;
  if (value < -32768) return -32768;
  return value;
}

function checkRate(name: string, rate: number): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 384000) {
    throw new RangeError(`resampler: ${name} must be an integer number of Hz in 1000..384000, got ${rate}`);
  }
}

/**
 * Creates a streaming resampler from `inRate` to `outRate` (Hz): a rational L/M polyphase
 * Kaiser-windowed sinc. Output is identical however the input is chunked.
 */
export function createStreamResampler(
  inRate: number,
  outRate: number,
  options: StreamResamplerOptions = {},
): StreamResampler {
  checkRate('inRate', inRate);
  checkRate('outRate', outRate);
  const attenuationDb = options.attenuationDb ?? DEFAULT_ATTENUATION_DB;
  if (!(attenuationDb >= 60 && attenuationDb <= 100)) {
    throw new RangeError(`resampler: attenuationDb must be in 60..100, got ${attenuationDb}`);
  }
  if (inRate === outRate) return createIdentityResampler(inRate);
  return createPolyphaseResampler(inRate, outRate, attenuationDb);
}

function createIdentityResampler(rate: number): StreamResampler {
  return {
    inRate: rate,
    outRate: rate,
    delaySamples: 0,
    // A copy (tested): callers may reuse the chunk's buffer. A caller that owns a fresh chunk
    // can skip the resampler when the rates are equal.
    process: (chunk) => chunk.slice(),
    flush: () => EMPTY,
    reset: () => {},
  };
}

function createPolyphaseResampler(inRate: number, outRate: number, attenuationDb: number): StreamResampler {
  const filter = polyphaseFilter(inRate, outRate, attenuationDb);
  const { up, down, tapCount, pastTaps, delaySamples } = filter;
  const {
    kind: rowKind,
    first: rowFirst,
    count: rowCount,
    weightStart: rowWeightStart,
    weights,
    extraTap: rowExtraTap,
    extraWeight: rowExtraWeight,
  } = sparsePhaseRows(filter);
  const futureTaps = tapCount - 1 - pastTaps;
  const centre = delaySamples * down; // virtual samples
  const anchorStep = Math.floor(down / up);
  const phaseStep = down - anchorStep * up;

  // history[i] holds input sample number historyStart + i; numbers below 0 are silence. Float32
  // holds every 16-bit sample exactly (so the sums are the same as from doubles) and reads as fast
  // as Float64 (Int16 reads are slower: each needs a conversion).
  // Sized for the taps plus a 40 ms chunk at 16 kHz; it grows (once) for longer chunks.
  let history = new Float32Array(tapCount + HISTORY_SLACK_SAMPLES);
  let historyStart = 0;
  let historyLength = 0;
  let inputCount = 0;
  let outputCount = 0;
  let anchor = 0; // floor((outputCount * down - centre) / up)
  let phase = 0; // (outputCount * down - centre) mod up

  function start(): void {
    inputCount = 0;
    outputCount = 0;
    anchor = Math.floor(-centre / up);
    phase = -centre - anchor * up;
    historyStart = Math.min(0, anchor - pastTaps);
    historyLength = -historyStart;
    if (history.length < historyLength) history = new Float32Array(historyLength * 2);
    history.fill(0, 0, historyLength);
  }
  start();

  /** Appends input samples to the history, first dropping those no future output reads. */
  function append(samples: Int16Array): void {
    const firstNeeded = anchor - pastTaps;
    const drop = firstNeeded - historyStart;
    if (drop > 0) {
      history.copyWithin(0, drop, historyLength);
      historyLength -= drop;
      historyStart = firstNeeded;
    }
    if (historyLength + samples.length > history.length) {
      const grown = new Float32Array(Math.max(history.length * 2, historyLength + samples.length));
      grown.set(history.subarray(0, historyLength));
      history = grown;
    }
    history.set(samples, historyLength);
    historyLength += samples.length;
  }

  /** How many outputs in all have every tap inside the first `inputs` input samples. */
  function outputsComputableFrom(inputs: number): number {
    // The last tap of output k reads input floor((k * down - centre) / up) + futureTaps.
    return Math.floor(((inputs - futureTaps) * up - 1 + centre) / down) + 1;
  }

  /** `round(inputs * outRate / inRate)`, halves up, in exact integer arithmetic. */
  function outputsOwedFor(inputs: number): number {
    return Math.floor((2 * inputs * up + down) / (2 * down));
  }

  /** Computes outputs up to (not including) number `end` into `out` from `offset`; returns the new offset. */
  function computeInto(end: number, out: Int16Array, offset: number): number {
    const count = end - outputCount;
    // Locals, not closure variables, in the loops.
    const buffer = history;
    const w64 = weights;
    const kinds = rowKind;
    const upCount = up;
    const downStep = down;
    const firstTapBase = historyStart + pastTaps;
    const stop = offset + count;
    // Phase by phase: outputs j, j + up, j + 2 up, ... share one row, and their first taps
    // step by `down` input samples, so each row runs as one tight loop.
    let a = anchor;
    let p = phase;
    for (let j = 0; j < upCount && j < count; j++) {
      const kind = kinds[p]!;
      const firstTap = rowFirst[p]!;
      const w = rowWeightStart[p]!;
      const n = rowCount[p]!;
      if (kind === ROW_IMPULSE) {
        const weight = w64[w]!;
        for (let o = offset + j, i = a - firstTapBase + firstTap; o < stop; o += upCount, i += downStep) {
          out[o] = clip16(Math.round(buffer[i]! * weight));
        }
      } else if (kind === ROW_DENSE) {
        for (let o = offset + j, at = a - firstTapBase + firstTap; o < stop; o += upCount, at += downStep) {
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
          out[o] = clip16(Math.round(sum0 + sum1 + (sum2 + sum3)));
        }
      } else {
        const extra = rowExtraTap[p]!;
        const extraWeight = rowExtraWeight[p]!;
        const whole = n - (n % 4);
        const left = n - whole;
        for (let o = offset + j, base = a - firstTapBase; o < stop; o += upCount, base += downStep) {
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
          out[o] = clip16(Math.round(sum0 + sum1 + (sum2 + sum3)));
        }
      }
      a += anchorStep;
      p += phaseStep;
      if (p >= upCount) {
        p -= upCount;
        a += 1;
      }
    }
    // Output `end`'s anchor and phase: `count` steps on from output `outputCount`'s.
    const virtual = phase + count * phaseStep;
    anchor += count * anchorStep + Math.floor(virtual / up);
    phase = virtual % up;
    outputCount = end;
    return stop;
  }

  /**
   * Takes `input` in blocks (so the history stays small however long the chunk) and returns
   * every output owed for `owedInputs` input samples that the input so far can compute.
   */
  function consume(input: Int16Array, owedInputs: number): Int16Array {
    const owed = outputsOwedFor(owedInputs);
    const end = Math.min(owed, outputsComputableFrom(inputCount + input.length));
    if (end <= outputCount) {
      append(input);
      inputCount += input.length;
      return EMPTY;
    }
    const out = new Int16Array(end - outputCount);
    let offset = 0;
    for (let start = 0; start < input.length; start += BLOCK_SAMPLES) {
      // A 20 ms frame is one block: no view to allocate.
      const block = input.length <= BLOCK_SAMPLES ? input : input.subarray(start, start + BLOCK_SAMPLES);
      append(block);
      inputCount += block.length;
      const blockEnd = Math.min(owed, outputsComputableFrom(inputCount));
      if (blockEnd > outputCount) offset = computeInto(blockEnd, out, offset);
    }
    if (outputCount < end) computeInto(end, out, offset);
    return out;
  }

  return {
    inRate,
    outRate,
    delaySamples,
    process(chunk) {
      return consume(chunk, inputCount + chunk.length);
    },
    flush() {
      const realInputs = inputCount;
      const owed = outputsOwedFor(realInputs);
      // Silence after the end, as far as the last owed output's last tap.
      const lastTap = Math.floor(((owed - 1) * down - centre) / up) + futureTaps;
      const tail = consume(new Int16Array(Math.max(0, lastTap + 1 - inputCount)), realInputs);
      start();
      return tail;
    },
    reset: start,
  };
}

/** Resamples a whole signal from `inRate` to `outRate` (Hz): `round(N * outRate / inRate)` samples, lagging by the resampler's `delaySamples`. */
export function resample(
  pcm: Int16Array,
  inRate: number,
  outRate: number,
  options?: StreamResamplerOptions,
): Int16Array {
  const resampler = createStreamResampler(inRate, outRate, options);
  const body = resampler.process(pcm);
  const tail = resampler.flush();
  if (tail.length === 0) return body;
  const out = new Int16Array(body.length + tail.length);
  out.set(body);
  out.set(tail, body.length);
  return out;
}

import { polyphaseFilter } from './polyphase-filter.js';

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
  /** Resamples the next chunk of input; returns every output sample it makes available (may be empty for tiny chunks). */
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
   * @default 90
   */
  readonly attenuationDb?: number;
}

const DEFAULT_ATTENUATION_DB = 90;
const EMPTY = new Int16Array(0);

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
    process: (chunk) => chunk.slice(),
    flush: () => EMPTY,
    reset: () => {},
  };
}

function createPolyphaseResampler(inRate: number, outRate: number, attenuationDb: number): StreamResampler {
  const filter = polyphaseFilter(inRate, outRate, attenuationDb);
  const { up, down, tapCount, pastTaps, coefficients, delaySamples } = filter;
  const futureTaps = tapCount - 1 - pastTaps;
  const centre = delaySamples * down; // virtual samples
  const anchorStep = Math.floor(down / up);
  const phaseStep = down - anchorStep * up;

  // history[i] holds input sample number historyStart + i; numbers below 0 are silence.
  let history = new Float64Array(4096);
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
    if (history.length < historyLength) history = new Float64Array(historyLength * 2);
    history.fill(0, 0, historyLength);
  }
  start();

  function append(chunk: ArrayLike<number>, length: number): void {
    // Drop samples no future output reads, then make room.
    const firstNeeded = anchor - pastTaps;
    const drop = firstNeeded - historyStart;
    if (drop > 0) {
      history.copyWithin(0, drop, historyLength);
      historyLength -= drop;
      historyStart = firstNeeded;
    }
    if (historyLength + length > history.length) {
      const grown = new Float64Array(Math.max(history.length * 2, historyLength + length));
      grown.set(history.subarray(0, historyLength));
      history = grown;
    }
    const base = historyLength;
    for (let i = 0; i < length; i++) history[base + i] = chunk[i]!;
    historyLength += length;
  }

  /** Outputs with index < `limit` whose taps are all in history. */
  function run(limit: number): Int16Array {
    // The last tap of output k reads input floor((k * down - centre) / up) + futureTaps.
    const available = Math.floor(((historyStart + historyLength - futureTaps) * up - 1 + centre) / down) + 1;
    const count = Math.min(limit, available) - outputCount;
    if (count <= 0) return EMPTY;
    const out = new Int16Array(count);
    const buffer = history;
    let a = anchor;
    let p = phase;
    const start0 = historyStart + pastTaps;
    for (let o = 0; o < count; o++) {
      const base = a - start0;
      const row = p * tapCount;
      // Four independent sums in a fixed order: fast, and the same bits however the input was chunked.
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      for (let t = 0; t < tapCount; t += 4) {
        sum0 += buffer[base + t]! * coefficients[row + t]!;
        sum1 += buffer[base + t + 1]! * coefficients[row + t + 1]!;
        sum2 += buffer[base + t + 2]! * coefficients[row + t + 2]!;
        sum3 += buffer[base + t + 3]! * coefficients[row + t + 3]!;
      }
      let value = Math.round(sum0 + sum1 + (sum2 + sum3));
      if (value > 32767) value = 32767;
      else if (value < -32768) value = -32768;
      out[o] = value;
      a += anchorStep;
      p += phaseStep;
      if (p >= up) {
        p -= up;
        a += 1;
      }
    }
    anchor = a;
    phase = p;
    outputCount += count;
    return out;
  }

  function expectedOutputs(inputs: number): number {
    return Math.floor((2 * inputs * up + down) / (2 * down)); // round(inputs * up / down), halves up
  }

  return {
    inRate,
    outRate,
    delaySamples,
    process(chunk) {
      append(chunk, chunk.length);
      inputCount += chunk.length;
      return run(expectedOutputs(inputCount));
    },
    flush() {
      const total = expectedOutputs(inputCount);
      const lastTap = Math.floor(((total - 1) * down - centre) / up) + futureTaps;
      const silence = lastTap + 1 - (historyStart + historyLength);
      if (silence > 0) append(new Float64Array(silence), silence);
      const tail = run(total);
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

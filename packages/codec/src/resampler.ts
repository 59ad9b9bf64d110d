import { createJsKernel } from './js-kernel.js';
import { polyphaseFilter } from './polyphase-filter.js';
import type { ResamplerKernel } from './polyphase-kernel.js';
import { createSimdKernel, simdKernelSupported } from './simd-kernel.js';

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
  /**
   * The inner loops to run: `'simd'` (WebAssembly SIMD; a `RangeError` where the runtime lacks it)
   * or `'js'`. Both give the same output to within one LSB on a few samples.
   * @default resamplerKernel()
   */
  readonly kernel?: ResamplerKernel;
}

const DEFAULT_ATTENUATION_DB = 100;
/** Set to `js` to make `js` the default kernel (for a comparison, or a runtime whose SIMD misbehaves). */
const KERNEL_ENV = 'CALLWIRE_RESAMPLER_KERNEL';
const EMPTY = new Int16Array(0);
/** Input samples appended to the history at a time, so it stays small for long chunks. */
const BLOCK_SAMPLES = 2048;
/** History room beyond the filter's taps (samples): a 40 ms chunk at 16 kHz without growing. */
const HISTORY_SLACK_SAMPLES = 640;

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
  const kernel = options.kernel ?? resamplerKernel();
  if (kernel !== 'js' && kernel !== 'simd') {
    throw new RangeError(`resampler: kernel must be 'simd' or 'js', got ${String(kernel)}`);
  }
  if (kernel === 'simd' && !simdKernelSupported()) {
    throw new RangeError('resampler: kernel simd needs WebAssembly SIMD, which this runtime lacks');
  }
  if (inRate === outRate) return createIdentityResampler(inRate);
  return createPolyphaseResampler(inRate, outRate, attenuationDb, kernel);
}

let defaultKernel: ResamplerKernel | undefined;

/**
 * The kernel resamplers run unless told otherwise, chosen once per process: `'simd'` where
 * WebAssembly SIMD compiles (Node 16.4+), `'js'` where it does not or where the environment
 * variable `CALLWIRE_RESAMPLER_KERNEL=js` asks for it.
 */
export function resamplerKernel(): ResamplerKernel {
  if (defaultKernel === undefined) {
    const forced = globalThis.process?.env?.[KERNEL_ENV];
    defaultKernel = forced !== 'js' && simdKernelSupported() ? 'simd' : 'js';
  }
  return defaultKernel;
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

function createPolyphaseResampler(
  inRate: number,
  outRate: number,
  attenuationDb: number,
  kernelName: ResamplerKernel,
): StreamResampler {
  const filter = polyphaseFilter(inRate, outRate, attenuationDb);
  const { up, down, tapCount, pastTaps, delaySamples } = filter;
  const futureTaps = tapCount - 1 - pastTaps;
  const centre = delaySamples * down; // virtual samples
  const anchorStep = Math.floor(down / up);
  const phaseStep = down - anchorStep * up;

  // History sample i is input sample number historyStart + i; numbers below 0 are silence. Sized for
  // the taps plus a 40 ms chunk at 16 kHz; it grows (once) for longer chunks.
  const initialCapacity = tapCount + HISTORY_SLACK_SAMPLES;
  const kernel =
    (kernelName === 'simd' ? createSimdKernel(filter, initialCapacity) : undefined) ??
    createJsKernel(filter, initialCapacity);
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
    if (kernel.capacity < historyLength) kernel.reserve(historyLength * 2, 0);
    kernel.samples.fill(0, kernel.base, kernel.base + historyLength);
  }
  start();

  /** Appends input samples to the history, first dropping those no future output reads. */
  function append(samples: Int16Array): void {
    const firstNeeded = anchor - pastTaps;
    const drop = firstNeeded - historyStart;
    if (drop > 0) {
      const base = kernel.base;
      kernel.samples.copyWithin(base, base + drop, base + historyLength);
      historyLength -= drop;
      historyStart = firstNeeded;
    }
    if (historyLength + samples.length > kernel.capacity) {
      kernel.reserve(Math.max(kernel.capacity * 2, historyLength + samples.length), historyLength);
    }
    // Read after `reserve`: the SIMD heap may have grown.
    kernel.samples.set(samples, kernel.base + historyLength);
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

  /** Computes outputs up to (not including) number `end` into the kernel's output from `offset`; returns the new offset. */
  function computeInto(end: number, offset: number): number {
    const count = end - outputCount;
    kernel.compute(anchor - historyStart - pastTaps, phase, count, offset);
    // Output `end`'s anchor and phase: `count` steps on from output `outputCount`'s.
    const virtual = phase + count * phaseStep;
    anchor += count * anchorStep + Math.floor(virtual / up);
    phase = virtual % up;
    outputCount = end;
    return offset + count;
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
    kernel.begin(end - outputCount);
    let offset = 0;
    for (let start = 0; start < input.length; start += BLOCK_SAMPLES) {
      // A 20 ms frame is one block: no view to allocate.
      const block = input.length <= BLOCK_SAMPLES ? input : input.subarray(start, start + BLOCK_SAMPLES);
      append(block);
      inputCount += block.length;
      const blockEnd = Math.min(owed, outputsComputableFrom(inputCount));
      if (blockEnd > outputCount) offset = computeInto(blockEnd, offset);
    }
    if (outputCount < end) computeInto(end, offset);
    return kernel.finish();
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

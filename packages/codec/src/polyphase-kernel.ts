/** Which inner loops a resampler runs: WebAssembly SIMD (f32x4), or the portable JavaScript loops. */
export type ResamplerKernel = 'simd' | 'js';

/**
 * One resampler's input history and the loops that turn it into output samples. The stream logic
 * (resampler.ts) decides which outputs to compute and when; a kernel stores samples and sums them.
 */
export interface PolyphaseKernel {
  /** History sample `i` is `samples[base + i]`. Both may change after `reserve` (the SIMD heap can move). */
  readonly samples: Float32Array;
  readonly base: number;
  /** Samples the history holds without `reserve`. */
  readonly capacity: number;
  /** Makes room for at least `length` samples, keeping the first `keep`. */
  reserve(length: number, keep: number): void;
  /** Starts an output of `total` samples, to be filled by `compute` calls and taken by `finish`. */
  begin(total: number): void;
  /**
   * Computes `count` consecutive outputs into the begun output from `offset`. The first reads its
   * row's taps from history index `index` with phase row `phase`; each next output steps as the
   * filter's rational ratio says.
   */
  compute(index: number, phase: number, count: number, offset: number): void;
  /** The output begun by `begin`, complete; a new array the caller owns. */
  finish(): Int16Array;
}

import type { PcmResamplerFactory } from './output-audio.js';

/** Writes the samples that wire `bytes` hold into `out` (codec's `mulawDecodeInto`, `l16LeToPcmInto`, ...). */
export type PcmDecodeInto = (bytes: Uint8Array, out: Int16Array) => unknown;

/** Caller audio from wire bytes to the pipeline rate, without a copy the frame does not need. */
export interface InboundPcm {
  /** Rate of the wire audio, Hz. */
  readonly wireRate: number;
  /**
   * Decodes `sampleCount` samples of `bytes` with `decodeInto` and brings them to the pipeline
   * rate. Always a new array the caller may hand out (empty while the resampler fills): at equal
   * rates the samples are decoded straight into it, else into a reused buffer the resampler reads.
   */
  decode(bytes: Uint8Array, sampleCount: number, decodeInto: PcmDecodeInto): Int16Array;
}

/**
 * An `InboundPcm` from `wireRate` to `pipelineRate` Hz. `createResampler`'s `process` must return
 * a new array, never a view of its input (codec's `createStreamResampler` does, at every rate).
 */
export function createInboundPcm(
  wireRate: number,
  pipelineRate: number,
  createResampler: PcmResamplerFactory,
): InboundPcm {
  if (wireRate === pipelineRate) {
    return {
      wireRate,
      decode(bytes, sampleCount, decodeInto) {
        const pcm = new Int16Array(sampleCount);
        decodeInto(bytes, pcm);
        return pcm;
      },
    };
  }
  const resampler = createResampler(wireRate, pipelineRate);
  let scratch = new Int16Array(0);
  let view = scratch;
  return {
    wireRate,
    decode(bytes, sampleCount, decodeInto) {
      if (sampleCount > scratch.length) scratch = new Int16Array(sampleCount);
      // Frames of one call are nearly always the same size: keep the view for the next one.
      if (view.buffer !== scratch.buffer || view.length !== sampleCount) {
        view = scratch.subarray(0, sampleCount);
      }
      decodeInto(bytes, view);
      return resampler.process(view);
    },
  };
}

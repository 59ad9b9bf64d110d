import type { PcmResamplerFactory } from './output-audio.js';

const EMPTY = new Int16Array(0);

/**
 * `createResampler`, except at equal rates: then a pass-through whose `process` returns the chunk
 * itself (no copy). Only for streams whose output is consumed at once and never kept, such as
 * outbound audio encoded to wire bytes straight away.
 */
export function passThroughAtEqualRates(createResampler: PcmResamplerFactory): PcmResamplerFactory {
  return (inRate, outRate) =>
    inRate === outRate
      ? { inRate, process: (chunk) => chunk, flush: () => EMPTY, reset: () => {} }
      : createResampler(inRate, outRate);
}

import {
  alawDecodeInto,
  alawEncodeInto,
  createStreamResampler,
  l16LeToPcmInto,
  mulawDecodeInto,
  mulawEncodeInto,
  pcmToL16LeInto,
} from '@callwire/codec';
import type { PcmDecodeInto } from './inbound-pcm.js';
import type { PcmResamplerFactory } from './output-audio.js';

/** How audio is coded on a carrier's wire: G.711 mu-law or A-law, or 16-bit little-endian linear PCM. */
export type WireEncoding = 'mulaw' | 'alaw' | 'l16';

/** A carrier's audio on the wire: its coding and its rate (Hz). Always mono. */
export interface WireFormat {
  readonly encoding: WireEncoding;
  /** Hz. */
  readonly sampleRate: number;
}

/**
 * Stopband attenuation (dB) of the resamplers on G.711 calls. G.711's own noise floor is about 38 dB
 * below full scale, so an 80 dB filter (instead of the codec's 100 dB default) changes nothing
 * audible and takes about a fifth fewer multiply-adds; linear PCM keeps the default.
 */
export const G711_ATTENUATION_DB = 80;

const createG711Resampler: PcmResamplerFactory = (inRate, outRate) =>
  createStreamResampler(inRate, outRate, { attenuationDb: G711_ATTENUATION_DB });

/** The resampler a call of `encoding` uses, both ways: the G.711 policy in one place. */
export function resamplerFactoryFor(encoding: WireEncoding): PcmResamplerFactory {
  return encoding === 'l16' ? createStreamResampler : createG711Resampler;
}

/** Bytes per sample of `encoding` on the wire. */
export function bytesPerSample(encoding: WireEncoding): 1 | 2 {
  return encoding === 'l16' ? 2 : 1;
}

/** Writes the samples wire bytes of `encoding` hold into an `Int16Array`. */
export function decoderFor(encoding: WireEncoding): PcmDecodeInto {
  if (encoding === 'mulaw') return mulawDecodeInto;
  if (encoding === 'alaw') return alawDecodeInto;
  return l16LeToPcmInto;
}

/** Writes PCM samples as wire bytes of `encoding` into `out` (`bytesPerSample` bytes each). */
export function encoderFor(encoding: WireEncoding): (pcm: Int16Array, out: Uint8Array) => unknown {
  if (encoding === 'mulaw') return mulawEncodeInto;
  if (encoding === 'alaw') return alawEncodeInto;
  return pcmToL16LeInto;
}

export { alawDecode, alawDecodeInto, alawEncode, alawEncodeInto } from './alaw.js';
export { base64ByteLength, decodeBase64, decodeBase64Into } from './base64.js';
export { createDtmfDetector, type DtmfDetector, detectDtmf } from './dtmf-detector.js';
export {
  DTMF_HIGH_HZ,
  DTMF_KEYPAD,
  DTMF_LOW_HZ,
  type DtmfToneOptions,
  dbm0ToPeak,
  dtmfFrequencies,
  dtmfTones,
} from './dtmf-tones.js';
export {
  l16BeToPcm,
  l16BeToPcmInto,
  l16LeToPcm,
  l16LeToPcmInto,
  pcmToL16Be,
  pcmToL16BeInto,
  pcmToL16Le,
  pcmToL16LeInto,
} from './l16.js';
export { mulawDecode, mulawDecodeInto, mulawEncode, mulawEncodeInto } from './mulaw.js';
export type { ResamplerKernel } from './polyphase-kernel.js';
export type { StreamResampler, StreamResamplerOptions } from './resampler.js';
export { createStreamResampler, resample, resamplerKernel } from './resampler.js';

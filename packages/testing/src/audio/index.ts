// `@callwire/testing/audio`: test signals, measures, PCM and WAV helpers. Depends on nothing (node:fs
// for the file helpers only), so codec and core tests can use it as an independent oracle.
export { fitTone, snrDb, type ToneFit, toneSnrDb } from './measure.js';
export { concatPcm, splitPcm } from './pcm.js';
export { chirp, noise, silence, tone } from './signals.js';
export { decodeWav, encodeWav, readWav, type WavAudio, writeWav } from './wav.js';

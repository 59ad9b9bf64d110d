import {
  createStreamResampler,
  l16LeToPcm,
  mulawDecode,
  mulawEncode,
  pcmToL16Le,
  type StreamResampler,
} from '@callwire/codec';
import {
  type CallAudioFormat,
  type InputAudioFrame,
  type OutputAudioFrame,
  outputAudioFrame,
} from '@callwire/core';

/** How audio is coded between the transport and the model. */
export type ModelAudioEncoding = 'pcmu' | 'pcm16';

/** What `createRealtimeTransport`'s `audioFormat` option accepts. */
export type ModelAudioChoice = 'auto' | 'g711_ulaw' | 'pcm16';

/** G.711 runs at 8 kHz; the Realtime API's PCM16 at 24 kHz. */
export const PCMU_RATE = 8000;
export const PCM16_RATE = 24_000;

/** The rate (Hz) of the model's audio in `encoding`. */
export function modelRate(encoding: ModelAudioEncoding): number {
  return encoding === 'pcmu' ? PCMU_RATE : PCM16_RATE;
}

/** The Realtime API (GA) format object for `encoding`, as `session.audio.{input,output}.format`. */
export function sessionAudioFormat(
  encoding: ModelAudioEncoding,
): { type: 'audio/pcmu' } | { type: 'audio/pcm'; rate: 24000 } {
  return encoding === 'pcmu' ? { type: 'audio/pcmu' } : { type: 'audio/pcm', rate: PCM16_RATE };
}

/**
 * The model's coding for a call: with `'auto'`, G.711 mu-law when the carrier sends 8 kHz mu-law and
 * the pipeline runs at 8 kHz. Then the caller's bytes reach the model unchanged: the carrier's bytes
 * were decoded to PCM by table lookup, and mu-law encoding of a decoded mu-law sample gives back the
 * same byte (but the negative zero 0x7f, which comes back as 0xff: the same sample), so there is no
 * transcoding loss and no resampling either way. Otherwise PCM16 at 24 kHz.
 */
export function chooseModelAudio(
  choice: ModelAudioChoice,
  format: CallAudioFormat | undefined,
): ModelAudioEncoding {
  if (choice === 'g711_ulaw') return 'pcmu';
  if (choice === 'pcm16') return 'pcm16';
  const passThrough =
    format?.wireEncoding === 'mulaw' &&
    format.wireSampleRate === PCMU_RATE &&
    format.pipelineSampleRate === PCMU_RATE;
  return passThrough ? 'pcmu' : 'pcm16';
}

/** Caller audio (pipeline-rate frames) to the model's bytes, resampled with a streaming resampler. */
export interface ModelInput {
  /** The bytes for `input_audio_buffer.append` (may be empty while the resampler's filter fills). */
  convert(frame: InputAudioFrame): Uint8Array;
}

/** Averages interleaved channels into one (carriers send mono; this only guards odd pipelines). */
function mono(frame: InputAudioFrame): Int16Array {
  if (frame.numChannels === 1) return frame.audio;
  const frames = Math.floor(frame.audio.length / frame.numChannels);
  const out = new Int16Array(frames);
  for (let index = 0; index < frames; index += 1) {
    let sum = 0;
    for (let channel = 0; channel < frame.numChannels; channel += 1) {
      sum += frame.audio[index * frame.numChannels + channel] ?? 0;
    }
    out[index] = Math.round(sum / frame.numChannels);
  }
  return out;
}

/** A `ModelInput` for `encoding`; the resampler is kept across frames and remade if the rate changes. */
export function createModelInput(encoding: ModelAudioEncoding): ModelInput {
  const targetRate = modelRate(encoding);
  let resampler: StreamResampler | undefined;
  let fromRate: number | undefined;
  return {
    convert(frame) {
      let pcm = mono(frame);
      if (frame.sampleRate !== targetRate) {
        if (frame.sampleRate !== fromRate) {
          resampler = createStreamResampler(frame.sampleRate, targetRate);
          fromRate = frame.sampleRate;
        }
        pcm = resampler?.process(pcm) ?? pcm;
      }
      return encoding === 'pcmu' ? mulawEncode(pcm) : pcmToL16Le(pcm);
    },
  };
}

/** The model's audio bytes to frames `call.play` takes (at the model's rate: the carrier's serializer resamples once). */
export interface ModelOutput {
  convert(bytes: Uint8Array): OutputAudioFrame | undefined;
  /** Forgets a half sample kept from the last chunk (a new item, or an interruption). */
  reset(): void;
}

/** A `ModelOutput` for `encoding`. */
export function createModelOutput(encoding: ModelAudioEncoding): ModelOutput {
  // PCM16 chunks are whole samples in practice; an odd byte is kept for the next chunk all the same.
  let carry: number | undefined;
  return {
    convert(bytes) {
      if (encoding === 'pcmu') {
        return bytes.length === 0 ? undefined : outputAudioFrame(mulawDecode(bytes), PCMU_RATE);
      }
      let whole = bytes;
      if (carry !== undefined) {
        whole = new Uint8Array(bytes.length + 1);
        whole[0] = carry;
        whole.set(bytes, 1);
        carry = undefined;
      }
      if (whole.length % 2 === 1) {
        carry = whole[whole.length - 1];
        whole = whole.subarray(0, whole.length - 1);
      }
      return whole.length === 0 ? undefined : outputAudioFrame(l16LeToPcm(whole), PCM16_RATE);
    },
    reset() {
      carry = undefined;
    },
  };
}

/** A streaming rate converter, as `@callwire/codec`'s `createStreamResampler` makes one. */
export interface PcmResampler {
  /** Input rate, Hz. */
  readonly inRate: number;
  process(chunk: Int16Array): Int16Array;
  flush(): Int16Array;
  reset(): void;
}

/** Makes a `PcmResampler` from `inRate` to `outRate` Hz (pass codec's `createStreamResampler`). */
export type PcmResamplerFactory = (inRate: number, outRate: number) => PcmResampler;

/** Turns output-audio frames of any rate and channel count into one continuous mono stream at the wire rate. */
export interface OutputAudioConverter {
  /** Mono 16-bit PCM at the wire rate for this frame's audio (may be empty while the filter fills). */
  convert(frame: {
    readonly audio: Int16Array;
    readonly sampleRate: number;
    readonly numChannels: number;
  }): Int16Array;
  /** The samples the resampler still holds (its tail), ending the stream; the next frame starts a new one. */
  flush(): Int16Array;
  /** Forgets buffered history (on an interruption: nothing from before it may be played). */
  reset(): void;
}

const EMPTY = new Int16Array(0);

/** Averages interleaved channels into one (a trailing partial frame is dropped). */
export function downmixToMono(audio: Int16Array, numChannels: number): Int16Array {
  if (numChannels === 1) return audio;
  const frames = Math.floor(audio.length / numChannels);
  const mono = new Int16Array(frames);
  for (let frame = 0, offset = 0; frame < frames; frame++, offset += numChannels) {
    let sum = 0;
    for (let channel = 0; channel < numChannels; channel++) sum += audio[offset + channel] ?? 0;
    mono[frame] = Math.round(sum / numChannels);
  }
  return mono;
}

function concat(first: Int16Array, second: Int16Array): Int16Array {
  if (first.length === 0) return second;
  if (second.length === 0) return first;
  const joined = new Int16Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

/**
 * An `OutputAudioConverter` to `wireRate` Hz. The resampler is kept across frames (no clicks at
 * frame edges); when the frames' rate changes mid-call, the old stream is flushed (its last samples
 * kept) and a new one started.
 */
export function createOutputAudioConverter(
  wireRate: number,
  createResampler: PcmResamplerFactory,
): OutputAudioConverter {
  let resampler: PcmResampler | undefined;
  return {
    convert(frame) {
      const mono = downmixToMono(frame.audio, frame.numChannels);
      if (resampler === undefined || resampler.inRate !== frame.sampleRate) {
        const tail = resampler?.flush() ?? EMPTY;
        resampler = createResampler(frame.sampleRate, wireRate);
        return concat(tail, resampler.process(mono));
      }
      return resampler.process(mono);
    },
    flush() {
      return resampler?.flush() ?? EMPTY;
    },
    reset() {
      resampler?.reset();
    },
  };
}

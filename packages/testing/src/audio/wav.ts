import { readFile, writeFile } from 'node:fs/promises';
import { bytesToPcm, pcmToBytes } from './pcm.js';

/** PCM audio read from a WAV file. */
export interface WavAudio {
  /** Interleaved 16-bit samples. */
  readonly samples: Int16Array;
  /** Hz. */
  readonly sampleRate: number;
  readonly numChannels: number;
}

const PCM_FORMAT = 1;
const EXTENSIBLE_FORMAT = 0xfffe;

/** A 16-bit PCM WAV file (44-byte RIFF header) holding `pcm` at `sampleRate` Hz. */
export function encodeWav(pcm: Int16Array, sampleRate: number, numChannels = 1): Uint8Array {
  const data = pcmToBytes(pcm);
  const bytes = new Uint8Array(44 + data.length);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i += 1) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + data.length, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, PCM_FORMAT, true);
  view.setUint16(22, numChannels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * numChannels * 2, true); // byte rate
  view.setUint16(32, numChannels * 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, data.length, true);
  bytes.set(data, 44);
  return bytes;
}

function bad(reason: string): RangeError {
  return new RangeError(`not a 16-bit PCM WAV file: ${reason}`);
}

/**
 * Reads a 16-bit PCM WAV file (plain or WAVE_FORMAT_EXTENSIBLE), skipping unknown chunks.
 * Throws a `RangeError` for anything else.
 */
export function decodeWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') throw bad('no RIFF/WAVE header');
  let format: { numChannels: number; sampleRate: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw bad('short fmt chunk');
      const tag = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      const extensiblePcm =
        tag === EXTENSIBLE_FORMAT && size >= 26 && view.getUint16(body + 24, true) === PCM_FORMAT;
      if (tag !== PCM_FORMAT && !extensiblePcm) throw bad(`format tag ${tag} is not PCM`);
      if (bits !== 16) throw bad(`${bits} bits per sample`);
      format = { numChannels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true) };
      if (format.numChannels === 0 || format.sampleRate === 0) throw bad('zero channels or sample rate');
    } else if (id === 'data') {
      if (!format) throw bad('data chunk before fmt chunk');
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: read to the end then.
      const end = size === 0 || size === 0xffffffff ? bytes.length : Math.min(bytes.length, body + size);
      const frameBytes = format.numChannels * 2;
      const usable = end - body - ((end - body) % frameBytes);
      return { ...format, samples: bytesToPcm(bytes.subarray(body, body + usable)) };
    }
    offset = body + size + (size % 2); // chunks are padded to an even size
  }
  throw bad('no data chunk');
}

/** Writes `pcm` (16-bit, `sampleRate` Hz) to `path` as a WAV file. */
export async function writeWav(
  path: string,
  pcm: Int16Array,
  sampleRate: number,
  numChannels = 1,
): Promise<void> {
  await writeFile(path, encodeWav(pcm, sampleRate, numChannels));
}

/** Reads a 16-bit PCM WAV file from `path`. */
export async function readWav(path: string): Promise<WavAudio> {
  return decodeWav(new Uint8Array(await readFile(path)));
}

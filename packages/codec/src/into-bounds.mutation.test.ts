// Pins two behaviours that mutation testing found unpinned: the `...Into` codecs write exactly the
// samples/bytes they report and nothing past them (callers reuse oversized buffers), whatever the
// length and alignment, and their errors name the function and the sizes involved.
import { describe, expect, it } from 'vitest';
import { alawDecode, alawDecodeInto, alawEncode, alawEncodeInto } from './alaw.js';
import {
  l16BeToPcm,
  l16BeToPcmInto,
  l16LeToPcm,
  l16LeToPcmInto,
  pcmToL16Be,
  pcmToL16BeInto,
  pcmToL16Le,
  pcmToL16LeInto,
} from './l16.js';
import { mulawDecode, mulawDecodeInto, mulawEncode, mulawEncodeInto } from './mulaw.js';

const SENTINEL_BYTE = 0xa5;
const SENTINEL_SAMPLE = -12345;
/** Lengths around the 4-sample word path's threshold and remainders, plus a 20 ms frame. */
const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 160, 161];

function pcmOf(length: number): Int16Array {
  return Int16Array.from({ length }, (_, index) => ((index * 7919) % 65536) - 32768);
}

function bytesOf(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * 151 + 17) % 256);
}

/** A view of `length` elements at an element offset inside a larger buffer, so alignment varies. */
function int16At(offset: number, length: number): Int16Array {
  return new Int16Array(new ArrayBuffer((offset + length + 8) * 2), offset * 2, length + 8);
}

function uint8At(offset: number, length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(offset + length + 16), offset, length + 16);
}

const encoders = [
  ['mulawEncodeInto', mulawEncodeInto, mulawEncode],
  ['alawEncodeInto', alawEncodeInto, alawEncode],
  ['pcmToL16LeInto', pcmToL16LeInto, pcmToL16Le],
  ['pcmToL16BeInto', pcmToL16BeInto, pcmToL16Be],
] as const;

const decoders = [
  ['mulawDecodeInto', mulawDecodeInto, mulawDecode, 1],
  ['alawDecodeInto', alawDecodeInto, alawDecode, 1],
  ['l16LeToPcmInto', l16LeToPcmInto, l16LeToPcm, 2],
  ['l16BeToPcmInto', l16BeToPcmInto, l16BeToPcm, 2],
] as const;

describe('...Into codecs write exactly what they report', () => {
  it.each(encoders)('%s leaves every byte past its output untouched', (_name, encodeInto, encode) => {
    for (const length of LENGTHS) {
      for (const offset of [0, 1, 2, 3]) {
        const pcm = pcmOf(length);
        const out = uint8At(offset, encode(pcm).length).fill(SENTINEL_BYTE);
        const written = encodeInto(pcm, out);
        expect(written).toBe(encode(pcm).length);
        expect([...out.subarray(0, written)]).toEqual([...encode(pcm)]);
        expect(out.subarray(written).every((byte) => byte === SENTINEL_BYTE)).toBe(true);
      }
    }
  });

  it.each(decoders)(
    '%s leaves every sample past its output untouched',
    (_name, decodeInto, decode, bytesPerSample) => {
      for (const length of LENGTHS) {
        for (const offset of [0, 1, 2, 3]) {
          const source = uint8At(offset, length * bytesPerSample).subarray(0, length * bytesPerSample);
          source.set(bytesOf(source.length));
          const out = int16At(offset, length).fill(SENTINEL_SAMPLE);
          const written = decodeInto(source, out);
          expect(written).toBe(length);
          expect([...out.subarray(0, written)]).toEqual([...decode(source)]);
          expect(out.subarray(written).every((sample) => sample === SENTINEL_SAMPLE)).toBe(true);
        }
      }
    },
  );
});

describe('codec errors name the function and the sizes', () => {
  it.each(encoders)('%s says how much room it needs', (name, encodeInto) => {
    expect(() => encodeInto(pcmOf(10), new Uint8Array(3))).toThrow(RangeError);
    expect(() => encodeInto(pcmOf(10), new Uint8Array(3))).toThrow(
      new RegExp(`^${name}: out holds 3 bytes, needs \\d+`),
    );
  });

  it.each(decoders)('%s says how much room it needs', (name, decodeInto, _decode, bytesPerSample) => {
    expect(() => decodeInto(bytesOf(20), new Int16Array(3))).toThrow(
      new RegExp(`^${name}: out holds 3 samples, needs ${20 / bytesPerSample}$`),
    );
  });

  it.each([
    ['l16LeToPcm', l16LeToPcm],
    ['l16BeToPcm', l16BeToPcm],
    ['l16LeToPcmInto', (bytes: Uint8Array) => l16LeToPcmInto(bytes, new Int16Array(10))],
    ['l16BeToPcmInto', (bytes: Uint8Array) => l16BeToPcmInto(bytes, new Int16Array(10))],
  ] as const)('%s refuses an odd number of bytes, naming itself and the length', (name, decode) => {
    expect(() => decode(bytesOf(7))).toThrow(
      new RegExp(`^${name}: L16 needs an even number of bytes, got 7$`),
    );
  });
});

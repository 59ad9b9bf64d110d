import alawmulaw from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import { mulawDecode, mulawDecodeInto, mulawEncode, mulawEncodeInto } from './mulaw.js';
import { ituUlawCompress, ituUlawExpand } from './test-support/itu-g711.js';

const everySample = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
const everyCode = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('mu-law', () => {
  it('encodes all 65,536 samples exactly as ITU-T G.191 ulaw_compress', () => {
    const codes = mulawEncode(everySample);
    const mismatches: number[] = [];
    for (let i = 0; i < everySample.length; i++) {
      if (codes[i] !== ituUlawCompress(everySample[i]!)) mismatches.push(everySample[i]!);
    }
    expect(mismatches).toEqual([]);
  });

  it('decodes all 256 codes exactly as ITU-T G.191 ulaw_expand', () => {
    const samples = mulawDecode(everyCode);
    expect(Array.from(samples)).toEqual(Array.from(everyCode, (code) => ituUlawExpand(code)));
  });

  it("truncates negative samples by one's complement, as G.711 does", () => {
    // -1..-4 share the magnitude of 0..3 (the smallest step), only the sign bit differs.
    expect(Array.from(mulawEncode(Int16Array.of(0, 3, 4, -1, -4, -5)))).toEqual([
      0xff, 0xff, 0xfe, 0x7f, 0x7f, 0x7e,
    ]);
  });

  it('round-trips every code through decode and encode', () => {
    const codes = mulawEncode(mulawDecode(everyCode));
    // 0x7f (negative zero) decodes to 0, which encodes as 0xff (positive zero).
    const expected = Array.from(everyCode, (code) => (code === 0x7f ? 0xff : code));
    expect(Array.from(codes)).toEqual(expected);
  });

  it('differs from alawmulaw on exactly the 127 negative decision thresholds, by one step', () => {
    const ours = mulawEncode(everySample);
    const theirs = alawmulaw.mulaw.encode(everySample);
    const differing = everySample.filter((_, i) => ours[i] !== theirs[i]);
    expect(differing.length).toBe(127);
    // alawmulaw negates (-x) where G.711 takes the one's complement (-x - 1), so each of the
    // 127 boundaries between the 128 negative codes sits one LSB lower: it encodes x as
    // G.711 encodes x - 1, which differs exactly where G.711's code changes.
    const thresholds = everySample.filter(
      (x) => x > -32768 && x < 0 && ituUlawCompress(x) !== ituUlawCompress(x - 1),
    );
    expect(Array.from(differing)).toEqual(Array.from(thresholds));
    for (const x of differing) {
      expect(theirs[x + 32768]).toBe(ituUlawCompress(x - 1));
      expect(-x % 4).toBe(0); // every threshold is a multiple of the 4-LSB step of the 14-bit scale
    }
  });

  it('decodes all 256 codes exactly as alawmulaw does', () => {
    expect(Array.from(mulawDecode(everyCode))).toEqual(Array.from(alawmulaw.mulaw.decode(everyCode)));
  });

  it('gives the same results at every alignment and length (32-bit and byte-wise paths)', () => {
    const source = Int16Array.from({ length: 1040 }, (_, i) => ((i * 7919) % 65536) - 32768);
    const codeSource = Uint8Array.from({ length: 1040 }, (_, i) => (i * 37) % 256);
    for (const inOffset of [0, 1, 2, 3]) {
      for (const outOffset of [0, 1, 2, 3]) {
        for (const length of [0, 1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 1001]) {
          const pcm = source.subarray(inOffset, inOffset + length);
          const codes = new Uint8Array(length + 8).subarray(outOffset, outOffset + length);
          expect(mulawEncodeInto(pcm, codes)).toBe(length);
          expect(Array.from(codes)).toEqual(Array.from(pcm, (x) => ituUlawCompress(x)));
          const bytes = codeSource.subarray(inOffset, inOffset + length);
          const samples = new Int16Array(length + 8).subarray(outOffset, outOffset + length);
          expect(mulawDecodeInto(bytes, samples)).toBe(length);
          expect(Array.from(samples)).toEqual(Array.from(bytes, (code) => ituUlawExpand(code)));
        }
      }
    }
  });

  it('writes into a caller buffer and returns the count', () => {
    const out = new Uint8Array(8).fill(0xaa);
    expect(mulawEncodeInto(Int16Array.of(1000, -1000), out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual(Array.from(mulawEncode(Int16Array.of(1000, -1000))));
    expect(out[2]).toBe(0xaa);
    const pcm = new Int16Array(8);
    expect(mulawDecodeInto(out.subarray(0, 2), pcm)).toBe(2);
    expect(Array.from(pcm.subarray(0, 2))).toEqual(Array.from(mulawDecode(out.subarray(0, 2))));
  });

  it('throws a RangeError when the output buffer is too small', () => {
    expect(() => mulawEncodeInto(new Int16Array(4), new Uint8Array(3))).toThrow(RangeError);
    expect(() => mulawDecodeInto(new Uint8Array(4), new Int16Array(3))).toThrow(/needs 4/);
  });

  it('handles empty input', () => {
    expect(mulawEncode(new Int16Array(0)).length).toBe(0);
    expect(mulawDecode(new Uint8Array(0)).length).toBe(0);
  });
});

import alawmulaw from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import { alawDecode, alawDecodeInto, alawEncode, alawEncodeInto } from './alaw.js';
import { ituAlawCompress, ituAlawExpand } from './test-support/itu-g711.js';

const everySample = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
const everyCode = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('A-law', () => {
  it('encodes all 65,536 samples exactly as ITU-T G.191 alaw_compress', () => {
    const codes = alawEncode(everySample);
    const mismatches: number[] = [];
    for (let i = 0; i < everySample.length; i++) {
      if (codes[i] !== ituAlawCompress(everySample[i]!)) mismatches.push(everySample[i]!);
    }
    expect(mismatches).toEqual([]);
  });

  it('decodes all 256 codes exactly as ITU-T G.191 alaw_expand', () => {
    const samples = alawDecode(everyCode);
    expect(Array.from(samples)).toEqual(Array.from(everyCode, (code) => ituAlawExpand(code)));
  });

  it("truncates negative samples by one's complement, as G.711 does", () => {
    // -1..-16 share the magnitude of 0..15 (the smallest step), only the sign bit differs.
    expect(Array.from(alawEncode(Int16Array.of(0, 15, 16, -1, -16, -17)))).toEqual([
      0xd5, 0xd5, 0xd4, 0x55, 0x55, 0x54,
    ]);
  });

  it('round-trips every code through decode and encode', () => {
    const codes = alawEncode(alawDecode(everyCode));
    // A-law has no zero code: every code decodes to the middle of its step and back.
    const expected = Array.from(everyCode);
    expect(Array.from(codes)).toEqual(expected);
  });

  it('differs from alawalaw on exactly the 127 negative decision thresholds, by one step', () => {
    const ours = alawEncode(everySample);
    const theirs = alawmulaw.alaw.encode(everySample);
    const differing = everySample.filter((_, i) => ours[i] !== theirs[i]);
    expect(differing.length).toBe(127);
    // alawalaw negates (-x) where G.711 takes the one's complement (-x - 1), so each of the
    // 127 boundaries between the 128 negative codes sits one LSB lower: it encodes x as
    // G.711 encodes x - 1, which differs exactly where G.711's code changes.
    const thresholds = everySample.filter(
      (x) => x > -32768 && x < 0 && ituAlawCompress(x) !== ituAlawCompress(x - 1),
    );
    expect(Array.from(differing)).toEqual(Array.from(thresholds));
    for (const x of differing) {
      expect(theirs[x + 32768]).toBe(ituAlawCompress(x - 1));
      expect(-x % 16).toBe(0); // every threshold is a multiple of the 16-LSB step of the 12-bit magnitude
    }
  });

  it('decodes all 256 codes exactly as alawalaw does', () => {
    expect(Array.from(alawDecode(everyCode))).toEqual(Array.from(alawmulaw.alaw.decode(everyCode)));
  });

  it('gives the same results at every alignment and length (32-bit and byte-wise paths)', () => {
    const source = Int16Array.from({ length: 1040 }, (_, i) => ((i * 7919) % 65536) - 32768);
    const codeSource = Uint8Array.from({ length: 1040 }, (_, i) => (i * 37) % 256);
    for (const inOffset of [0, 1, 2, 3]) {
      for (const outOffset of [0, 1, 2, 3]) {
        for (const length of [0, 1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 1001]) {
          const pcm = source.subarray(inOffset, inOffset + length);
          const codes = new Uint8Array(length + 8).subarray(outOffset, outOffset + length);
          expect(alawEncodeInto(pcm, codes)).toBe(length);
          expect(Array.from(codes)).toEqual(Array.from(pcm, (x) => ituAlawCompress(x)));
          const bytes = codeSource.subarray(inOffset, inOffset + length);
          const samples = new Int16Array(length + 8).subarray(outOffset, outOffset + length);
          expect(alawDecodeInto(bytes, samples)).toBe(length);
          expect(Array.from(samples)).toEqual(Array.from(bytes, (code) => ituAlawExpand(code)));
        }
      }
    }
  });

  it('writes into a caller buffer and returns the count', () => {
    const out = new Uint8Array(8).fill(0xaa);
    expect(alawEncodeInto(Int16Array.of(1000, -1000), out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual(Array.from(alawEncode(Int16Array.of(1000, -1000))));
    expect(out[2]).toBe(0xaa);
    const pcm = new Int16Array(8);
    expect(alawDecodeInto(out.subarray(0, 2), pcm)).toBe(2);
    expect(Array.from(pcm.subarray(0, 2))).toEqual(Array.from(alawDecode(out.subarray(0, 2))));
  });

  it('throws a RangeError when the output buffer is too small', () => {
    expect(() => alawEncodeInto(new Int16Array(4), new Uint8Array(3))).toThrow(RangeError);
    expect(() => alawDecodeInto(new Uint8Array(4), new Int16Array(3))).toThrow(/needs 4/);
  });

  it('handles empty input', () => {
    expect(alawEncode(new Int16Array(0)).length).toBe(0);
    expect(alawDecode(new Uint8Array(0)).length).toBe(0);
  });
});

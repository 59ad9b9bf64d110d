import { describe, expect, it } from 'vitest';
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

const samples = Int16Array.of(0, 1, -1, 256, -256, 0x1234, -0x1234, 32767, -32768);
const littleEndian = [
  0x00, 0x00, 0x01, 0x00, 0xff, 0xff, 0x00, 0x01, 0x00, 0xff, 0x34, 0x12, 0xcc, 0xed, 0xff, 0x7f, 0x00, 0x80,
];
const bigEndian = [
  0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0x01, 0x00, 0xff, 0x00, 0x12, 0x34, 0xed, 0xcc, 0x7f, 0xff, 0x80, 0x00,
];

/** `bytes` placed at `offset` inside a larger buffer, as a Node Buffer slice would be. */
function atOffset(bytes: readonly number[], offset: number): Uint8Array {
  const backing = new Uint8Array(bytes.length + offset + 3).fill(0xee);
  backing.set(bytes, offset);
  return backing.subarray(offset, offset + bytes.length);
}

function mismatches(actual: Int16Array, expected: Int16Array): number {
  let count = Math.abs(actual.length - expected.length);
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) if (actual[i] !== expected[i]) count++;
  return count;
}

describe('L16', () => {
  it.each([0, 1, 2, 3])('reads little- and big-endian bytes at byteOffset %i', (offset) => {
    expect(Array.from(l16LeToPcm(atOffset(littleEndian, offset)))).toEqual(Array.from(samples));
    expect(Array.from(l16BeToPcm(atOffset(bigEndian, offset)))).toEqual(Array.from(samples));
  });

  it('reads a Node Buffer decoded from base64 at an odd offset', () => {
    const pool = Buffer.concat([Buffer.from([9]), Buffer.from(Uint8Array.from(littleEndian))]);
    const payload = pool.subarray(1);
    expect(payload.byteOffset % 2).toBe(1);
    expect(Array.from(l16LeToPcm(payload))).toEqual(Array.from(samples));
    const fromBase64 = Buffer.from(Buffer.from(Uint8Array.from(littleEndian)).toString('base64'), 'base64');
    expect(Array.from(l16LeToPcm(fromBase64))).toEqual(Array.from(samples));
  });

  it('returns a copy that does not alias the input bytes', () => {
    const bytes = Uint8Array.from(littleEndian);
    const pcm = l16LeToPcm(bytes);
    bytes.fill(0);
    expect(Array.from(pcm)).toEqual(Array.from(samples));
  });

  it('writes little- and big-endian bytes', () => {
    expect(Array.from(pcmToL16Le(samples))).toEqual(littleEndian);
    expect(Array.from(pcmToL16Be(samples))).toEqual(bigEndian);
  });

  it.each([0, 1])('writes into a caller buffer at byteOffset %i and returns the byte count', (offset) => {
    const backing = new Uint8Array(littleEndian.length + 4).fill(0xee);
    const out = backing.subarray(offset, offset + littleEndian.length + 2);
    expect(pcmToL16LeInto(samples, out)).toBe(littleEndian.length);
    expect(Array.from(out.subarray(0, littleEndian.length))).toEqual(littleEndian);
    expect(out[littleEndian.length]).toBe(0xee);
    expect(pcmToL16BeInto(samples, out)).toBe(bigEndian.length);
    expect(Array.from(out.subarray(0, bigEndian.length))).toEqual(bigEndian);
  });

  it('reads into a caller buffer and returns the sample count', () => {
    const out = new Int16Array(samples.length + 2).fill(7);
    expect(l16LeToPcmInto(atOffset(littleEndian, 1), out)).toBe(samples.length);
    expect(Array.from(out.subarray(0, samples.length))).toEqual(Array.from(samples));
    expect(out[samples.length]).toBe(7);
    expect(l16BeToPcmInto(atOffset(bigEndian, 0), out)).toBe(samples.length);
    expect(Array.from(out.subarray(0, samples.length))).toEqual(Array.from(samples));
  });

  it('round-trips every 16-bit value in both byte orders and both alignments', () => {
    const every = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    for (const offset of [0, 1]) {
      const le = new Uint8Array(every.length * 2 + 1).subarray(offset, offset + every.length * 2);
      pcmToL16LeInto(every, le);
      expect(mismatches(l16LeToPcm(le), every)).toBe(0);
      const be = new Uint8Array(every.length * 2 + 1).subarray(offset, offset + every.length * 2);
      pcmToL16BeInto(every, be);
      expect(mismatches(l16BeToPcm(be), every)).toBe(0);
    }
  });

  it('throws a RangeError for an odd byte count or a short output buffer', () => {
    expect(() => l16LeToPcm(new Uint8Array(3))).toThrow(/even number of bytes, got 3/);
    expect(() => l16BeToPcm(new Uint8Array(5))).toThrow(RangeError);
    expect(() => l16LeToPcmInto(new Uint8Array(4), new Int16Array(1))).toThrow(/needs 2/);
    expect(() => pcmToL16LeInto(new Int16Array(2), new Uint8Array(3))).toThrow(/needs 4/);
    expect(() => pcmToL16BeInto(new Int16Array(2), new Uint8Array(3))).toThrow(RangeError);
  });

  it('handles empty input', () => {
    expect(l16LeToPcm(new Uint8Array(0)).length).toBe(0);
    expect(pcmToL16Be(new Int16Array(0)).length).toBe(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ByteLength, decodeBase64, decodeBase64Into } from './base64.js';

/** zod 4's `z.base64()` pattern (zod/v4/core/regexes.js), which the carriers used before. */
const ZOD_BASE64 = /^$|^(?:[0-9a-zA-Z+/]{4})*(?:(?:[0-9a-zA-Z+/]{2}==)|(?:[0-9a-zA-Z+/]{3}=))?$/;

describe('decodeBase64', () => {
  it('decodes standard padded base64 of any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const decoded = decodeBase64(Buffer.from(bytes).toString('base64'));
        expect(decoded && Uint8Array.from(decoded)).toEqual(bytes);
      }),
    );
  });

  it.each([
    ['one character', 'A'],
    ['three characters (unpadded)', 'AAA'],
    ['six characters (unpadded)', 'AAAAAA'],
    ['not base64', '!!!not base64!!!'],
    ['padding in the middle', 'AAAA====AAAA'],
    ['padding then a digit', 'AA=A'],
    ['three padding characters', 'A==='],
    ['four padding characters', '===='],
    ['url-safe alphabet', '-_-_'],
    ['one url-safe digit', 'AAA-'],
    ['an underscore', 'AA_A'],
    ['a newline', 'QUJD\nREVG'],
    ['a newline, length a multiple of 4', 'QUJ\nREVG'],
    ['a space', 'QUJ REVG'],
    ['a data URL', 'data:audio/x-mulaw;base64,AAAA'],
    ['a non-ASCII character', 'AAA\u00e9'],
    ['an astral character', 'AA\u{1f600}'],
    ['a NUL', 'AAA\u0000'],
  ])('refuses %s', (_, text) => {
    expect(decodeBase64(text)).toBeUndefined();
    expect(decodeBase64Into(text, Buffer.alloc(64))).toBeUndefined();
    expect(decodeBase64Into(text, new Uint8Array(64))).toBeUndefined();
  });

  it('decodes into a reused Buffer or Uint8Array, at its start', () => {
    const out = Buffer.alloc(300);
    const plain = new Uint8Array(new ArrayBuffer(310), 7, 300);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(base64ByteLength(text)).toBe(bytes.length);
        expect(decodeBase64Into(text, out)).toBe(bytes.length);
        expect(Uint8Array.from(out.subarray(0, bytes.length))).toEqual(bytes);
        expect(decodeBase64Into(text, plain)).toBe(bytes.length);
        expect(plain.slice(0, bytes.length)).toEqual(bytes);
      }),
    );
  });

  it('throws RangeError when out is shorter than the text promises', () => {
    expect(() => decodeBase64Into('AAAAAA==', Buffer.alloc(3))).toThrow(RangeError);
    expect(decodeBase64Into('AAAAAA==', Buffer.alloc(4))).toBe(4);
  });

  it('accepts exactly what z.base64() accepts, on base64-like strings', () => {
    const alphabet = fc.constantFrom(...'AQgw+/=-_ \n.!'.split(''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 16 }), (parts) => {
        const text = parts.join('');
        expect(decodeBase64(text) !== undefined, JSON.stringify(text)).toBe(ZOD_BASE64.test(text));
        expect(decodeBase64Into(text, Buffer.alloc(1024)) !== undefined, JSON.stringify(text)).toBe(
          ZOD_BASE64.test(text),
        );
      }),
      { numRuns: 5000 },
    );
  });

  it('gives 0 bytes for the empty string', () => {
    expect(decodeBase64('')?.length).toBe(0);
  });
});

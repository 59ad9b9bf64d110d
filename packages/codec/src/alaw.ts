/**
 * G.711 A-law, bit-exact with the ITU-T G.191 reference (`g711.c`, `alaw_compress` /
 * `alaw_expand`). The reference works on the 13 most significant bits and truncates
 * negative samples by one's complement (`~x`); alawmulaw and sox negate instead and
 * differ on a few inputs.
 */

import { decodeWithTable, encodeWithTable } from './table-lookup.js';

let encodeTable: Uint8Array | undefined;
let decodeTable: Int16Array | undefined;
let unsignedDecodeTable: Uint16Array | undefined;

/**
 * The 64 Ki-entry encode table, indexed by `sample & 0xffff`, built on first use by filling
 * the run of samples each of the 128 magnitude codes covers (256 `fill` calls, well under 1 ms).
 * For a sample x >= 0 the magnitude is v = x; for x < 0 it is v = ~x = -x - 1 (one's
 * complement), at index 65535 - v. G.711 A-law reads the 12-bit magnitude `v >> 4`;
 * segments 0 and 1 both step by 1 (code = magnitude), segment e >= 2 covers
 * `[(16 + m) << (e - 1), (17 + m) << (e - 1))` for mantissa m.
 */
function alawEncodeTable(): Uint8Array {
  if (encodeTable === undefined) {
    const table = new Uint8Array(65536);
    for (let magnitudeCode = 0; magnitudeCode < 128; magnitudeCode++) {
      const exponent = magnitudeCode >> 4;
      const mantissa = magnitudeCode & 0x0f;
      const firstMagnitude = exponent <= 1 ? magnitudeCode : (16 + mantissa) << (exponent - 1);
      const step = exponent <= 1 ? 1 : 1 << (exponent - 1);
      const first = firstMagnitude * 16;
      const last = (firstMagnitude + step) * 16 - 1;
      table.fill((0x80 | magnitudeCode) ^ 0x55, first, last + 1); // positive: sign bit set
      table.fill(magnitudeCode ^ 0x55, 65535 - last, 65536 - first);
    }
    encodeTable = table;
  }
  return encodeTable;
}

/** The 256-entry decode table, indexed by the A-law byte; built on first use. */
function alawDecodeTable(): Int16Array {
  if (decodeTable === undefined) {
    const table = new Int16Array(256);
    for (let code = 0; code < 256; code++) {
      const toggled = code ^ 0x55;
      const exponent = (toggled >> 4) & 0x07;
      const mantissa = toggled & 0x0f;
      const magnitude = exponent === 0 ? (mantissa << 4) + 8 : (((mantissa + 16) << 4) + 8) << (exponent - 1);
      table[code] = code < 0x80 ? -magnitude : magnitude;
    }
    decodeTable = table;
    unsignedDecodeTable = new Uint16Array(table.buffer);
  }
  return decodeTable;
}

/** Encodes 16-bit PCM samples into `out` as A-law bytes; returns the number of bytes written. */
export function alawEncodeInto(pcm: Int16Array, out: Uint8Array): number {
  const length = pcm.length;
  if (out.length < length) {
    throw new RangeError(`alawEncodeInto: out holds ${out.length} bytes, needs ${length}`);
  }
  encodeWithTable(alawEncodeTable(), pcm, out);
  return length;
}

/** Decodes A-law bytes into `out` as 16-bit PCM samples; returns the number of samples written. */
export function alawDecodeInto(bytes: Uint8Array, out: Int16Array): number {
  const length = bytes.length;
  if (out.length < length) {
    throw new RangeError(`alawDecodeInto: out holds ${out.length} samples, needs ${length}`);
  }
  decodeWithTable(alawDecodeTable(), unsignedDecodeTable!, bytes, out);
  return length;
}

/** Encodes 16-bit PCM samples as A-law, one byte per sample. */
export function alawEncode(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  alawEncodeInto(pcm, out);
  return out;
}

/** Decodes A-law bytes to 16-bit PCM, one sample per byte. */
export function alawDecode(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  alawDecodeInto(bytes, out);
  return out;
}

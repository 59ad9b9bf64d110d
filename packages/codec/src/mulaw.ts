/**
 * G.711 mu-law, bit-exact with the ITU-T G.191 reference (`g711.c`, `ulaw_compress` /
 * `ulaw_expand`). The reference works on the 14 most significant bits and truncates
 * negative samples by one's complement (`~x`), so e.g. -1..-4 encode like 0..3 with the
 * sign bit cleared; common libraries (alawmulaw, audioop, sox) negate instead and differ
 * on a few inputs.
 */

import { decodeWithTable, encodeWithTable } from './table-lookup.js';

let encodeTable: Uint8Array | undefined;
let decodeTable: Int16Array | undefined;
let unsignedDecodeTable: Uint16Array | undefined;

/**
 * The 64 Ki-entry encode table, indexed by `sample & 0xffff`, built on first use by filling
 * the run of samples each of the 128 magnitude codes covers (256 `fill` calls, well under 1 ms).
 * For a sample x >= 0 the magnitude is v = x; for x < 0 it is v = ~x = -x - 1 (one's
 * complement), at index 65535 - v. G.711 biases the 14-bit magnitude by 33 and reads
 * exponent e and mantissa m from `(v >> 2) + 33` in `[(16 + m) << (e + 1), (17 + m) << (e + 1))`,
 * clipping above 8191.
 */
function mulawEncodeTable(): Uint8Array {
  if (encodeTable === undefined) {
    const table = new Uint8Array(65536);
    for (let exponent = 0; exponent < 8; exponent++) {
      for (let mantissa = 0; mantissa < 16; mantissa++) {
        const first = Math.max(0, (((16 + mantissa) << (exponent + 1)) - 33) * 4);
        const isTopCode = exponent === 7 && mantissa === 15; // also takes every clipped magnitude
        const last = isTopCode ? 32767 : (((17 + mantissa) << (exponent + 1)) - 33) * 4 - 1;
        const magnitudeCode = (exponent << 4) | mantissa;
        table.fill(0xff ^ magnitudeCode, first, last + 1); // positive: sign bit set, bits inverted
        table.fill(0x7f ^ magnitudeCode, 65535 - last, 65536 - first);
      }
    }
    encodeTable = table;
  }
  return encodeTable;
}

/** The 256-entry decode table, indexed by the mu-law byte; built on first use. */
function mulawDecodeTable(): Int16Array {
  if (decodeTable === undefined) {
    const table = new Int16Array(256);
    for (let code = 0; code < 256; code++) {
      const inverted = ~code & 0xff;
      const exponent = (inverted >> 4) & 0x07;
      const mantissa = inverted & 0x0f;
      const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
      table[code] = code < 0x80 ? -magnitude : magnitude;
    }
    decodeTable = table;
    unsignedDecodeTable = new Uint16Array(table.buffer);
  }
  return decodeTable;
}

/** Encodes 16-bit PCM samples into `out` as mu-law bytes; returns the number of bytes written. */
export function mulawEncodeInto(pcm: Int16Array, out: Uint8Array): number {
  const length = pcm.length;
  if (out.length < length) {
    throw new RangeError(`mulawEncodeInto: out holds ${out.length} bytes, needs ${length}`);
  }
  encodeWithTable(mulawEncodeTable(), pcm, out);
  return length;
}

/** Decodes mu-law bytes into `out` as 16-bit PCM samples; returns the number of samples written. */
export function mulawDecodeInto(bytes: Uint8Array, out: Int16Array): number {
  const length = bytes.length;
  if (out.length < length) {
    throw new RangeError(`mulawDecodeInto: out holds ${out.length} samples, needs ${length}`);
  }
  decodeWithTable(mulawDecodeTable(), unsignedDecodeTable!, bytes, out);
  return length;
}

/** Encodes 16-bit PCM samples as mu-law, one byte per sample. */
export function mulawEncode(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  mulawEncodeInto(pcm, out);
  return out;
}

/** Decodes mu-law bytes to 16-bit PCM, one sample per byte. */
export function mulawDecode(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  mulawDecodeInto(bytes, out);
  return out;
}

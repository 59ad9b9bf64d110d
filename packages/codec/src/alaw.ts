/**
 * G.711 A-law, bit-exact with the ITU-T G.191 reference (`g711.c`, `alaw_compress` /
 * `alaw_expand`). The reference works on the 13 most significant bits and truncates
 * negative samples by one's complement (`~x`); alawmulaw and sox negate instead and
 * differ on a few inputs.
 */

let encodeTable: Uint8Array | undefined;
let decodeTable: Int16Array | undefined;

/** The 64 Ki-entry encode table, indexed by `sample & 0xffff`; built on first use (~1 ms). */
function alawEncodeTable(): Uint8Array {
  if (encodeTable === undefined) {
    const table = new Uint8Array(65536);
    for (let index = 0; index < 65536; index++) {
      const sample = (index << 16) >> 16;
      const magnitude = sample < 0 ? ~(sample >> 4) : sample >> 4; // 0..2047
      let code: number;
      if (magnitude < 32) {
        code = magnitude; // segments 0 and 1 share the step size; the code is the magnitude
      } else {
        const exponent = 28 - Math.clz32(magnitude); // floor(log2(magnitude)) - 3, in 2..7
        code = (exponent << 4) | ((magnitude >> (exponent - 1)) & 0x0f);
      }
      table[index] = (sample < 0 ? code : code | 0x80) ^ 0x55;
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
  }
  return decodeTable;
}

/** Encodes 16-bit PCM samples into `out` as A-law bytes; returns the number of bytes written. */
export function alawEncodeInto(pcm: Int16Array, out: Uint8Array): number {
  const length = pcm.length;
  if (out.length < length) {
    throw new RangeError(`alawEncodeInto: out holds ${out.length} bytes, needs ${length}`);
  }
  const table = alawEncodeTable();
  for (let i = 0; i < length; i++) {
    out[i] = table[pcm[i]! & 0xffff]!;
  }
  return length;
}

/** Decodes A-law bytes into `out` as 16-bit PCM samples; returns the number of samples written. */
export function alawDecodeInto(bytes: Uint8Array, out: Int16Array): number {
  const length = bytes.length;
  if (out.length < length) {
    throw new RangeError(`alawDecodeInto: out holds ${out.length} samples, needs ${length}`);
  }
  const table = alawDecodeTable();
  for (let i = 0; i < length; i++) {
    out[i] = table[bytes[i]!]!;
  }
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

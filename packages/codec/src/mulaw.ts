/**
 * G.711 mu-law, bit-exact with the ITU-T G.191 reference (`g711.c`, `ulaw_compress` /
 * `ulaw_expand`). The reference works on the 14 most significant bits and truncates
 * negative samples by one's complement (`~x`), so e.g. -1..-4 encode like 0..3 with the
 * sign bit cleared; common libraries (alawmulaw, audioop, sox) negate instead and differ
 * on a few inputs.
 */

let encodeTable: Uint8Array | undefined;
let decodeTable: Int16Array | undefined;

/** The 64 Ki-entry encode table, indexed by `sample & 0xffff`; built on first use (~1 ms). */
function mulawEncodeTable(): Uint8Array {
  if (encodeTable === undefined) {
    const table = new Uint8Array(65536);
    for (let index = 0; index < 65536; index++) {
      const sample = (index << 16) >> 16;
      // `sample >> 2` then `~` is the reference's `(~sample) >> 2` for negative samples.
      const magnitude = sample < 0 ? ~(sample >> 2) : sample >> 2;
      const biased = Math.min(magnitude + 33, 0x1fff);
      const exponent = 26 - Math.clz32(biased); // floor(log2(biased)) - 5, in 0..7
      const mantissa = (biased >> (exponent + 1)) & 0x0f;
      table[index] = (sample < 0 ? 0x7f : 0xff) ^ ((exponent << 4) | mantissa);
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
  }
  return decodeTable;
}

/** Encodes 16-bit PCM samples into `out` as mu-law bytes; returns the number of bytes written. */
export function mulawEncodeInto(pcm: Int16Array, out: Uint8Array): number {
  const length = pcm.length;
  if (out.length < length) {
    throw new RangeError(`mulawEncodeInto: out holds ${out.length} bytes, needs ${length}`);
  }
  const table = mulawEncodeTable();
  for (let i = 0; i < length; i++) {
    out[i] = table[pcm[i]! & 0xffff]!;
  }
  return length;
}

/** Decodes mu-law bytes into `out` as 16-bit PCM samples; returns the number of samples written. */
export function mulawDecodeInto(bytes: Uint8Array, out: Int16Array): number {
  const length = bytes.length;
  if (out.length < length) {
    throw new RangeError(`mulawDecodeInto: out holds ${out.length} samples, needs ${length}`);
  }
  const table = mulawDecodeTable();
  for (let i = 0; i < length; i++) {
    out[i] = table[bytes[i]!]!;
  }
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

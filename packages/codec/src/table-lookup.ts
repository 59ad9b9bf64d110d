/**
 * The G.711 hot loops, shared by mu-law and A-law: a 64 Ki-entry table from 16-bit sample
 * to code, and a 256-entry table from code to sample. When the buffers are 4-byte aligned
 * on a little-endian platform and long enough, the loops move 32 bits at a time (two samples in, four
 * codes out; four codes in, two 32-bit words of samples out), which is about twice as fast
 * as one element per step; otherwise they fall back to one element per step.
 */

const platformIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Below this many samples, making the two 32-bit views costs more than it saves (a 20 ms frame at 8 kHz is 160). */
const WORD_PATH_MIN_LENGTH = 256;

/** Writes `table[sample & 0xffff]` for each sample of `pcm` into `out` (length already checked). */
export function encodeWithTable(table: Uint8Array, pcm: Int16Array, out: Uint8Array): void {
  const length = pcm.length;
  let done = 0;
  if (
    length >= WORD_PATH_MIN_LENGTH &&
    platformIsLittleEndian &&
    pcm.byteOffset % 4 === 0 &&
    out.byteOffset % 4 === 0
  ) {
    const quads = length >> 2;
    const samplePairs = new Uint32Array(pcm.buffer, pcm.byteOffset, quads * 2);
    const codeQuads = new Uint32Array(out.buffer, out.byteOffset, quads);
    for (let i = 0, j = 0; i < quads; i++, j += 2) {
      const first = samplePairs[j]!;
      const second = samplePairs[j + 1]!;
      codeQuads[i] =
        table[first & 0xffff]! |
        (table[first >>> 16]! << 8) |
        (table[second & 0xffff]! << 16) |
        (table[second >>> 16]! << 24);
    }
    done = quads * 4;
  }
  for (let i = done; i < length; i++) out[i] = table[pcm[i]! & 0xffff]!;
}

/**
 * Writes `table[code]` for each code of `bytes` into `out` (length already checked);
 * `unsignedTable` is the same table viewed as `Uint16Array`.
 */
export function decodeWithTable(
  table: Int16Array,
  unsignedTable: Uint16Array,
  bytes: Uint8Array,
  out: Int16Array,
): void {
  const length = bytes.length;
  let done = 0;
  if (
    length >= WORD_PATH_MIN_LENGTH &&
    platformIsLittleEndian &&
    bytes.byteOffset % 4 === 0 &&
    out.byteOffset % 4 === 0
  ) {
    const quads = length >> 2;
    const codeQuads = new Uint32Array(bytes.buffer, bytes.byteOffset, quads);
    const samplePairs = new Int32Array(out.buffer, out.byteOffset, quads * 2);
    for (let i = 0, j = 0; i < quads; i++, j += 2) {
      const codes = codeQuads[i]!;
      samplePairs[j] = unsignedTable[codes & 0xff]! | (unsignedTable[(codes >>> 8) & 0xff]! << 16);
      samplePairs[j + 1] = unsignedTable[(codes >>> 16) & 0xff]! | (unsignedTable[codes >>> 24]! << 16);
    }
    done = quads * 4;
  }
  for (let i = done; i < length; i++) out[i] = table[bytes[i]!]!;
}

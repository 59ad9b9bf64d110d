/** Joins PCM chunks into one array. */
export function concatPcm(chunks: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Splits `pcm` into consecutive chunks whose lengths (samples) cycle through `sizes`; the last chunk
 * holds what is left. Zero sizes give empty chunks (useful to test empty frames).
 */
export function splitPcm(pcm: Int16Array, sizes: readonly number[]): Int16Array[] {
  if (sizes.length === 0 || sizes.every((size) => size <= 0)) return [pcm];
  const chunks: Int16Array[] = [];
  let offset = 0;
  let index = 0;
  while (offset < pcm.length) {
    const size = Math.max(0, Math.floor(sizes[index % sizes.length] ?? 0));
    chunks.push(pcm.slice(offset, offset + size));
    offset += size;
    index += 1;
  }
  return chunks;
}

// Written out here rather than taken from codec, so this folder depends on nothing and codec's own
// tests can use it as an independent oracle.

/** 16-bit little-endian bytes of `pcm` (the wire layout of L16 and WAV), whatever the host's byte order. */
export function pcmToBytes(pcm: Int16Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < pcm.length; i += 1) view.setInt16(i * 2, pcm[i] ?? 0, true);
  return bytes;
}

/** PCM from 16-bit little-endian bytes (any byte offset); a trailing odd byte is dropped. */
export function bytesToPcm(bytes: Uint8Array): Int16Array {
  const pcm = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < pcm.length; i += 1) pcm[i] = view.getInt16(i * 2, true);
  return pcm;
}

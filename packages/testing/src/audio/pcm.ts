import { l16LeToPcm, pcmToL16Le } from '@callwire/codec';

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

/** 16-bit little-endian bytes of `pcm` (the wire layout of L16 and WAV); codec's `pcmToL16Le`. */
export function pcmToBytes(pcm: Int16Array): Uint8Array {
  return pcmToL16Le(pcm);
}

/** PCM from 16-bit little-endian bytes; unlike codec's `l16LeToPcm`, a trailing odd byte is dropped. */
export function bytesToPcm(bytes: Uint8Array): Int16Array {
  return l16LeToPcm(bytes.subarray(0, bytes.length - (bytes.length % 2)));
}

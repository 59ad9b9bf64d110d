import { createByteQueue, type Framer } from '@callwire/kit';
import { EXOTEL_CHUNK_GRID_BYTES, EXOTEL_MAX_CHUNK_BYTES, EXOTEL_MIN_CHUNK_BYTES } from './options.js';

/** Cuts outbound PCM bytes into chunks Exotel accepts (see `options.ts` for the window and its source). */
export interface ExotelChunker extends Framer {
  /** Bytes held back, waiting for a full chunk. */
  readonly bufferedBytes: number;
  /** Adds `bytes`; returns the chunks now ready: multiples of 320 bytes, `minChunkBytes`..99 840 each. */
  push(bytes: Uint8Array): Uint8Array[];
  /** Everything held back, zero-padded up to the 320-byte grid (the only chunks that may be under the minimum). */
  flush(): Uint8Array[];
  /** Drops everything held back (on barge-in); returns how many bytes were dropped. */
  clear(): number;
}

/** A chunker holding audio back until `minChunkBytes` (a multiple of 320, >= 3200) are buffered. */
export function createExotelChunker(
  options: { minChunkBytes?: number; maxChunkBytes?: number } = {},
): ExotelChunker {
  const grid = EXOTEL_CHUNK_GRID_BYTES;
  const minChunkBytes = options.minChunkBytes ?? EXOTEL_MIN_CHUNK_BYTES;
  const maxChunkBytes = options.maxChunkBytes ?? EXOTEL_MAX_CHUNK_BYTES;
  if (
    minChunkBytes % grid !== 0 ||
    maxChunkBytes % grid !== 0 ||
    minChunkBytes < grid ||
    maxChunkBytes < minChunkBytes
  ) {
    throw new RangeError(
      `exotel chunker: minChunkBytes (${minChunkBytes}) and maxChunkBytes (${maxChunkBytes}) must be multiples of ${grid}, min <= max`,
    );
  }
  const queue = createByteQueue(maxChunkBytes);

  return {
    get bufferedBytes() {
      return queue.length;
    },
    push(bytes) {
      queue.push(bytes);
      const ready: Uint8Array[] = [];
      while (queue.length >= minChunkBytes) {
        const onGrid = queue.length - (queue.length % grid);
        ready.push(queue.take(Math.min(onGrid, maxChunkBytes)));
      }
      return ready;
    },
    flush() {
      const chunks: Uint8Array[] = [];
      while (queue.length > maxChunkBytes) chunks.push(queue.take(maxChunkBytes));
      if (queue.length > 0) {
        const tail = queue.take(queue.length);
        const padded = new Uint8Array(Math.ceil(tail.length / grid) * grid);
        padded.set(tail);
        chunks.push(padded);
      }
      return chunks;
    },
    clear() {
      const dropped = queue.length;
      queue.clear();
      return dropped;
    },
  };
}

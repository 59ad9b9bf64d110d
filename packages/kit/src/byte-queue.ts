/**
 * A FIFO of bytes for outbound audio framing: push any amount, take exact amounts. Carriers use it
 * to cut audio into the sizes their wire demands (20 ms frames, or chunks on a byte grid).
 */
export interface ByteQueue {
  /** Bytes queued. */
  readonly length: number;
  /** Appends a copy of `bytes`. */
  push(bytes: Uint8Array): void;
  /** Removes and returns the first `byteLength` bytes (fewer when fewer are queued). */
  take(byteLength: number): Uint8Array;
  /** Drops everything queued. */
  clear(): void;
}

/** An empty `ByteQueue`; its storage grows by doubling and is reused, so steady streaming allocates little. */
export function createByteQueue(initialCapacityBytes = 4096): ByteQueue {
  let buffer = new Uint8Array(Math.max(16, initialCapacityBytes));
  let start = 0;
  let end = 0;

  const ensureRoom = (extra: number): void => {
    const used = end - start;
    if (end + extra <= buffer.length) return;
    if (used + extra <= buffer.length) {
      buffer.copyWithin(0, start, end);
    } else {
      let capacity = buffer.length * 2;
      while (capacity < used + extra) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(buffer.subarray(start, end));
      buffer = grown;
    }
    start = 0;
    end = used;
  };

  return {
    get length() {
      return end - start;
    },
    push(bytes) {
      ensureRoom(bytes.length);
      buffer.set(bytes, end);
      end += bytes.length;
    },
    take(byteLength) {
      const count = Math.max(0, Math.min(Math.floor(byteLength), end - start));
      const out = buffer.slice(start, start + count);
      start += count;
      if (start === end) {
        start = 0;
        end = 0;
      }
      return out;
    },
    clear() {
      start = 0;
      end = 0;
    },
  };
}

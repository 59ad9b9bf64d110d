import { createByteQueue, type Framer, type WireFormat } from '@callwire/kit';
import { GENESYS_MAX_BINARY_BYTES } from './options.js';

/** Bytes of `frameMs` of mono `format` audio: 1,600 for 200 ms of PCMU, 3,200 for L16. */
export function genesysFrameBytes(format: WireFormat, frameMs: number): number {
  const bytes = ((format.sampleRate * frameMs) / 1000) * (format.encoding === 'l16' ? 2 : 1);
  if (!Number.isInteger(bytes) || bytes <= 0 || bytes > GENESYS_MAX_BINARY_BYTES) {
    throw new RangeError(
      `genesys framer: ${frameMs} ms of ${format.encoding} is ${bytes} bytes (1..${GENESYS_MAX_BINARY_BYTES})`,
    );
  }
  return bytes;
}

/**
 * Cuts outbound wire bytes into messages of exactly `frameBytes` bytes (the last one padded with the
 * codec's silence: 0xFF in mu-law, 0 in L16), so Genesys gets a steady stream of equal messages.
 */
export function createGenesysFramer(format: WireFormat, frameMs: number): Framer {
  const frameBytes = genesysFrameBytes(format, frameMs);
  const silence = format.encoding === 'mulaw' ? 0xff : 0;
  const queue = createByteQueue(frameBytes * 4);
  return {
    push(bytes) {
      queue.push(bytes);
      const frames: Uint8Array[] = [];
      while (queue.length >= frameBytes) frames.push(queue.take(frameBytes));
      return frames;
    },
    flush() {
      if (queue.length === 0) return [];
      const frame = new Uint8Array(frameBytes).fill(silence);
      frame.set(queue.take(queue.length));
      return [frame];
    },
    clear: () => queue.clear(),
  };
}

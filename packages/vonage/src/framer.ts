import { createByteQueue, type Framer } from '@callwire/kit';

/** Milliseconds of audio in each binary message, both ways (Vonage WebSocket guide: "a 20ms frame size"). */
export const VONAGE_FRAME_MS = 20;

/** Bytes of one 20 ms frame of 16-bit mono PCM at `sampleRate` Hz: 320 at 8 kHz, 640 at 16 kHz. */
export function vonageFrameBytes(sampleRate: number): number {
  return (sampleRate / 1000) * VONAGE_FRAME_MS * 2;
}

/**
 * Cuts outbound PCM bytes into exact 20 ms frames: Vonage's guide says "it is important that each
 * message is 320 or 640 bytes (depending on sample rate) and contains 20ms of audio".
 */
export interface VonageFramer extends Framer {
  /** Bytes per frame. */
  readonly frameBytes: number;
  /** Bytes carried over to the next push (always under one frame). */
  readonly bufferedBytes: number;
  /** The carried-over bytes as one frame padded with silence, or none when none are held. */
  flush(): Uint8Array[];
  /** Drops the carried-over bytes; returns how many there were. */
  clear(): number;
}

/** A framer for `sampleRate` Hz 16-bit mono PCM. */
export function createVonageFramer(sampleRate: number): VonageFramer {
  const frameBytes = vonageFrameBytes(sampleRate);
  if (!Number.isInteger(frameBytes) || frameBytes <= 0 || frameBytes % 2 !== 0) {
    throw new RangeError(
      `vonage framer: ${sampleRate} Hz does not give whole 20 ms frames of 16-bit samples`,
    );
  }
  const queue = createByteQueue(frameBytes * 8);
  return {
    frameBytes,
    get bufferedBytes() {
      return queue.length;
    },
    push(bytes) {
      const frames: Uint8Array[] = [];
      let offset = 0;
      if (queue.length > 0) {
        // Complete the carried-over frame first.
        offset = Math.min(bytes.length, frameBytes - queue.length);
        queue.push(bytes.subarray(0, offset));
        if (queue.length < frameBytes) return frames;
        frames.push(queue.take(frameBytes));
      }
      // Whole frames straight from the input: one copy each, none through the queue. (Not `slice`:
      // on a Node `Buffer`, the kit's scratch buffer, it is a view that the next frame overwrites.)
      for (; bytes.length - offset >= frameBytes; offset += frameBytes) {
        frames.push(new Uint8Array(bytes.subarray(offset, offset + frameBytes)));
      }
      if (offset < bytes.length) queue.push(bytes.subarray(offset));
      return frames;
    },
    flush() {
      if (queue.length === 0) return [];
      const frame = new Uint8Array(frameBytes);
      frame.set(queue.take(queue.length));
      return [frame];
    },
    clear() {
      const dropped = queue.length;
      queue.clear();
      return dropped;
    },
  };
}

import { createByteQueue, type Framer } from '@callwire/kit';

/**
 * Largest binary message sent to chan_websocket, in bytes: Asterisk's WebSocket layer refuses a larger
 * one and hangs the channel up (`AST_WEBSOCKET_MAX_RX_PAYLOAD_SIZE` is 65535; the driver's guide says
 * to stay at or under 65500).
 */
export const ASTERISK_MAX_MESSAGE_BYTES = 65_500;

/**
 * Cuts the outbound stream into messages of whole `frameBytes` frames (chan_websocket's
 * `optimal_frame_size`: "send multiples of it"; outside bulk buffering it drops a partial frame), at
 * most `ASTERISK_MAX_MESSAGE_BYTES` (and `maxFramesPerMessage` frames) each. What does not fill a frame waits for the next push; `flush`
 * pads it to one frame with `silence`.
 */
export function createAsteriskFramer(
  frameBytes: number,
  silence: number,
  maxFramesPerMessage = Number.POSITIVE_INFINITY,
): Framer {
  if (!Number.isInteger(frameBytes) || frameBytes <= 0 || frameBytes > ASTERISK_MAX_MESSAGE_BYTES) {
    throw new RangeError(
      `asterisk framer: a frame of ${frameBytes} bytes is not 1..${ASTERISK_MAX_MESSAGE_BYTES}`,
    );
  }
  const framesPerMessage = Math.min(maxFramesPerMessage, Math.floor(ASTERISK_MAX_MESSAGE_BYTES / frameBytes));
  const maxMessage = framesPerMessage * frameBytes;
  const queue = createByteQueue(frameBytes * 16);
  return {
    push(bytes) {
      queue.push(bytes);
      const messages: Uint8Array[] = [];
      while (queue.length >= frameBytes) {
        const whole = Math.min(maxMessage, queue.length - (queue.length % frameBytes));
        // `take` returns a copy of its own: the caller keeps each chunk.
        messages.push(queue.take(whole));
      }
      return messages;
    },
    flush() {
      if (queue.length === 0) return [];
      const frame = new Uint8Array(frameBytes).fill(silence);
      frame.set(queue.take(queue.length));
      return [frame];
    },
    clear() {
      queue.clear();
    },
  };
}

import type { DeframeResult, StreamDeframer, StreamFraming } from '@callwire/core';
import { AUDIOSOCKET_HEADER_BYTES, isAudioSocketKind } from './frames.js';

/**
 * AudioSocket's stream framing: a deframer per TCP connection that reassembles each message exactly,
 * however the reads split its header or payload. A kind Asterisk never sends (garbage, or not
 * AudioSocket at all) or a payload longer than the connection's limit is a problem: the server closes
 * that connection (Asterisk itself ends the call on an unknown kind).
 */
export const audioSocketFraming: StreamFraming = {
  createDeframer: createAudioSocketDeframer,
};

/** A deframer for one connection; `maxMessageBytes` bounds a whole message, header included. */
export function createAudioSocketDeframer(maxMessageBytes: number): StreamDeframer {
  let buffer = new Uint8Array(1024);
  let length = 0;
  let failed: string | undefined;

  function append(chunk: Uint8Array): void {
    if (length + chunk.length > buffer.length) {
      let size = buffer.length * 2;
      while (size < length + chunk.length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(chunk, length);
    length += chunk.length;
  }

  return {
    push(chunk): DeframeResult {
      if (failed !== undefined) return { problem: failed };
      append(chunk);
      const messages: Uint8Array[] = [];
      let offset = 0;
      while (length - offset >= 1) {
        const kind = buffer[offset] as number;
        if (!isAudioSocketKind(kind)) {
          failed = `not an AudioSocket stream: unknown message kind 0x${kind.toString(16).padStart(2, '0')}`;
          return { problem: failed };
        }
        if (length - offset < AUDIOSOCKET_HEADER_BYTES) break;
        const payload = ((buffer[offset + 1] as number) << 8) | (buffer[offset + 2] as number);
        const total = AUDIOSOCKET_HEADER_BYTES + payload;
        if (total > maxMessageBytes) {
          failed = `a ${total}-byte AudioSocket message exceeds the ${maxMessageBytes}-byte limit`;
          return { problem: failed };
        }
        if (length - offset < total) break;
        messages.push(buffer.slice(offset, offset + total));
        offset += total;
      }
      if (offset > 0) {
        buffer.copyWithin(0, offset, length);
        length -= offset;
      }
      return { messages };
    },
  };
}

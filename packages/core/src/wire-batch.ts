import type { Frame } from './frames.js';
import type { FrameSerializer, WireMessage } from './serializer.js';

/**
 * A serializer that can put several messages on the wire for one frame: Vonage wants each
 * 20 ms of audio as its own binary message, and Exotel must send buffered audio before a
 * `mark`. Its `serialize` still honours the one-message contract; `serializeAll` is exact.
 */
export interface BatchingSerializer extends FrameSerializer {
  /** Every message `frame` puts on the wire, in send order (empty when there is nothing to send). */
  serializeAll(frame: Frame): Promise<WireMessage[]>;
}

/** True when `serializer` implements `serializeAll`. */
export function isBatchingSerializer(serializer: FrameSerializer): serializer is BatchingSerializer {
  return typeof (serializer as Partial<BatchingSerializer>).serializeAll === 'function';
}

/**
 * All messages to send for `frame`, in order: `serializeAll` when the serializer has it, else the
 * one message of `serialize` (or none). Transports should call this rather than `serialize`.
 */
export async function serializeAll(serializer: FrameSerializer, frame: Frame): Promise<WireMessage[]> {
  if (isBatchingSerializer(serializer)) return serializer.serializeAll(frame);
  const message = await serializer.serialize(frame);
  return message === undefined ? [] : [message];
}

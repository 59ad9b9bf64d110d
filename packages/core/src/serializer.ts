import type { Frame, StartFrame } from './frames.js';

/** What a serializer puts on the wire: a text frame, a binary frame, or nothing. */
export type WireMessage = string | Uint8Array;

/**
 * Turns one carrier's wire messages into frames and back, for one call.
 * Neither method throws on bad wire input: it logs a warning and returns `undefined`.
 */
export interface FrameSerializer {
  /** The carrier this serializer speaks, e.g. `'plivo'`. */
  readonly carrier: string;
  /** Learns the pipeline's rates; call once before the first frame. */
  setup(start: StartFrame): Promise<void>;
  /** A frame from the application to the carrier's message, or `undefined` when there is nothing to send. */
  serialize(frame: Frame): Promise<WireMessage | undefined>;
  /** A carrier message to a frame, or `undefined` when there is nothing to emit. */
  deserialize(data: WireMessage): Promise<Frame | undefined>;
}

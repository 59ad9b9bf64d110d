import type { Frame, StartFrame } from './frames.js';

/** What a serializer puts on the wire: a text frame, a binary frame, or nothing. */
export type WireMessage = string | Uint8Array;

/** How one call's audio is coded: on the carrier's wire, and in the pipeline. */
export interface CallAudioFormat {
  /** How the carrier codes the caller's audio on the wire. */
  readonly wireEncoding: 'mulaw' | 'alaw' | 'l16';
  /** Hz of the caller's audio on the wire. */
  readonly wireSampleRate: number;
  /** Hz of `input-audio` frames (the pipeline rate); undefined until `setup`. */
  readonly pipelineSampleRate: number | undefined;
}

/**
 * One call's carrier dialect as a pure, synchronous translation: no I/O, no hang-up. This is what the
 * runtime and the conformance suite use; `FrameSerializer` wraps it with Pipecat's behaviour.
 * Neither method throws on bad wire input: it warns once per kind and yields nothing.
 */
export interface WireSerializer {
  /** The carrier this serializer speaks, e.g. `'acme'`. */
  readonly carrier: string;
  /** The carrier's media stream id for this call. */
  readonly streamId: string;
  /** The carrier's call id, when known. */
  readonly callId: string | undefined;
  /** True when whoever ends this call should hang it up through the carrier's `CallControl`. */
  readonly autoHangUp: boolean;
  /**
   * The call's audio coding, where the serializer knows it (every kit carrier does): lets a consumer
   * skip a transcoding step, e.g. hand 8 kHz mu-law through to a model that takes it.
   */
  readonly audioFormat?: CallAudioFormat;
  /** Learns the pipeline's rates; call once before the first frame. */
  setup(start: StartFrame): void;
  /** Every wire message `frame` produces, in send order (empty when there is nothing to send). */
  serialize(frame: Frame): WireMessage[];
  /**
   * Every frame a carrier message yields, in order. Messages the protocol itself must send in answer
   * (a handshake's reply, a pong) go to `reply`, in order, before this returns.
   */
  deserialize(data: WireMessage, reply?: (message: WireMessage) => void): Frame[];
}

/**
 * Turns one carrier's wire messages into frames and back, for one call, the way Pipecat's
 * serializers do: `serialize(end | cancel)` also hangs the call up (once) through its `CallControl`.
 * Neither method throws on bad wire input: it logs a warning and returns `undefined`.
 */
export interface FrameSerializer {
  /** The carrier this serializer speaks, e.g. `'acme'`. */
  readonly carrier: string;
  /** Learns the pipeline's rates; call once before the first frame. */
  setup(start: StartFrame): Promise<void>;
  /**
   * A frame to the carrier's message, an array of them where the wire needs several, or
   * `undefined` when there is nothing to send.
   */
  serialize(frame: Frame): Promise<WireMessage | WireMessage[] | undefined>;
  /** A carrier message to a frame, an array where it yields several, or `undefined`. */
  deserialize(data: WireMessage): Promise<Frame | Frame[] | undefined>;
}

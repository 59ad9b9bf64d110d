import type { Frame, WireMessage } from '@callwire/core';

/**
 * chan_websocket's outbound queue, in frames (`QUEUE_LENGTH_MAX`, `..._XOFF_LEVEL`, `..._XON_LEVEL` in
 * channels/chan_websocket.c). A binary message that arrives while the queue holds `max` frames is
 * dropped whole ("queue is full. Ignoring incoming binary message"); one that starts below it is
 * queued whole, however many frames it holds.
 */
export const ASTERISK_QUEUE_FRAMES = { max: 1000, xoff: 900, xon: 800 } as const;

/** Frames our upper bound of Asterisk's queue may reach before we ask for its `STATUS`. */
export const STATUS_POLL_FRAMES = 400;

/**
 * Outbound flow control for one chan_websocket call, so that Asterisk never drops what the handler
 * sent. It keeps an upper bound of Asterisk's queue length (the last `STATUS`, plus every frame sent
 * since it was asked for, drain ignored) and sends a media message only while that bound is under
 * the queue's maximum; `MEDIA_XOFF` stops all media until `MEDIA_XON`. What it holds waits, in order
 * (marks included), and goes out through the protocol-reply path when Asterisk has room. Pure: no
 * clocks, no I/O.
 */
export interface AsteriskMediaFlow {
  /** The kit's gate: every message one outbound frame produced in, those that go now out. */
  gate(messages: readonly WireMessage[], frame: Frame): WireMessage[];
  /** `MEDIA_XOFF`: hold all media. */
  xoff(): void;
  /** `MEDIA_XON`: the queue is under its XON level; returns what may go now. */
  xon(): WireMessage[];
  /** A `STATUS` (the answer to our `GET_STATUS`); returns what may go now. */
  status(queueLength: number, queueFull: boolean): WireMessage[];
  /** True between `MEDIA_XOFF` and `MEDIA_XON`. */
  readonly paused: boolean;
  /** Audio bytes held now. */
  readonly heldBytes: number;
  /** Audio bytes dropped because more than `maxHeldBytes` were held. */
  readonly droppedBytes: number;
}

interface Held {
  readonly message: WireMessage;
  /** Asterisk frames the message queues (0 for a command). */
  readonly frames: number;
}

/** Options of `createAsteriskMediaFlow`. */
export interface AsteriskMediaFlowOptions {
  /** `optimal_frame_size`: bytes per Asterisk frame. */
  readonly frameBytes: number;
  /** Most audio bytes held before newer audio is dropped (with a warning). */
  readonly maxHeldBytes: number;
  /** The `GET_STATUS` command in the call's control format. */
  readonly statusCommand: string;
  readonly warn: (kind: string, message: string) => void;
}

/** The flow control of one call. */
export function createAsteriskMediaFlow(options: AsteriskMediaFlowOptions): AsteriskMediaFlow {
  const { frameBytes, maxHeldBytes, statusCommand, warn } = options;
  let held: Held[] = [];
  let heldBytes = 0;
  let droppedBytes = 0;
  let paused = false;
  /** Asterisk's queue length when it last told us, and the frames we sent after it measured. */
  let base = 0;
  let sentSinceBase = 0;
  let sentTotal = 0;
  let statusPending = false;
  let sentAtRequest = 0;

  const estimate = () => base + sentSinceBase;

  function framesOf(message: WireMessage): number {
    return typeof message === 'string' ? 0 : Math.ceil(message.byteLength / frameBytes);
  }

  function release(): WireMessage[] {
    const out: WireMessage[] = [];
    let index = 0;
    for (; index < held.length && !paused; index++) {
      const next = held[index] as Held;
      // A message that starts while the queue may be full could be dropped whole: wait.
      if (next.frames > 0 && estimate() >= ASTERISK_QUEUE_FRAMES.max) break;
      out.push(next.message);
      if (next.frames > 0) {
        heldBytes -= (next.message as Uint8Array).byteLength;
        sentSinceBase += next.frames;
        sentTotal += next.frames;
      }
    }
    if (index > 0) held = held.slice(index);
    const waiting = held.length > 0 && !paused;
    // While paused MEDIA_XON is on its way: no need to ask.
    if (!statusPending && !paused && (waiting || estimate() >= STATUS_POLL_FRAMES)) {
      out.push(statusCommand);
      statusPending = true;
      sentAtRequest = sentTotal;
    }
    return out;
  }

  /** Drops the newest held audio until at most `maxHeldBytes` are held. */
  function bound(): void {
    for (let index = held.length - 1; heldBytes > maxHeldBytes && index >= 0; index--) {
      const entry = held[index] as Held;
      if (entry.frames === 0) continue;
      const bytes = (entry.message as Uint8Array).byteLength;
      held.splice(index, 1);
      heldBytes -= bytes;
      droppedBytes += bytes;
      warn(
        'held-overflow',
        `more than ${maxHeldBytes} bytes of audio held while Asterisk's queue is full: dropping the newest`,
      );
    }
  }

  return {
    gate(messages, frame) {
      if (frame.type === 'interruption') {
        // FLUSH_MEDIA empties Asterisk's queue (marks included); what we held goes the same way.
        held = [];
        heldBytes = 0;
        base = 0;
        sentSinceBase = 0;
        return [...messages];
      }
      if (frame.type === 'end' || frame.type === 'cancel') {
        // HANGUP ends the call whatever is queued: send everything, in order, and stop holding.
        const out = [...held.map((entry) => entry.message), ...messages];
        held = [];
        heldBytes = 0;
        return out;
      }
      if (messages.length === 0) return [];
      for (const message of messages) {
        const frames = framesOf(message);
        held.push({ message, frames });
        if (frames > 0) heldBytes += (message as Uint8Array).byteLength;
      }
      const out = release();
      bound();
      return out;
    },
    xoff() {
      paused = true;
    },
    xon() {
      paused = false;
      // Asterisk sends XON once its queue is under the XON level; what we sent before XOFF reached
      // us has arrived by then (draining 100 frames takes 2 s).
      base = ASTERISK_QUEUE_FRAMES.xon - 1;
      sentSinceBase = 0;
      return release();
    },
    status(queueLength, queueFull) {
      if (!statusPending) return [];
      statusPending = false;
      base = queueLength;
      sentSinceBase = sentTotal - sentAtRequest;
      if (queueFull) paused = true;
      return release();
    },
    get paused() {
      return paused;
    },
    get heldBytes() {
      return heldBytes;
    },
    get droppedBytes() {
      return droppedBytes;
    },
  };
}

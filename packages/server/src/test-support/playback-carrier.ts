import type { Frame } from '@callwire/core';
import { createPlayback } from '../playback.js';
import { createMemoryLogger } from './memory-logger.js';

/** How the fake carrier under a playback layer answers. */
export interface FakePlaybackCarrier {
  /** `false`: a carrier without checkpoints (a mark becomes no message). */
  readonly marks?: boolean;
  /** `false`: a carrier without a clear message. */
  readonly clear?: boolean;
  /**
   * How many wire messages the carrier sends for `frame` (`sent` already holds it), overriding `marks`
   * and `clear`: 2 for a mark that flushes audio its framer held back.
   */
  readonly messagesFor?: (frame: Frame, sent: readonly Frame[]) => number;
}

/**
 * A playback layer at `sampleRate` Hz on a fake carrier that records every frame, its jobs run in order
 * as the call's outbound queue runs them. Its clock is `Date.now()`, so vitest's fake timers drive it.
 */
export function playbackOnCarrier(sampleRate: number, carrier: FakePlaybackCarrier = {}) {
  const sent: Frame[] = [];
  let outbound = Promise.resolve();
  let ended = false;
  const logger = createMemoryLogger();
  const playback = createPlayback({
    sampleRate,
    emit(frame) {
      sent.push(frame);
      if (carrier.messagesFor) return carrier.messagesFor(frame, sent);
      if (frame.type === 'checkpoint') return carrier.marks === false ? 0 : 1;
      if (frame.type === 'interruption') return carrier.clear === false ? 0 : 1;
      return 1;
    },
    enqueue(job) {
      outbound = outbound.then(job);
      return outbound;
    },
    ended: () => ended,
    now: () => Date.now(),
    logger,
  });
  const marks = () => sent.flatMap((frame) => (frame.type === 'checkpoint' ? [frame.name] : []));
  return {
    playback,
    sent,
    /** The names of the marks sent, in order. */
    marks,
    /** Each frame sent as `'mark'` or `'audio'`. */
    kinds: () => sent.map((frame) => (frame.type === 'checkpoint' ? 'mark' : 'audio')),
    logger,
    /** Lets queued jobs run. */
    flush: () => outbound,
    end: () => {
      ended = true;
      playback.close();
    },
    /** Acknowledges the `index`-th mark sent (0-based). */
    ack: (index: number) => playback.acknowledged(marks()[index] ?? 'none'),
  };
}

import { endFrame, type Frame } from '@callwire/core';

/** Why a frame was dropped from a full queue. */
export type FrameDropKind = 'oldest-audio' | 'incoming';

/**
 * A bounded queue of inbound frames read as an async iterable by one consumer at a time.
 * When it holds `capacity` frames and another arrives, the oldest `input-audio` frame is dropped
 * (stale audio is worth less than fresh audio on a live call); when no audio is queued, the
 * incoming frame is dropped. Either way `onDrop` is told, and memory stays bounded.
 */
export interface FrameQueue {
  /** Queues a frame (dropping one when full); ignored after `end()`. */
  push(frame: Frame): void;
  /** Queues an `end` frame, whatever the capacity, and finishes the iterable after it. */
  end(): void;
  /** Frames waiting to be read. */
  readonly size: number;
  /** True once `end()` was called. */
  readonly ended: boolean;
  /** The frames, in arrival order; iterating again (after a `break`) resumes where it left off. */
  readonly frames: AsyncIterable<Frame>;
}

/** A `FrameQueue` holding at most `capacity` frames (plus the final `end`). */
export function createFrameQueue(capacity: number, onDrop: (kind: FrameDropKind) => void): FrameQueue {
  const queued: Frame[] = [];
  let ended = false;
  let waiter: ((result: IteratorResult<Frame>) => void) | undefined;

  function deliver(frame: Frame): boolean {
    if (!waiter) return false;
    const wake = waiter;
    waiter = undefined;
    wake({ value: frame, done: false });
    return true;
  }

  function push(frame: Frame): void {
    if (ended || deliver(frame)) return;
    if (queued.length >= capacity) {
      const oldestAudio = queued.findIndex((item) => item.type === 'input-audio');
      if (oldestAudio >= 0) {
        queued.splice(oldestAudio, 1);
        onDrop('oldest-audio');
      } else {
        onDrop('incoming');
        return;
      }
    }
    queued.push(frame);
  }

  function end(): void {
    if (ended) return;
    ended = true;
    if (!deliver(endFrame())) queued.push(endFrame());
  }

  function next(): Promise<IteratorResult<Frame>> {
    const frame = queued.shift();
    if (frame) return Promise.resolve({ value: frame, done: false });
    if (ended) return Promise.resolve({ value: undefined, done: true });
    // A second concurrent reader would orphan the first; the contract is one reader at a time.
    return new Promise((resolve) => {
      waiter = resolve;
    });
  }

  const frames: AsyncIterable<Frame> = {
    [Symbol.asyncIterator]: () => ({
      next,
      return: () => Promise.resolve({ value: undefined, done: true }),
    }),
  };

  return {
    push,
    end,
    get size() {
      return queued.length;
    },
    get ended() {
      return ended;
    },
    frames,
  };
}

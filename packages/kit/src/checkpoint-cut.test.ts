import {
  checkpointFrame,
  createCallwireContainer,
  createWireSerializer,
  type Logger,
  outputAudioFrame,
  registerCarrier,
  startFrame,
  type WireMessage,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { createByteQueue } from './byte-queue.js';
import { defineCarrier } from './define-carrier.js';
import { noAutoHangUpParam, pipelineSampleRateParam } from './option-fragments.js';

// A carrier that takes exact 20 ms frames of 8 kHz L16 (320 bytes; the last one padded with zeros) and
// marks with text: what a checkpoint does to the outbound stream when the pipeline runs at 16 kHz.

const FRAME_BYTES = 320;

const framed = defineCarrier({
  name: 'framed',
  options: z.strictObject({}),
  params: z.strictObject({ sampleRate: pipelineSampleRateParam, autoHangUp: noAutoHangUpParam('none') }),
  wireFormat: () => ({ encoding: 'l16', sampleRate: 8000 }),
  detect: () => undefined,
  inbound: { events: new Set<string>(), schema: z.never(), toFrames: () => undefined },
  outbound: () => ({ media: (bytes) => bytes, checkpoint: (name) => `mark ${name}` }),
  framer: () => {
    const queue = createByteQueue(FRAME_BYTES * 4);
    return {
      push(bytes) {
        queue.push(bytes);
        const frames: Uint8Array[] = [];
        while (queue.length >= FRAME_BYTES) frames.push(queue.take(FRAME_BYTES));
        return frames;
      },
      flush() {
        if (queue.length === 0) return [];
        const frame = new Uint8Array(FRAME_BYTES);
        frame.set(queue.take(queue.length));
        return [frame];
      },
      clear: () => queue.clear(),
    };
  },
});

function quietLogger(): Logger {
  return { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
}

function open() {
  const container = createCallwireContainer({ logger: quietLogger() });
  registerCarrier(container, framed, {});
  const serializer = createWireSerializer(container, 'framed', {
    streamId: 's',
    params: { autoHangUp: false },
  });
  serializer.setup(startFrame({ audioInSampleRate: 16000 }));
  return serializer;
}

/** A 16 kHz sine of `length` samples. */
const tone = (length: number) =>
  Int16Array.from({ length }, (_, index) => Math.round(9000 * Math.sin((2 * Math.PI * 880 * index) / 16000)));

/** The stream `pcm` makes sent in `slice`-sample frames, with a checkpoint after each when `marks`. */
function stream(pcm: Int16Array, slice: number, marks: boolean): WireMessage[] {
  const serializer = open();
  const out: WireMessage[] = [];
  for (let at = 0; at < pcm.length; at += slice) {
    out.push(...serializer.serialize(outputAudioFrame(pcm.subarray(at, at + slice), 16000)));
    if (marks) out.push(...serializer.serialize(checkpointFrame(`m${at}`)));
  }
  return out;
}

const audioOf = (messages: readonly WireMessage[]) =>
  Buffer.concat(messages.filter((message): message is Uint8Array => typeof message !== 'string'));

describe('a checkpoint on a carrier with a framer', () => {
  it('leaves the stream unbroken when the framer holds nothing (every slice whole frames)', () => {
    // 100 ms slices at 16 kHz are 5 whole frames at 8 kHz: marks must not restart the resampler.
    const pcm = tone(16000);
    const marked = stream(pcm, 1600, true);
    expect(audioOf(marked)).toEqual(audioOf(stream(pcm, 1600, false)));
    expect(marked.filter((message) => typeof message === 'string')).toHaveLength(10);
  });

  it('sends what the framer holds, padded to a frame, before the mark', () => {
    // 1000 samples at 16 kHz are 500 at 8 kHz: one whole frame (160 samples) goes at once, the rest waits.
    const serializer = open();
    expect(serializer.serialize(outputAudioFrame(tone(1000), 16000)).map(byteLength)).toEqual([
      320, 320, 320,
    ]);
    const marked = serializer.serialize(checkpointFrame('after'));
    expect(marked.at(-1)).toBe('mark after');
    const held = marked.slice(0, -1);
    expect(held.map(byteLength)).toEqual([FRAME_BYTES]);
    // 500 - 3 * 160 = 20 samples were held (and what the resampler still owed): the rest is padding.
    const samples = new Int16Array(Uint8Array.from(audioOf(held)).buffer);
    expect(samples.subarray(0, 20).some((sample) => sample !== 0)).toBe(true);
    expect(samples.subarray(40).every((sample) => sample === 0)).toBe(true);
  });
});

function byteLength(message: WireMessage): number {
  return typeof message === 'string' ? -1 : message.byteLength;
}

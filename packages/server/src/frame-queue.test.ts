import { type Frame, inputAudioFrame, inputDtmfFrame } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { createFrameQueue, type FrameDropKind } from './frame-queue.js';

const audio = (value: number) => inputAudioFrame(Int16Array.of(value), 16000);

async function drain(frames: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

describe('createFrameQueue', () => {
  it('delivers frames in order and ends with an end frame', async () => {
    const queue = createFrameQueue(4, () => {});
    queue.push(audio(1));
    queue.push(inputDtmfFrame('5'));
    queue.end();
    queue.push(audio(2));
    expect(await drain(queue.frames)).toEqual([audio(1), inputDtmfFrame('5'), { type: 'end' }]);
  });

  it('wakes a waiting reader', async () => {
    const queue = createFrameQueue(4, () => {});
    const read = drain(queue.frames);
    queue.push(audio(3));
    queue.end();
    expect(await read).toEqual([audio(3), { type: 'end' }]);
  });

  it('when full, drops the oldest audio first and keeps control frames', async () => {
    const drops: FrameDropKind[] = [];
    const queue = createFrameQueue(3, (kind) => drops.push(kind));
    queue.push(audio(1));
    queue.push(inputDtmfFrame('1'));
    queue.push(audio(2));
    queue.push(inputDtmfFrame('2'));
    queue.push(audio(3));
    expect(queue.size).toBe(3);
    queue.push(inputDtmfFrame('3'));
    queue.push(inputDtmfFrame('4'));
    queue.end();
    expect(await drain(queue.frames)).toEqual([
      inputDtmfFrame('1'),
      inputDtmfFrame('2'),
      inputDtmfFrame('3'),
      { type: 'end' },
    ]);
    expect(drops).toEqual(['oldest-audio', 'oldest-audio', 'oldest-audio', 'incoming']);
  });

  it('resumes where it left off after a break', async () => {
    const queue = createFrameQueue(8, () => {});
    for (const value of [1, 2, 3]) queue.push(audio(value));
    queue.end();
    for await (const frame of queue.frames) {
      expect(frame).toEqual(audio(1));
      break;
    }
    expect(await drain(queue.frames)).toEqual([audio(2), audio(3), { type: 'end' }]);
  });
});

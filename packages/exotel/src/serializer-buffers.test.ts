import { createStreamResampler, l16LeToPcm, pcmToL16Le } from '@callwire/codec';
import {
  createCallwireContainer,
  createWireSerializer,
  endFrame,
  type Frame,
  outputAudioFrame,
  registerCarrier,
  startFrame,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { exotel } from './carrier.js';

// The serializer decodes and encodes through buffers it reuses from frame to frame, and builds
// outbound media around the payload: these tests pin that neither shows.

const STREAM_SID = 'a3f1b2c4d5e6f7a8b9c0d1e2f3a4b5c6';

function newCall(pipelineRate: number) {
  const container = createCallwireContainer({ logger: recordingLogger() });
  registerCarrier(container, exotel, {});
  const serializer = createWireSerializer(container, 'exotel', { streamId: STREAM_SID, params: {} });
  serializer.setup(startFrame({ audioInSampleRate: pipelineRate }));
  return serializer;
}

const ramp = (samples: number, start: number): Int16Array =>
  Int16Array.from({ length: samples }, (_, i) => (((start + i) * 97) % 20000) - 10000);

function audioOf([frame, ...more]: Frame[]): Int16Array {
  expect(more).toEqual([]);
  if (frame?.type !== 'input-audio') throw new Error(`expected input-audio, got ${frame?.type}`);
  return frame.audio;
}

function concat(chunks: readonly Int16Array[]): Int16Array {
  const all = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

describe('exotel serializer buffers', () => {
  it.each([8000, 16000])(
    'at %i Hz a frame keeps its audio after later frames, of other sizes too',
    (rate) => {
      const serializer = newCall(rate);
      const frames: Int16Array[] = [];
      const copies: Int16Array[] = [];
      for (const [index, ms] of [20, 20, 60, 10, 20].entries()) {
        const payload = Buffer.from(pcmToL16Le(ramp(8 * ms, index * 1000))).toString('base64');
        const message = JSON.stringify({ event: 'media', stream_sid: STREAM_SID, media: { payload } });
        const audio = audioOf(serializer.deserialize(message));
        frames.push(audio);
        copies.push(audio.slice());
      }
      expect(frames).toEqual(copies);
      if (rate === 8000) expect(frames[2]).toEqual(ramp(480, 2000));
    },
  );

  it.each([8000, 16000])(
    'at %i Hz outbound media carries the resampler output, in the documented media shape',
    (rate) => {
      const serializer = newCall(rate);
      const reference = rate === 8000 ? undefined : createStreamResampler(rate, 8000);
      const messages: string[] = [];
      const expected: Int16Array[] = [];
      for (const ms of [20, 60, 20, 10, 40, 100, 200, 20]) {
        const pcm = ramp((rate / 1000) * ms, ms);
        const sent = pcm.slice();
        messages.push(...(serializer.serialize(outputAudioFrame(pcm, rate)) as string[]));
        expected.push(reference ? reference.process(pcm) : pcm.slice());
        expect(pcm).toEqual(sent);
      }
      messages.push(...(serializer.serialize(endFrame()) as string[]));
      if (reference) expected.push(reference.flush());
      const payloads = messages.map(
        (message) => (JSON.parse(message) as { media: { payload: string } }).media.payload,
      );
      expect(messages).toEqual(
        payloads.map((payload) =>
          JSON.stringify({ event: 'media', stream_sid: STREAM_SID, media: { payload } }),
        ),
      );
      const received = concat(payloads.map((payload) => l16LeToPcm(Buffer.from(payload, 'base64'))));
      const audio = concat(expected);
      // The last chunk is zero-padded up to Exotel's 320-byte grid.
      expect(received.subarray(0, audio.length)).toEqual(audio);
      expect(received.subarray(audio.length).every((sample) => sample === 0)).toBe(true);
      expect(received.length - audio.length).toBeLessThan(160);
    },
  );
});

import { createStreamResampler, mulawDecode, mulawEncode } from '@callwire/codec';
import {
  createCallwireContainer,
  createSerializer,
  type Frame,
  type FrameSerializer,
  outputAudioFrame,
  registerCarrier,
  startFrame,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { twilio } from './carrier.js';

// The serializer decodes and encodes through buffers it reuses from frame to frame, and builds
// outbound media around the payload: these tests pin that neither shows.

const STREAM_SID = 'MZ00000000000000000000000000000000';

async function newCall(pipelineRate: number): Promise<FrameSerializer> {
  const container = createCallwireContainer({ logger: recordingLogger() });
  registerCarrier(container, twilio, {});
  const serializer = createSerializer(container, 'twilio', {
    streamId: STREAM_SID,
    params: { autoHangUp: false },
  });
  await serializer.setup(startFrame({ audioInSampleRate: pipelineRate }));
  return serializer;
}

const ramp = (samples: number, start: number): Int16Array =>
  Int16Array.from({ length: samples }, (_, i) => (((start + i) * 97) % 20000) - 10000);

const mediaMessage = (pcm: Int16Array): string =>
  JSON.stringify({
    event: 'media',
    streamSid: STREAM_SID,
    media: { track: 'inbound', payload: Buffer.from(mulawEncode(pcm)).toString('base64') },
  });

function audioOf(result: Frame | Frame[] | undefined): Int16Array {
  // One media message gives one frame: the Pipecat-shaped serializer returns it alone, not in an array.
  const frame = Array.isArray(result) ? undefined : result;
  if (frame?.type !== 'input-audio') throw new Error(`expected input-audio, got ${frame?.type}`);
  return frame.audio;
}

describe('TwilioFrameSerializer buffers', () => {
  it.each([8000, 16000])(
    'at %i Hz a frame keeps its audio after later frames, of other sizes too',
    async (rate) => {
      const serializer = await newCall(rate);
      const frames: Int16Array[] = [];
      const copies: Int16Array[] = [];
      for (const [index, ms] of [20, 20, 60, 10, 20].entries()) {
        const audio = audioOf(await serializer.deserialize(mediaMessage(ramp(8 * ms, index * 1000))));
        frames.push(audio);
        copies.push(audio.slice());
      }
      expect(frames).toEqual(copies);
      if (rate === 8000) expect(frames[2]).toEqual(mulawDecode(mulawEncode(ramp(480, 2000))));
    },
  );

  it.each([8000, 16000])(
    'at %i Hz outbound media is the encoded resampler output, as JSON.stringify would write it',
    async (rate) => {
      const serializer = await newCall(rate);
      const reference = rate === 8000 ? undefined : createStreamResampler(rate, 8000, { attenuationDb: 80 });
      for (const ms of [20, 60, 20, 10, 40]) {
        const pcm = ramp((rate / 1000) * ms, ms);
        const sent = pcm.slice();
        const message = await serializer.serialize(outputAudioFrame(pcm, rate));
        const expected = reference ? reference.process(pcm) : pcm;
        const payload = Buffer.from(mulawEncode(expected)).toString('base64');
        expect(message).toBe(JSON.stringify({ event: 'media', streamSid: STREAM_SID, media: { payload } }));
        expect(pcm).toEqual(sent);
      }
    },
  );
});

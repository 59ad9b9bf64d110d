import { alawDecode, alawEncode, createStreamResampler, mulawDecode, mulawEncode } from '@callwire/codec';
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
import { telnyx } from './carrier.js';

// The serializer decodes and encodes through buffers it reuses from frame to frame, and builds
// outbound media around the payload: these tests pin that neither shows.

const STREAM_ID = '32de0dea-53cb-4b21-89a4-9b9b3b1a4b1d';
const CODINGS = {
  PCMU: { encode: mulawEncode, decode: mulawDecode },
  PCMA: { encode: alawEncode, decode: alawDecode },
} as const;
const CASES = [
  ['PCMU', 8000],
  ['PCMU', 16000],
  ['PCMA', 8000],
  ['PCMA', 16000],
] as const;

async function newCall(encoding: keyof typeof CODINGS, pipelineRate: number): Promise<FrameSerializer> {
  const container = createCallwireContainer({ logger: recordingLogger() });
  registerCarrier(container, telnyx, { apiKey: 'KEY0123456789' });
  const serializer = createSerializer(container, 'telnyx', {
    streamId: STREAM_ID,
    params: { autoHangUp: false, inboundEncoding: encoding },
  });
  await serializer.setup(startFrame({ audioInSampleRate: pipelineRate }));
  return serializer;
}

const ramp = (samples: number, start: number): Int16Array =>
  Int16Array.from({ length: samples }, (_, i) => (((start + i) * 97) % 20000) - 10000);

function audioOf(result: Frame | Frame[] | undefined): Int16Array {
  // One media message gives one frame: the Pipecat-shaped serializer returns it alone, not in an array.
  const frame = Array.isArray(result) ? undefined : result;
  if (frame?.type !== 'input-audio') throw new Error(`expected input-audio, got ${frame?.type}`);
  return frame.audio;
}

describe('TelnyxFrameSerializer buffers', () => {
  it.each(CASES)(
    '%s at %i Hz: a frame keeps its audio after later frames, of other sizes too',
    async (encoding, rate) => {
      const serializer = await newCall(encoding, rate);
      const { encode, decode } = CODINGS[encoding];
      const frames: Int16Array[] = [];
      const copies: Int16Array[] = [];
      for (const [index, ms] of [20, 20, 60, 10, 20].entries()) {
        const payload = Buffer.from(encode(ramp(8 * ms, index * 1000))).toString('base64');
        const message = JSON.stringify({
          event: 'media',
          stream_id: STREAM_ID,
          media: { track: 'inbound', payload },
        });
        const audio = audioOf(await serializer.deserialize(message));
        frames.push(audio);
        copies.push(audio.slice());
      }
      expect(frames).toEqual(copies);
      if (rate === 8000) expect(frames[2]).toEqual(decode(encode(ramp(480, 2000))));
    },
  );

  it.each(CASES)(
    '%s at %i Hz: outbound media is the encoded resampler output, as JSON.stringify would write it',
    async (encoding, rate) => {
      const serializer = await newCall(encoding, rate);
      const reference = rate === 8000 ? undefined : createStreamResampler(rate, 8000, { attenuationDb: 80 });
      for (const ms of [20, 60, 20, 10, 40]) {
        const pcm = ramp((rate / 1000) * ms, ms);
        const sent = pcm.slice();
        const message = await serializer.serialize(outputAudioFrame(pcm, rate));
        const expected = reference ? reference.process(pcm) : pcm;
        const payload = Buffer.from(CODINGS[encoding].encode(expected)).toString('base64');
        expect(message).toBe(JSON.stringify({ event: 'media', media: { payload } }));
        expect(pcm).toEqual(sent);
      }
    },
  );
});

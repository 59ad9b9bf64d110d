import { createStreamResampler, mulawDecode, mulawEncode, pcmToL16Le } from '@callwire/codec';
import {
  createCallwireContainer,
  createSerializer,
  type Frame,
  outputAudioFrame,
  registerCarrier,
  startFrame,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { plivo } from './carrier.js';
import type { PlivoCallParams } from './options.js';

// The serializer decodes and encodes through buffers it reuses from frame to frame, and checks
// base64 while decoding instead of in the schema: these tests pin that neither shows.

const STREAM_ID = '87654321-4321-4321-4321-cba987654321';

async function newCall(params: PlivoCallParams, pipelineRate: number) {
  const logger = recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, plivo, {
    authId: 'MAXXXXXXXXXXXXXXXXXX',
    authToken: 'plivo-test-token-0123456789abcdef',
  });
  const serializer = createSerializer(container, 'plivo', {
    streamId: STREAM_ID,
    callId: '12345678-1234-1234-1234-123456789abc',
    params,
  });
  await serializer.setup(startFrame({ audioInSampleRate: pipelineRate }));
  return { serializer, logger };
}

const mediaMessage = (payload: string) =>
  JSON.stringify({ event: 'media', streamId: STREAM_ID, media: { track: 'inbound', payload } });

function ramp(samples: number, start: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => (((start + i) * 97) % 20000) - 10000);
}

function audioOf(result: Frame | Frame[] | undefined): Int16Array {
  // One media message gives one frame: the Pipecat-shaped serializer returns it alone, not in an array.
  const frame = Array.isArray(result) ? undefined : result;
  if (frame?.type !== 'input-audio') throw new Error(`expected input-audio, got ${frame?.type}`);
  return frame.audio;
}

describe('PlivoFrameSerializer buffers and base64', () => {
  it.each([
    ['mu-law at the wire rate (no resampling)', {}, 8000],
    ['mu-law resampled to 16 kHz', {}, 16000],
    ['L16 at the wire rate', { contentType: 'audio/x-l16', plivoSampleRate: 16000 }, 16000],
    ['L16 resampled to 8 kHz', { contentType: 'audio/x-l16', plivoSampleRate: 16000 }, 8000],
  ] as const)(
    '%s: a frame keeps its audio after later frames, of other sizes too',
    async (_, params, rate) => {
      const { serializer } = await newCall(params, rate);
      const l16 = 'contentType' in params && params.contentType === 'audio/x-l16';
      const wireRate = l16 ? 16000 : 8000;
      const frames: Int16Array[] = [];
      const copies: Int16Array[] = [];
      for (const [index, ms] of [20, 20, 60, 10, 20].entries()) {
        const pcm = ramp((wireRate / 1000) * ms, index * 1000);
        const bytes = l16 ? pcmToL16Le(pcm) : mulawEncode(pcm);
        const audio = audioOf(
          await serializer.deserialize(mediaMessage(Buffer.from(bytes).toString('base64'))),
        );
        frames.push(audio);
        copies.push(audio.slice());
      }
      expect(frames).toEqual(copies);
      if (rate === wireRate && !l16) {
        // No resampling: exactly the G.711 decode of what was sent.
        expect(frames[2]).toEqual(mulawDecode(mulawEncode(ramp(480, 2000))));
      }
    },
  );

  it.each([
    ['unpadded', 'AAA'],
    ['URL-safe', '-_-_'],
    ['with whitespace', 'QUJD\nREVG'],
    ['with a space, length a multiple of 4', 'QUJ REVG'],
    ['padding in the middle', 'AAAA====AAAA'],
    ['not base64', '!!!not base64!!!'],
  ])('drops a %s payload with one warning, then decodes valid media', async (_, payload) => {
    const { serializer, logger } = await newCall({}, 8000);
    for (let i = 0; i < 3; i++) expect(await serializer.deserialize(mediaMessage(payload))).toBeUndefined();
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toMatch(/not standard padded base64/);
    const pcm = ramp(160, 0);
    const audio = audioOf(
      await serializer.deserialize(mediaMessage(Buffer.from(mulawEncode(pcm)).toString('base64'))),
    );
    expect(audio).toEqual(mulawDecode(mulawEncode(pcm)));
  });

  it.each([
    ['mu-law', {}, 80],
    ['L16', { contentType: 'audio/x-l16' }, 100],
  ] as const)(
    '%s: playAudio carries the resampler output at its attenuation, encoded, for every frame size',
    async (_, params, db) => {
      const { serializer } = await newCall(params, 16000);
      const reference = createStreamResampler(16000, 8000, { attenuationDb: db });
      for (const ms of [20, 60, 20, 10, 40]) {
        const pcm = ramp(16 * ms, ms);
        const message = await serializer.serialize(outputAudioFrame(pcm, 16000));
        const payload = (JSON.parse(message as string) as { media: { payload: string } }).media.payload;
        const expected = reference.process(pcm);
        const l16 = 'contentType' in params && params.contentType === 'audio/x-l16';
        const bytes = l16 ? pcmToL16Le(expected) : mulawEncode(expected);
        expect(payload).toBe(Buffer.from(bytes).toString('base64'));
      }
    },
  );
});

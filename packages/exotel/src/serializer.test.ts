import {
  CallwireError,
  checkpointFrame,
  createCallwireContainer,
  createSerializer,
  endFrame,
  type FrameSerializer,
  interruptionFrame,
  type Logger,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  resolveCallControl,
  serializeAll,
  startFrame,
  transportMessageFrame,
  type WireMessage,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { ExotelOutboundEventSchema } from './events.js';
import { detectExotel, exotel } from './plugin.js';
import type { ExotelFrameSerializer } from './serializer.js';

const STREAM = 'MZ0123456789abcdef0123456789abcd';
const CALL = 'CA0123456789abcdef0123456789abcd';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => {},
    info: () => {},
    warn: (fields, message) => warnings.push(String(message ?? fields)),
    error: () => {},
  };
}

async function makeSerializer(
  params: Record<string, unknown> = {},
  options: { minChunkBytes?: number } = {},
  logger: Logger = recordingLogger(),
): Promise<ExotelFrameSerializer> {
  const container = createCallwireContainer({ logger });
  registerCarrier(container, exotel, options);
  const serializer = createSerializer(container, 'exotel', { streamId: STREAM, callId: CALL, params });
  await serializer.setup(startFrame({ audioInSampleRate: 8000 }));
  return serializer as ExotelFrameSerializer;
}

function ramp(length: number, start = 0): Int16Array {
  return Int16Array.from({ length }, (_, index) => ((start + index) * 37) % 30000);
}

function le(pcm: Int16Array): string {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
}

function mediaEvent(pcm: Int16Array): string {
  return JSON.stringify({
    event: 'media',
    sequence_number: '3',
    stream_sid: STREAM,
    media: { chunk: '2', timestamp: '200', payload: le(pcm) },
  });
}

function outbound(message: WireMessage | undefined) {
  expect(typeof message).toBe('string');
  return ExotelOutboundEventSchema.parse(JSON.parse(message as string));
}

function payloadBytes(message: WireMessage): Uint8Array {
  const parsed = outbound(message);
  if (parsed.event !== 'media') throw new Error(`expected media, got ${parsed.event}`);
  return new Uint8Array(Buffer.from(parsed.media.payload, 'base64'));
}

describe('ExotelFrameSerializer inbound', () => {
  it('decodes base64 little-endian PCM to input-audio at the wire rate', async () => {
    const serializer = await makeSerializer();
    const pcm = ramp(800);
    const frame = await serializer.deserialize(mediaEvent(pcm));
    expect(frame).toEqual({ type: 'input-audio', audio: pcm, sampleRate: 8000, numChannels: 1 });
  });

  it('resamples 16 kHz wire audio to an 8 kHz pipeline', async () => {
    const serializer = await makeSerializer({ exotelSampleRate: 16000, sampleRate: 8000 });
    const frame = await serializer.deserialize(mediaEvent(ramp(3200)));
    expect(frame?.type).toBe('input-audio');
    if (frame?.type !== 'input-audio') return;
    expect(frame.sampleRate).toBe(8000);
    expect(Math.abs(frame.audio.length - 1600)).toBeLessThan(40);
  });

  it('adopts the sample rate that start announces', async () => {
    const serializer = await makeSerializer({ sampleRate: 24000 });
    await serializer.deserialize(
      JSON.stringify({
        event: 'start',
        stream_sid: STREAM,
        start: {
          stream_sid: STREAM,
          call_sid: CALL,
          media_format: { encoding: 'audio/x-raw', sample_rate: '24000' },
        },
      }),
    );
    const frame = await serializer.deserialize(mediaEvent(ramp(480)));
    expect(frame?.type === 'input-audio' && frame.audio).toEqual(ramp(480));
  });

  it('turns dtmf into input-dtmf and mark into checkpoint-reached', async () => {
    const serializer = await makeSerializer();
    expect(
      await serializer.deserialize(
        JSON.stringify({
          event: 'dtmf',
          sequence_number: '7',
          stream_sid: STREAM,
          dtmf: { digit: '5', duration: '100' },
        }),
      ),
    ).toEqual({ type: 'input-dtmf', digit: '5' });
    expect(
      await serializer.deserialize(
        JSON.stringify({ event: 'mark', stream_sid: STREAM, mark: { name: 'turn-3' } }),
      ),
    ).toEqual({ type: 'checkpoint-reached', name: 'turn-3' });
  });

  it('emits nothing for connected, start and stop', async () => {
    const serializer = await makeSerializer();
    expect(await serializer.deserialize('{"event":"connected"}')).toBeUndefined();
    expect(
      await serializer.deserialize(
        JSON.stringify({ event: 'stop', stream_sid: STREAM, stop: { call_sid: CALL, reason: 'callended' } }),
      ),
    ).toBeUndefined();
  });

  it('decodes media naming another stream (one socket, one stream), and drops media before setup', async () => {
    const serializer = await makeSerializer();
    const foreign = JSON.stringify({
      event: 'media',
      stream_sid: 'MZother',
      media: { payload: le(ramp(160)) },
    });
    const frame = await serializer.deserialize(foreign);
    expect(frame?.type === 'input-audio' && frame.audio).toEqual(ramp(160));
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, exotel, {});
    const early = createSerializer(container, 'exotel', { streamId: STREAM });
    expect(await early.deserialize(mediaEvent(ramp(160)))).toBeUndefined();
  });

  it('reads text that arrives as UTF-8 bytes', async () => {
    const serializer = await makeSerializer();
    const frame = await serializer.deserialize(
      new TextEncoder().encode('{"event":"dtmf","dtmf":{"digit":"#"}}'),
    );
    expect(frame).toEqual({ type: 'input-dtmf', digit: '#' });
  });

  it('ignores malformed input with one warning per kind and never throws', async () => {
    const logger = recordingLogger();
    const serializer = await makeSerializer({}, {}, logger);
    const hostile: WireMessage[] = [
      'not json',
      'not json either',
      'null',
      '[]',
      '{"event":"media"}',
      '{"event":"media","media":{"payload":""}}',
      '{"event":"media","media":{"payload":"AQ=="}}',
      '{"event":"dtmf","dtmf":{"digit":"X"}}',
      '{"event":"mark","mark":{}}',
      '{"event":"surprise"}',
      new Uint8Array([0xff, 0xfe, 0x00]),
    ];
    for (const message of hostile) expect(await serializer.deserialize(message)).toBeUndefined();
    expect(logger.warnings.filter((line) => line.includes('not JSON'))).toHaveLength(1);
    expect(logger.warnings.length).toBeGreaterThanOrEqual(6);
  });
});

describe('ExotelFrameSerializer outbound', () => {
  it('holds audio back until a 3.2 KB chunk is ready', async () => {
    const serializer = await makeSerializer();
    // 20 ms at 8 kHz is 320 bytes: nine frames stay buffered, the tenth completes 3200 bytes.
    for (let i = 0; i < 9; i++) {
      expect(await serializer.serialize(outputAudioFrame(ramp(160, i * 160), 8000))).toBeUndefined();
    }
    const message = await serializer.serialize(outputAudioFrame(ramp(160, 1440), 8000));
    expect(outbound(message)).toMatchObject({ event: 'media', stream_sid: STREAM });
    expect(payloadBytes(message!)).toEqual(new Uint8Array(Buffer.from(le(ramp(1600)), 'base64')));
  });

  it('sends only chunks on the 320-byte grid within 3.2 KB..99 840 bytes', async () => {
    const serializer = await makeSerializer();
    const sizes: number[] = [];
    for (const samples of [1, 77, 1601, 50_000, 333, 160]) {
      for (const message of await serializeAll(serializer, outputAudioFrame(ramp(samples), 8000))) {
        sizes.push(payloadBytes(message).length);
      }
    }
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) {
      expect(size % 320).toBe(0);
      expect(size).toBeGreaterThanOrEqual(3200);
      expect(size).toBeLessThanOrEqual(99_840);
    }
  });

  it('flushes the rest, padded to the 320-byte grid, on end', async () => {
    const serializer = await makeSerializer();
    expect(await serializer.serialize(outputAudioFrame(ramp(500), 8000))).toBeUndefined();
    const bytes = payloadBytes((await serializer.serialize(endFrame()))!);
    expect(bytes.length).toBe(1280);
    expect(bytes.subarray(0, 1000)).toEqual(new Uint8Array(Buffer.from(le(ramp(500)), 'base64')));
    expect(bytes.subarray(1000).every((byte) => byte === 0)).toBe(true);
  });

  it('drops held-back audio on interruption and sends clear', async () => {
    const serializer = await makeSerializer();
    await serializer.serialize(outputAudioFrame(ramp(500), 8000));
    expect(outbound(await serializer.serialize(interruptionFrame()))).toEqual({
      event: 'clear',
      stream_sid: STREAM,
    });
    expect(await serializer.serialize(endFrame())).toBeUndefined();
  });

  it('sends held-back audio before the mark of a checkpoint', async () => {
    const serializer = await makeSerializer();
    await serializer.serialize(outputAudioFrame(ramp(500), 8000));
    const messages = await serializeAll(serializer, checkpointFrame('greeting'));
    expect(messages.map((message) => outbound(message).event)).toEqual(['media', 'mark']);
    expect(outbound(messages[1])).toEqual({ event: 'mark', stream_sid: STREAM, mark: { name: 'greeting' } });
  });

  it('keeps the mark for the next serialize call when one message is not enough', async () => {
    const serializer = await makeSerializer();
    await serializer.serialize(outputAudioFrame(ramp(500), 8000));
    expect(outbound(await serializer.serialize(checkpointFrame('greeting'))).event).toBe('media');
    expect(outbound(await serializer.serialize(endFrame()))).toMatchObject({ event: 'mark' });
    expect(await serializer.serialize(endFrame())).toBeUndefined();
  });

  it('resamples 16 kHz pipeline audio down to the 8 kHz wire', async () => {
    const serializer = await makeSerializer();
    const messages = await serializeAll(serializer, outputAudioFrame(ramp(3200), 16000));
    const tail = await serializeAll(serializer, endFrame());
    const total = [...messages, ...tail].reduce((sum, message) => sum + payloadBytes(message).length, 0);
    expect(total).toBeGreaterThanOrEqual(3200);
    expect(total).toBeLessThan(3200 + 320);
  });

  it('chunks 24 kHz wire audio on the same 320-byte grid', async () => {
    const serializer = await makeSerializer({ exotelSampleRate: 24000, sampleRate: 24000 });
    // 20 ms at 24 kHz is 960 bytes: the fourth frame passes 3200 bytes and 3840 go out.
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (const message of await serializeAll(serializer, outputAudioFrame(ramp(480, i * 480), 24000))) {
        sizes.push(payloadBytes(message).length);
      }
    }
    expect(sizes).toEqual([3840]);
  });

  it('passes transport messages through as JSON and drops output-dtmf', async () => {
    const serializer = await makeSerializer();
    expect(await serializer.serialize(transportMessageFrame({ event: 'custom', n: 1 }))).toBe(
      '{"event":"custom","n":1}',
    );
    expect(await serializer.serialize(outputDtmfFrame('12'))).toBeUndefined();
  });
});

describe('exotel plugin', () => {
  it('refuses autoHangUp: true with a CONFIG error that says why', async () => {
    const error = await makeSerializer({ autoHangUp: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallwireError);
    expect((error as CallwireError).code).toBe('CONFIG');
    expect((error as CallwireError).message).toContain('autoHangUp');
  });

  it('names bad options and per-call params', () => {
    const container = createCallwireContainer();
    expect(() => registerCarrier(container, exotel, { minChunkBytes: 3000 })).toThrow(/minChunkBytes/);
    registerCarrier(container, exotel, {});
    expect(() =>
      createSerializer(container, 'exotel', { streamId: STREAM, params: { exotelSampleRate: 44100 } }),
    ).toThrow(/exotelSampleRate/);
  });

  it('registers a CallControl that says hang-up is unsupported without any request', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, exotel, {});
    const result = await resolveCallControl(container, 'exotel').hangUp(CALL);
    expect(result.outcome).toBe('failed');
  });

  it('detects connected as need-more and start as a call with its rate', () => {
    expect(detectExotel({ event: 'connected' })).toBe('need-more');
    expect(detectExotel('{"event":"connected"}')).toBe('need-more');
    expect(
      detectExotel({
        event: 'start',
        sequence_number: '1',
        stream_sid: STREAM,
        start: {
          stream_sid: STREAM,
          call_sid: CALL,
          account_sid: 'exotel-acct',
          custom_parameters: { lang: 'hi' },
          media_format: { encoding: 'audio/x-raw', sample_rate: '16000', bit_rate: '16' },
        },
      }),
    ).toEqual({
      streamId: STREAM,
      callId: CALL,
      params: { exotelSampleRate: 16000, accountSid: 'exotel-acct', customParameters: { lang: 'hi' } },
    });
    // Twilio's start is camelCase: not Exotel's.
    expect(
      detectExotel({ event: 'start', streamSid: 'MZ1', start: { streamSid: 'MZ1', callSid: 'CA1' } }),
    ).toBeUndefined();
    for (const junk of [null, 1, 'start', [], { event: 'start' }, { event: 'start', start: 5 }]) {
      expect(detectExotel(junk)).toBeUndefined();
    }
  });

  it('detects calls that createSerializer accepts', async () => {
    const detected = detectExotel({
      event: 'start',
      start: { stream_sid: STREAM, call_sid: CALL, media_format: { sample_rate: '8000' } },
    });
    if (detected === undefined || detected === 'need-more') throw new Error('not detected');
    const container = createCallwireContainer();
    registerCarrier(container, exotel, {});
    const serializer: FrameSerializer = createSerializer(container, 'exotel', detected);
    expect(serializer.carrier).toBe('exotel');
  });

  it('answers the applet https URL with the stream URL as JSON', async () => {
    const reply = await exotel.answer?.(
      {
        method: 'GET',
        url: 'https://x/answer',
        headers: {},
        body: '',
        streamUrl: 'wss://x/ws?sample-rate=16000',
      },
      createCallwireContainer(),
    );
    expect(JSON.parse(reply?.body ?? '{}')).toEqual({ url: 'wss://x/ws?sample-rate=16000' });
  });
});

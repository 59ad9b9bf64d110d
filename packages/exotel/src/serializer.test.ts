import {
  CallwireError,
  checkpointFrame,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  endFrame,
  type FrameSerializer,
  interruptionFrame,
  type Logger,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  resolveCallControl,
  startFrame,
  transportMessageFrame,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { detectExotelCall, exotel } from './carrier.js';
import { ExotelOutboundEventSchema } from './events.js';

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

function makeSerializer(
  params: Record<string, unknown> = {},
  options: { minChunkBytes?: number } = {},
  logger: Logger = recordingLogger(),
): WireSerializer {
  const container = createCallwireContainer({ logger });
  registerCarrier(container, exotel, options);
  const serializer = createWireSerializer(container, 'exotel', { streamId: STREAM, callId: CALL, params });
  serializer.setup(startFrame({ audioInSampleRate: 8000 }));
  return serializer;
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

describe('exotel serializer inbound', () => {
  it('decodes base64 little-endian PCM to input-audio at the wire rate', () => {
    const serializer = makeSerializer();
    const pcm = ramp(800);
    expect(serializer.deserialize(mediaEvent(pcm))).toEqual([
      { type: 'input-audio', audio: pcm, sampleRate: 8000, numChannels: 1 },
    ]);
  });

  it('resamples 16 kHz wire audio to an 8 kHz pipeline', () => {
    const serializer = makeSerializer({ exotelSampleRate: 16000, sampleRate: 8000 });
    const [frame, ...more] = serializer.deserialize(mediaEvent(ramp(3200)));
    expect(more).toEqual([]);
    expect(frame?.type).toBe('input-audio');
    if (frame?.type !== 'input-audio') return;
    expect(frame.sampleRate).toBe(8000);
    expect(Math.abs(frame.audio.length - 1600)).toBeLessThan(40);
  });

  it('adopts the sample rate that start announces', () => {
    const serializer = makeSerializer({ sampleRate: 24000 });
    expect(
      serializer.deserialize(
        JSON.stringify({
          event: 'start',
          stream_sid: STREAM,
          start: {
            stream_sid: STREAM,
            call_sid: CALL,
            media_format: { encoding: 'audio/x-raw', sample_rate: '24000' },
          },
        }),
      ),
    ).toEqual([]);
    const [frame] = serializer.deserialize(mediaEvent(ramp(480)));
    expect(frame?.type === 'input-audio' && frame.audio).toEqual(ramp(480));
  });

  it('turns dtmf into input-dtmf and mark into checkpoint-reached', () => {
    const serializer = makeSerializer();
    expect(
      serializer.deserialize(
        JSON.stringify({
          event: 'dtmf',
          sequence_number: '7',
          stream_sid: STREAM,
          dtmf: { digit: '5', duration: '100' },
        }),
      ),
    ).toEqual([{ type: 'input-dtmf', digit: '5' }]);
    expect(
      serializer.deserialize(JSON.stringify({ event: 'mark', stream_sid: STREAM, mark: { name: 'turn-3' } })),
    ).toEqual([{ type: 'checkpoint-reached', name: 'turn-3' }]);
  });

  it('emits nothing for connected, start and stop', () => {
    const serializer = makeSerializer();
    expect(serializer.deserialize('{"event":"connected"}')).toEqual([]);
    expect(
      serializer.deserialize(
        JSON.stringify({ event: 'stop', stream_sid: STREAM, stop: { call_sid: CALL, reason: 'callended' } }),
      ),
    ).toEqual([]);
  });

  it('decodes media naming another stream (one socket, one stream), and drops media before setup', () => {
    const serializer = makeSerializer();
    const foreign = JSON.stringify({
      event: 'media',
      stream_sid: 'MZother',
      media: { payload: le(ramp(160)) },
    });
    const [frame] = serializer.deserialize(foreign);
    expect(frame?.type === 'input-audio' && frame.audio).toEqual(ramp(160));
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, exotel, {});
    const early = createWireSerializer(container, 'exotel', { streamId: STREAM });
    expect(early.deserialize(mediaEvent(ramp(160)))).toEqual([]);
  });

  it('reads text that arrives as UTF-8 bytes', () => {
    const serializer = makeSerializer();
    expect(serializer.deserialize(new TextEncoder().encode('{"event":"dtmf","dtmf":{"digit":"#"}}'))).toEqual(
      [{ type: 'input-dtmf', digit: '#' }],
    );
  });

  it('ignores malformed input with one warning per kind and never throws', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, {}, logger);
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
    for (const message of hostile) expect(serializer.deserialize(message)).toEqual([]);
    expect(logger.warnings.filter((line) => line.includes('not JSON'))).toHaveLength(1);
    expect(logger.warnings.length).toBeGreaterThanOrEqual(6);
  });
});

describe('exotel serializer outbound', () => {
  it('holds audio back until a 3.2 KB chunk is ready', () => {
    const serializer = makeSerializer();
    // 20 ms at 8 kHz is 320 bytes: nine frames stay buffered, the tenth completes 3200 bytes.
    for (let i = 0; i < 9; i++) {
      expect(serializer.serialize(outputAudioFrame(ramp(160, i * 160), 8000))).toEqual([]);
    }
    const messages = serializer.serialize(outputAudioFrame(ramp(160, 1440), 8000));
    expect(messages).toHaveLength(1);
    expect(outbound(messages[0])).toMatchObject({ event: 'media', stream_sid: STREAM });
    expect(payloadBytes(messages[0]!)).toEqual(new Uint8Array(Buffer.from(le(ramp(1600)), 'base64')));
  });

  it('sends only chunks on the 320-byte grid within 3.2 KB..99 840 bytes', () => {
    const serializer = makeSerializer();
    const sizes: number[] = [];
    for (const samples of [1, 77, 1601, 50_000, 333, 160]) {
      for (const message of serializer.serialize(outputAudioFrame(ramp(samples), 8000))) {
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

  it('flushes the rest, padded to the 320-byte grid, on end', () => {
    const serializer = makeSerializer();
    expect(serializer.serialize(outputAudioFrame(ramp(500), 8000))).toEqual([]);
    const [message, ...more] = serializer.serialize(endFrame());
    expect(more).toEqual([]);
    const bytes = payloadBytes(message!);
    expect(bytes.length).toBe(1280);
    expect(bytes.subarray(0, 1000)).toEqual(new Uint8Array(Buffer.from(le(ramp(500)), 'base64')));
    expect(bytes.subarray(1000).every((byte) => byte === 0)).toBe(true);
  });

  it('drops held-back audio on interruption and sends clear', () => {
    const serializer = makeSerializer();
    serializer.serialize(outputAudioFrame(ramp(500), 8000));
    const messages = serializer.serialize(interruptionFrame());
    expect(messages.map((message) => outbound(message))).toEqual([{ event: 'clear', stream_sid: STREAM }]);
    expect(serializer.serialize(endFrame())).toEqual([]);
  });

  it('sends held-back audio before the mark of a checkpoint', () => {
    const serializer = makeSerializer();
    serializer.serialize(outputAudioFrame(ramp(500), 8000));
    const messages = serializer.serialize(checkpointFrame('greeting'));
    expect(messages.map((message) => outbound(message).event)).toEqual(['media', 'mark']);
    expect(outbound(messages[1])).toEqual({ event: 'mark', stream_sid: STREAM, mark: { name: 'greeting' } });
  });

  it("returns a checkpoint's audio and mark together from the Pipecat-shaped serializer", async () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, exotel, {});
    const serializer = createSerializer(container, 'exotel', { streamId: STREAM, callId: CALL });
    await serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    expect(await serializer.serialize(outputAudioFrame(ramp(500), 8000))).toBeUndefined();
    const messages = await serializer.serialize(checkpointFrame('greeting'));
    expect(Array.isArray(messages)).toBe(true);
    expect((messages as WireMessage[]).map((message) => outbound(message).event)).toEqual(['media', 'mark']);
    // Nothing is left pending for a later call.
    expect(await serializer.serialize(endFrame())).toBeUndefined();
  });

  it('resamples 16 kHz pipeline audio down to the 8 kHz wire', () => {
    const serializer = makeSerializer();
    const messages = serializer.serialize(outputAudioFrame(ramp(3200), 16000));
    const tail = serializer.serialize(endFrame());
    const total = [...messages, ...tail].reduce((sum, message) => sum + payloadBytes(message).length, 0);
    expect(total).toBeGreaterThanOrEqual(3200);
    expect(total).toBeLessThan(3200 + 320);
  });

  it('chunks 24 kHz wire audio on the same 320-byte grid', () => {
    const serializer = makeSerializer({ exotelSampleRate: 24000, sampleRate: 24000 });
    // 20 ms at 24 kHz is 960 bytes: the fourth frame passes 3200 bytes and 3840 go out.
    const sizes: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (const message of serializer.serialize(outputAudioFrame(ramp(480, i * 480), 24000))) {
        sizes.push(payloadBytes(message).length);
      }
    }
    expect(sizes).toEqual([3840]);
  });

  it('passes transport messages through as JSON and sends output-dtmf as in-band media', () => {
    const serializer = makeSerializer();
    expect(serializer.serialize(transportMessageFrame({ event: 'custom', n: 1 }))).toEqual([
      '{"event":"custom","n":1}',
    ]);
    const tones = serializer.serialize(outputDtmfFrame('12'));
    expect(tones.length).toBeGreaterThan(0);
    for (const message of tones) expect(JSON.parse(message as string).event).toBe('media');
  });
});

describe('exotel plugin', () => {
  it('refuses autoHangUp: true with a CONFIG error that says why', () => {
    let error: unknown;
    try {
      makeSerializer({ autoHangUp: true });
    } catch (caught) {
      error = caught;
    }
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
    // A pipeline rate the codec cannot resample fails here, not later in setup().
    for (const sampleRate of [999, 384_001, 8000.5]) {
      expect(() =>
        createSerializer(container, 'exotel', { streamId: STREAM, params: { sampleRate } }),
      ).toThrow(/^\[exotel\] invalid call params: .*sampleRate/);
    }
  });

  it('registers a CallControl that says hang-up is unsupported without any request', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, exotel, {});
    const result = await resolveCallControl(container, 'exotel').hangUp(CALL);
    expect(result.outcome).toBe('failed');
  });

  it('detects connected as need-more and start as a call with its rate', () => {
    expect(detectExotelCall({ event: 'connected' })).toBe('need-more');
    expect(detectExotelCall('{"event":"connected"}')).toBe('need-more');
    expect(
      detectExotelCall({
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
      metadata: expect.any(Object),
      streamId: STREAM,
      callId: CALL,
      params: { exotelSampleRate: 16000, accountSid: 'exotel-acct', customParameters: { lang: 'hi' } },
    });
    // Twilio's start is camelCase: not Exotel's.
    expect(
      detectExotelCall({ event: 'start', streamSid: 'MZ1', start: { streamSid: 'MZ1', callSid: 'CA1' } }),
    ).toBeUndefined();
    for (const junk of [null, 1, 'start', [], { event: 'start' }, { event: 'start', start: 5 }]) {
      expect(detectExotelCall(junk)).toBeUndefined();
    }
  });

  it('detects calls that createSerializer accepts', async () => {
    const detected = detectExotelCall({
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
    const container = createCallwireContainer();
    registerCarrier(container, exotel, {});
    const reply = await exotel.answer?.(
      {
        method: 'GET',
        url: 'https://x/answer',
        headers: {},
        body: '',
        streamUrl: 'wss://x/ws?sample-rate=16000',
      },
      container,
    );
    expect(JSON.parse(reply?.body ?? '{}')).toEqual({ url: 'wss://x/ws?sample-rate=16000' });
  });
});

// Pins edges that mutation testing found unpinned: the chunker's window checks and padding, which
// id spellings a start may use, what detect and the plugin hand on, how the serializer drops pending
// audio on barge-in, follows an announced rate, downmixes stereo, and the warnings it logs.
import {
  cancelFrame,
  checkpointFrame,
  createCallwireContainer,
  createWireSerializer,
  endFrame,
  type Frame,
  interruptionFrame,
  type Logger,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  resolveCallControl,
  startFrame,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { detectExotelCall, exotel } from './carrier.js';
import { createExotelChunker } from './chunker.js';
import { exotelStartIds } from './events.js';
import { isExotelSampleRate } from './options.js';

const STREAM = 'MZ0123456789abcdef0123456789abcd';
const CALL = 'CA0123456789abcdef0123456789abcd';

function makeSerializer(
  params: Record<string, unknown> = {},
  logger: Logger = recordingLogger(),
  pipelineRate = 8000,
): WireSerializer {
  const container = createCallwireContainer({ logger });
  registerCarrier(container, exotel, {});
  const serializer = createWireSerializer(container, 'exotel', { streamId: STREAM, callId: CALL, params });
  serializer.setup(startFrame({ audioInSampleRate: pipelineRate }));
  return serializer;
}

function ramp(length: number, start = 0): Int16Array {
  return Int16Array.from({ length }, (_, index) => ((start + index) * 37) % 30000);
}

function le(pcm: Int16Array): string {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
}

function media(payload: string, streamSid = STREAM): string {
  return JSON.stringify({ event: 'media', stream_sid: streamSid, media: { payload } });
}

/** The one message `messages` holds. */
function one(messages: readonly WireMessage[]): WireMessage {
  expect(messages).toHaveLength(1);
  return messages[0] as WireMessage;
}

function parsed(message: WireMessage | undefined): Record<string, unknown> {
  expect(typeof message).toBe('string');
  return JSON.parse(message as string) as Record<string, unknown>;
}

function payloadBytes(message: WireMessage | undefined): Uint8Array {
  const body = parsed(message) as { event: string; media?: { payload: string } };
  expect(body.event).toBe('media');
  return new Uint8Array(Buffer.from(body.media?.payload ?? '', 'base64'));
}

function totalBytes(messages: readonly WireMessage[]): Uint8Array {
  return new Uint8Array(Buffer.concat(messages.map((message) => payloadBytes(message))));
}

describe('createExotelChunker: the window it accepts', () => {
  it('refuses a maximum off the 320-byte grid and names both sizes in the error', () => {
    expect(() => createExotelChunker({ maxChunkBytes: 3210 })).toThrow(
      'exotel chunker: minChunkBytes (3200) and maxChunkBytes (3210) must be multiples of 320, min <= max',
    );
  });

  it('refuses a zero minimum but accepts the smallest grid size, and min equal to max', () => {
    expect(() => createExotelChunker({ minChunkBytes: 0 })).toThrow(RangeError);
    expect(createExotelChunker({ minChunkBytes: 320 }).push(new Uint8Array(320))).toHaveLength(1);
    const exact = createExotelChunker({ minChunkBytes: 3200, maxChunkBytes: 3200 });
    expect(exact.push(new Uint8Array(7000)).map((chunk) => chunk.length)).toEqual([3200, 3200]);
    expect(exact.bufferedBytes).toBe(600);
  });

  it('sends a chunk at exactly the minimum and keeps nothing back', () => {
    const chunker = createExotelChunker();
    expect(chunker.push(new Uint8Array(3199))).toEqual([]);
    expect(chunker.push(new Uint8Array(1)).map((chunk) => chunk.length)).toEqual([3200]);
    expect(chunker.bufferedBytes).toBe(0);
    expect(chunker.flush()).toEqual([]);
  });

  it('pads the flushed tail to the 320-byte grid with zeros, a full grid step staying unpadded', () => {
    const chunker = createExotelChunker();
    chunker.push(new Uint8Array(640).fill(7));
    const [tail] = chunker.flush();
    expect(tail?.length).toBe(640);
    chunker.push(new Uint8Array(1).fill(9));
    const [one] = chunker.flush();
    expect(Array.from(one ?? [])).toEqual([9, ...new Array(319).fill(0)]);
  });

  it('reports the bytes it dropped on clear, and zero when empty', () => {
    const chunker = createExotelChunker();
    expect(chunker.clear()).toBe(0);
    chunker.push(new Uint8Array(123));
    expect(chunker.clear()).toBe(123);
    expect(chunker.bufferedBytes).toBe(0);
  });
});

describe('exotelStartIds: every id spelling a start may use', () => {
  it('falls back from start.stream_sid to the top-level and camelCase spellings', () => {
    expect(
      exotelStartIds({ event: 'start', stream_sid: 'top', start: { streamSid: 'camel' } }),
    ).toStrictEqual({
      streamSid: 'top',
    });
    expect(exotelStartIds({ event: 'start', start: { streamSid: 'camel' } })).toStrictEqual({
      streamSid: 'camel',
    });
    expect(exotelStartIds({ event: 'start', streamSid: 'outer', start: {} })).toStrictEqual({
      streamSid: 'outer',
    });
    expect(
      exotelStartIds({
        event: 'start',
        streamSid: 'outer',
        start: { stream_sid: 'inner', callSid: 'C1', accountSid: 'A1' },
      }),
    ).toStrictEqual({ streamSid: 'inner', callSid: 'C1', accountSid: 'A1' });
  });

  it('prefers the snake_case call and account ids and leaves out an empty account id', () => {
    expect(
      exotelStartIds({
        event: 'start',
        start: { call_sid: 'C1', callSid: 'C2', account_sid: 'A1', accountSid: 'A2' },
      }),
    ).toStrictEqual({ callSid: 'C1', accountSid: 'A1' });
    expect(exotelStartIds({ event: 'start', start: { account_sid: '' } })).toStrictEqual({});
    expect(exotelStartIds({ event: 'start', start: {} })).toStrictEqual({});
  });
});

describe('isExotelSampleRate', () => {
  it('accepts 8, 16 and 24 kHz only', () => {
    expect([8000, 16000, 24000].every(isExotelSampleRate)).toBe(true);
    expect([44100, 0, '8000', undefined].some(isExotelSampleRate)).toBe(false);
  });
});

describe('detectExotelCall: what a start hands on', () => {
  it('returns undefined for a start that lacks the call id or the stream id', () => {
    expect(detectExotelCall({ event: 'start', start: { stream_sid: STREAM } })).toBeUndefined();
    expect(detectExotelCall({ event: 'start', start: { call_sid: CALL } })).toBeUndefined();
    expect(detectExotelCall('{"event":"start",')).toBeUndefined();
    expect(detectExotelCall({ event: 'media' })).toBeUndefined();
  });

  it('parses a JSON string and leaves out an unknown rate, empty custom parameters and a missing account', () => {
    expect(
      detectExotelCall(
        JSON.stringify({
          event: 'start',
          start: {
            stream_sid: STREAM,
            call_sid: CALL,
            custom_parameters: {},
            media_format: { sample_rate: '44100' },
          },
        }),
      ),
    ).toStrictEqual({ streamId: STREAM, callId: CALL, params: {}, metadata: expect.any(Object) });
  });

  it('detects a start without media_format or custom parameters, handing on no params', () => {
    expect(detectExotelCall({ event: 'start', start: { stream_sid: STREAM, call_sid: CALL } })).toStrictEqual(
      {
        streamId: STREAM,
        callId: CALL,
        params: {},
        metadata: {
          customParameters: {},
          raw: { event: 'start', start: { stream_sid: STREAM, call_sid: CALL } },
        },
      },
    );
  });

  it('reads a numeric sample rate as well as a string one', () => {
    const detected = detectExotelCall({
      event: 'start',
      start: { stream_sid: STREAM, call_sid: CALL, media_format: { sample_rate: 24000 } },
    });
    expect(detected).toMatchObject({ streamId: STREAM, callId: CALL, params: { exotelSampleRate: 24000 } });
    expect((detected as { params: object }).params).toStrictEqual({ exotelSampleRate: 24000 });
  });
});

describe('exotel plugin: call control, ids and answer', () => {
  it('answers every hang-up with failed and a reason, making no request', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, exotel, {});
    const control = resolveCallControl(container, 'exotel');
    expect(control.carrier).toBe('exotel');
    expect(await control.hangUp(CALL)).toEqual({
      outcome: 'failed',
      reason: 'exotel has no hang-up API; close the stream instead',
    });
  });

  it('keeps the call id it was given, none when there is none, and defaults the params', () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, exotel, {});
    const withId = createWireSerializer(container, 'exotel', { streamId: STREAM, callId: CALL });
    expect(withId).toMatchObject({ carrier: 'exotel', callId: CALL, streamId: STREAM, autoHangUp: false });
    // The defaults: 8 kHz on the wire, so 20 ms of 8 kHz pipeline audio is 320 bytes as it is.
    withId.setup(startFrame({ audioInSampleRate: 8000 }));
    withId.serialize(outputAudioFrame(ramp(160), 8000));
    expect(payloadBytes(one(withId.serialize(endFrame())))).toEqual(
      new Uint8Array(Buffer.from(le(ramp(160)), 'base64')),
    );
    const withoutId = createWireSerializer(container, 'exotel', { streamId: STREAM });
    expect(withoutId.callId).toBeUndefined();
    expect(withoutId.autoHangUp).toBe(false);
  });

  it('refuses autoHangUp: true with a CONFIG error that tells the user what to do instead', () => {
    const container = createCallwireContainer();
    registerCarrier(container, exotel, {});
    expect(() =>
      createWireSerializer(container, 'exotel', { streamId: STREAM, params: { autoHangUp: true } }),
    ).toThrow(/^\[exotel\] invalid call params: .*autoHangUp.*close the WebSocket instead/);
    expect(() =>
      createWireSerializer(container, 'exotel', { streamId: STREAM, params: { autoHangUp: false } }),
    ).not.toThrow();
  });

  it('answers the applet URL as application/json', () => {
    const container = createCallwireContainer();
    registerCarrier(container, exotel, {});
    const reply = exotel.answer?.(
      { method: 'GET', url: 'https://x/answer', headers: {}, body: '', streamUrl: 'wss://x/ws' },
      container,
    );
    expect(reply).toEqual({ contentType: 'application/json', body: '{"url":"wss://x/ws"}' });
  });
});

describe('exotel serializer: held-back audio and barge-in', () => {
  it('sends nothing held back after an interruption that follows a checkpoint: clear, then nothing', () => {
    const serializer = makeSerializer();
    serializer.serialize(outputAudioFrame(ramp(500), 8000));
    expect(serializer.serialize(checkpointFrame('first')).map((message) => parsed(message).event)).toEqual([
      'media',
      'mark',
    ]);
    serializer.serialize(outputAudioFrame(ramp(100), 8000));
    expect(parsed(one(serializer.serialize(interruptionFrame())))).toEqual({
      event: 'clear',
      stream_sid: STREAM,
    });
    expect(serializer.serialize(endFrame())).toEqual([]);
  });

  it('drops held-back audio on cancel', () => {
    const serializer = makeSerializer();
    serializer.serialize(outputAudioFrame(ramp(500), 8000));
    expect(serializer.serialize(cancelFrame())).toEqual([]);
    expect(serializer.serialize(endFrame())).toEqual([]);
    serializer.serialize(outputAudioFrame(ramp(100), 8000));
    expect(serializer.serialize(cancelFrame())).toEqual([]);
    expect(serializer.serialize(checkpointFrame('after')).map((message) => parsed(message))).toEqual([
      { event: 'mark', stream_sid: STREAM, mark: { name: 'after' } },
    ]);
  });

  it('sends a second checkpoint as its mark alone: held-back audio goes out once', () => {
    const serializer = makeSerializer();
    serializer.serialize(outputAudioFrame(ramp(500), 8000));
    expect(serializer.serialize(checkpointFrame('first'))).toHaveLength(2);
    expect(serializer.serialize(checkpointFrame('second')).map((message) => parsed(message))).toEqual([
      { event: 'mark', stream_sid: STREAM, mark: { name: 'second' } },
    ]);
  });

  it('sends audio after an interruption exactly as a fresh call would (resampler state dropped)', () => {
    const fresh = makeSerializer({}, recordingLogger(), 8000);
    const expected = totalBytes([
      ...fresh.serialize(outputAudioFrame(ramp(3200, 11), 16000)),
      ...fresh.serialize(endFrame()),
    ]);
    for (const barge of [interruptionFrame(), cancelFrame()]) {
      const serializer = makeSerializer({}, recordingLogger(), 8000);
      serializer.serialize(outputAudioFrame(ramp(3301, 5000), 16000));
      serializer.serialize(barge);
      const after = totalBytes([
        ...serializer.serialize(outputAudioFrame(ramp(3200, 11), 16000)),
        ...serializer.serialize(endFrame()),
      ]);
      expect(Buffer.compare(after, expected)).toBe(0);
    }
  });

  it('resamples a stream split over frames exactly as in one piece (one resampler per rate)', () => {
    const whole = makeSerializer();
    const expected = totalBytes([
      ...whole.serialize(outputAudioFrame(ramp(4000), 16000)),
      ...whole.serialize(endFrame()),
    ]);
    const split = makeSerializer();
    const sent: WireMessage[] = [];
    for (let offset = 0; offset < 4000; offset += 800) {
      sent.push(...split.serialize(outputAudioFrame(ramp(800, offset), 16000)));
    }
    sent.push(...split.serialize(endFrame()));
    expect(Buffer.compare(totalBytes(sent), expected)).toBe(0);
  });

  it('flushes the resampler tail on end, so the whole duration reaches the wire', () => {
    const serializer = makeSerializer();
    // 3300 samples at 16 kHz are 1650 at 8 kHz: 3300 bytes, padded to 3520 on the grid.
    const messages = [
      ...serializer.serialize(outputAudioFrame(ramp(3300), 16000)),
      ...serializer.serialize(endFrame()),
    ];
    expect(totalBytes(messages).length).toBe(3520);
  });
});

describe('exotel serializer: outbound edges', () => {
  it('honours a larger minChunkBytes option: 3200 bytes stay held back', () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, exotel, { minChunkBytes: 6400 });
    const serializer = createWireSerializer(container, 'exotel', { streamId: STREAM, callId: CALL });
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    expect(serializer.serialize(outputAudioFrame(ramp(1600), 8000))).toEqual([]);
    const message = one(serializer.serialize(outputAudioFrame(ramp(1600, 1600), 8000)));
    expect(payloadBytes(message).length).toBe(6400);
  });

  it('handles interruption, cancel and end before any audio without a warning', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    expect(serializer.serialize(interruptionFrame()).map((message) => parsed(message))).toEqual([
      { event: 'clear', stream_sid: STREAM },
    ]);
    expect(serializer.serialize(cancelFrame())).toEqual([]);
    expect(serializer.serialize(endFrame())).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('answers a missing frame from a broken pipeline with nothing and one warning', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    expect(serializer.serialize(undefined as unknown as Frame)).toEqual([]);
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toContain('[exotel] cannot serialize a "undefined" frame');
  });

  it('sends the resampler tail on end: the last sample is not cut off', () => {
    const serializer = makeSerializer({ exotelSampleRate: 16000 });
    const loud = new Int16Array(1600).fill(12000);
    const bytes = totalBytes([
      ...serializer.serialize(outputAudioFrame(loud, 8000)),
      ...serializer.serialize(endFrame()),
    ]);
    // 1600 samples at 8 kHz are 3200 at 16 kHz (6400 bytes, on the grid); the resampler holds
    // the last one back until it is flushed, and without it that sample would be zero padding.
    expect(bytes.length).toBe(6400);
    const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    expect(Math.abs(samples[3199] ?? 0)).toBeGreaterThan(1000);
  });

  it('averages interleaved stereo into mono, rounding halves up', () => {
    const serializer = makeSerializer();
    const stereo = new Int16Array(3200);
    for (let i = 0; i < 1600; i++) {
      stereo[2 * i] = i;
      stereo[2 * i + 1] = i + 1;
    }
    const [message] = serializer.serialize(outputAudioFrame(stereo, 8000, 2));
    const mono = new Int16Array(payloadBytes(message).buffer.slice(0));
    expect(mono.length).toBe(1600);
    expect(Array.from(mono.subarray(0, 4))).toEqual([1, 2, 3, 4]);
    expect(mono[1599]).toBe(1600);
  });

  it('sends the wire rate the start announced when pipeline audio arrives at the old one', () => {
    const serializer = makeSerializer({ exotelSampleRate: 8000 });
    serializer.serialize(outputAudioFrame(ramp(160), 8000));
    serializer.deserialize(
      JSON.stringify({
        event: 'start',
        start: { stream_sid: STREAM, call_sid: CALL, media_format: { sample_rate: '16000' } },
      }),
    );
    serializer.serialize(interruptionFrame());
    const messages = [
      ...serializer.serialize(outputAudioFrame(ramp(1600), 8000)),
      ...serializer.serialize(endFrame()),
    ];
    // 200 ms at 16 kHz: 6400 bytes (at the old 8 kHz it would be 3200).
    expect(totalBytes(messages).length).toBe(6400);
  });

  it('warns once, naming the frame, when a frame cannot be encoded', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    // Built by hand: outputAudioFrame() itself refuses a rate of 0 Hz.
    const broken = (sampleRate: number) =>
      ({ type: 'output-audio', audio: ramp(160), sampleRate, numChannels: 1 }) as Frame;
    expect(serializer.serialize(broken(0))).toEqual([]);
    expect(serializer.serialize(broken(-5))).toEqual([]);
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('[exotel] cannot serialize a "output-audio" frame');
  });

  it('sends nothing for a transport message that has no JSON form', () => {
    const serializer = makeSerializer();
    // Built by hand: transportMessageFrame() itself refuses undefined.
    const frame = { type: 'output-transport-message', message: undefined } as unknown as Frame;
    expect(serializer.serialize(frame)).toEqual([]);
  });

  it('sends output-dtmf as in-band audio, without a warning', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    expect(serializer.serialize(outputDtmfFrame('1')).length).toBeGreaterThan(0);
    expect(logger.at('warn')).toEqual([]);
  });
});

describe('exotel serializer: inbound edges and their warnings', () => {
  it('warns once, prefixed [exotel], about text that is not JSON, and about nothing else', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    expect(serializer.deserialize('not json')).toEqual([]);
    expect(logger.at('warn')).toEqual(['[exotel] ignoring a message that is not JSON: "not json"']);
  });

  it('survives a value that is no message at all (a broken transport) with one warning', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    expect(serializer.deserialize(null as unknown as WireMessage)).toEqual([]);
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toContain('[exotel] could not handle a message: TypeError');
  });

  it('accepts a start without media_format and a stop without its body, silently', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    const start = { event: 'start', start: { stream_sid: STREAM, call_sid: CALL } };
    expect(serializer.deserialize(JSON.stringify(start))).toEqual([]);
    expect(serializer.deserialize(JSON.stringify({ event: 'stop', stream_sid: STREAM }))).toEqual([]);
    expect(logger.at('warn')).toEqual([]);
    expect(logger.at('debug')).toEqual([`[exotel] stream stopped {"streamSid":"${STREAM}"}`]);
  });

  it('emits nothing, and warns about nothing, when a sample of 16 kHz input yields no 8 kHz sample', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({ exotelSampleRate: 16000, sampleRate: 8000 }, logger);
    // Halving the rate: every second single sample produces no output sample.
    expect(serializer.deserialize(media(le(new Int16Array([1000]))))).toMatchObject([
      { type: 'input-audio' },
    ]);
    expect(serializer.deserialize(media(le(new Int16Array([1000]))))).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('reads a lower-case, padded DTMF letter as its upper-case digit', () => {
    const serializer = makeSerializer();
    expect(
      serializer.deserialize(JSON.stringify({ event: 'dtmf', stream_sid: STREAM, dtmf: { digit: ' b ' } })),
    ).toEqual([{ type: 'input-dtmf', digit: 'B' }]);
  });

  it('warns about a bad DTMF digit, quoting it', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    expect(serializer.deserialize(JSON.stringify({ event: 'dtmf', dtmf: { digit: 'x' } }))).toEqual([]);
    expect(logger.at('warn')).toEqual(['[exotel] ignoring DTMF digit "X" (not 0-9 * # A-D)']);
  });

  it('drops the odd last byte of a payload and keeps the whole samples', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    const [frame] = serializer.deserialize(media(Buffer.from([1, 2, 3, 4, 5]).toString('base64')));
    expect(frame).toEqual({
      type: 'input-audio',
      audio: new Int16Array([0x0201, 0x0403]),
      sampleRate: 8000,
      numChannels: 1,
    });
    expect(logger.at('warn')).toEqual([
      '[exotel] a 5-byte L16 payload is not whole samples; dropping its last byte',
    ]);
  });

  it('names each kind of bad payload in its own warning', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    expect(serializer.deserialize(media('AQ=='))).toEqual([]);
    expect(serializer.deserialize(media('A*=='))).toEqual([]);
    // One byte is no whole sample: the odd byte is dropped with its warning and nothing is left.
    expect(logger.at('warn')).toEqual([
      '[exotel] a 1-byte L16 payload is not whole samples; dropping its last byte',
      '[exotel] ignoring a media payload that is not standard padded base64',
    ]);
  });

  it('warns that media before setup is dropped', () => {
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, exotel, {});
    const early = createWireSerializer(container, 'exotel', { streamId: STREAM });
    expect(early.deserialize(media(le(ramp(160))))).toEqual([]);
    expect(logger.at('warn')).toEqual(['[exotel] dropping audio received before setup()']);
  });

  it('applies a start naming another stream, with a warning naming both streams', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    serializer.deserialize(
      JSON.stringify({
        event: 'start',
        start: { stream_sid: 'MZother', call_sid: CALL, media_format: { sample_rate: '16000' } },
      }),
    );
    expect(logger.at('warn')).toEqual([
      `[exotel] "start" names stream "MZother", not this call's; decoding it anyway`,
    ]);
    expect(logger.at('info')).toHaveLength(1); // the announced 16 kHz replaces the configured 8 kHz
    const [frame] = serializer.deserialize(media(le(ramp(320))));
    // 320 samples at the announced 16 kHz give at most 160 at the 8 kHz pipeline (320 if ignored).
    expect(frame?.type === 'input-audio' && frame.audio.length).toBeLessThanOrEqual(160);
  });

  it('logs a changed rate once at info, and nothing when start repeats the configured rate', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    const start = (rate: string) =>
      JSON.stringify({
        event: 'start',
        start: { stream_sid: STREAM, call_sid: CALL, media_format: { sample_rate: rate } },
      });
    serializer.deserialize(start('8000'));
    expect(logger.at('info')).toEqual([]);
    serializer.deserialize(start('16000'));
    expect(logger.at('info')).toEqual([
      `[exotel] start announces a different sample rate; using the announced one {"streamSid":"${STREAM}","configured":8000,"announced":16000}`,
    ]);
    // The inbound resampler now reads 16 kHz: 320 samples become 160 at the 8 kHz pipeline.
    const [frame] = serializer.deserialize(media(le(ramp(320))));
    expect(frame?.type === 'input-audio' && Math.abs(frame.audio.length - 160)).toBeLessThan(20);
  });

  it('adopts an announced rate before setup and resamples from it once set up', () => {
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, exotel, {});
    const serializer = createWireSerializer(container, 'exotel', {
      streamId: STREAM,
      params: { sampleRate: 16000 },
    });
    serializer.deserialize(
      JSON.stringify({
        event: 'start',
        start: { stream_sid: STREAM, call_sid: CALL, media_format: { sample_rate: '16000' } },
      }),
    );
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    const [frame] = serializer.deserialize(media(le(ramp(320))));
    expect(frame?.type === 'input-audio' && frame.audio).toEqual(ramp(320));
    expect(logger.at('warn')).toEqual([]);
  });

  it('logs the stop reason at debug level', () => {
    const logger = recordingLogger();
    const serializer = makeSerializer({}, logger);
    serializer.deserialize(
      JSON.stringify({ event: 'stop', stream_sid: STREAM, stop: { reason: 'callended' } }),
    );
    expect(logger.at('debug')).toEqual([
      `[exotel] stream stopped {"streamSid":"${STREAM}","reason":"callended"}`,
    ]);
  });
});

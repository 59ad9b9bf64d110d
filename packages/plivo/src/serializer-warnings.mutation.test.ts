// Pins what mutation testing found unpinned in the serializer: every kind of bad input is dropped
// with its own warning (once per kind, then debug), naming the problem with a short excerpt; and the
// start message's announced format decides how media is decoded.
import {
  createCallwireContainer,
  createSerializer,
  type Frame,
  type FrameSerializer,
  registerCarrier,
  startFrame,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { plivo } from './carrier.js';

const STREAM_ID = '87654321-4321-4321-4321-cba987654321';
const CALL_ID = '12345678-1234-1234-1234-123456789abc';

async function open(params: Record<string, unknown> = {}, setup = true) {
  const logger = recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, plivo, {});
  const serializer = createSerializer(container, 'plivo', {
    streamId: STREAM_ID,
    callId: CALL_ID,
    params: { autoHangUp: false, sampleRate: 16000, ...params },
  });
  if (setup) await serializer.setup(startFrame({ audioInSampleRate: 16000 }));
  return { serializer, logger };
}

function media(payload: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    event: 'media',
    streamId: STREAM_ID,
    media: { track: 'inbound', payload, ...extra },
  });
}

function start(encoding: string, sampleRate: number): string {
  return JSON.stringify({
    event: 'start',
    start: { callId: CALL_ID, streamId: STREAM_ID, mediaFormat: { encoding, sampleRate } },
  });
}

/** Sends `message` twice; both are dropped, with one warning matching `pattern` and then a debug line. */
async function expectDroppedWithOneWarning(
  serializer: FrameSerializer,
  logger: ReturnType<typeof recordingLogger>,
  message: string | Uint8Array,
  pattern: RegExp,
): Promise<void> {
  expect(await serializer.deserialize(message)).toBeUndefined();
  expect(await serializer.deserialize(message)).toBeUndefined();
  const warnings = logger.at('warn');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(pattern);
  expect(warnings[0]).toMatch(/^\[plivo\] /);
  expect(logger.at('debug').some((line) => pattern.test(line))).toBe(true);
}

describe('Plivo serializer: one warning per kind of bad input', () => {
  it('names itself plivo', async () => {
    expect((await open()).serializer.carrier).toBe('plivo');
  });

  it.each([
    [
      'a message over the size limit',
      'x'.repeat(256 * 1024 + 16 * 1024 + 1),
      /ignoring a 278529-character message \(limit 278528\)/,
    ],
    [
      'binary that is not UTF-8',
      new Uint8Array([0xff, 0xfe, 0x00]),
      /ignoring a 3-byte binary message that is not UTF-8/,
    ],
    ['text that is not JSON', 'hello there', /not JSON: "hello there"/],
    ['an unknown event', '{"event":"bogus"}', /unknown event "bogus"/],
    ['an event that is not a string', '{"event":5}', /unknown event "5"/],
    ['JSON null', 'null', /unknown event "undefined"/],
    ['a known event with missing fields', '{"event":"media"}', /malformed "media": media/],
    [
      'a DTMF digit outside 0-9 * # A-D',
      JSON.stringify({ event: 'dtmf', streamId: STREAM_ID, dtmf: { digit: 'X' } }),
      /DTMF digit "X"/,
    ],
    ['media of the outbound track', media('AAAA', { track: 'outbound' }), /track "outbound"/],
    [
      'a media payload over its limit',
      media('A'.repeat(256 * 1024 + 4)),
      /262148-character media payload \(limit 262144\)/,
    ],
  ])('drops %s', async (_what, message, pattern) => {
    const { serializer, logger } = await open();
    await expectDroppedWithOneWarning(serializer, logger, message, pattern);
  });

  it('decodes media naming another stream, warning once with both names', async () => {
    const { serializer, logger } = await open();
    const other = JSON.stringify({ event: 'media', streamId: 'other-stream', media: { payload: '////' } });
    expect(await serializer.deserialize(other)).toMatchObject({ type: 'input-audio' });
    expect(await serializer.deserialize(other)).toMatchObject({ type: 'input-audio' });
    expect(logger.at('warn')).toEqual([
      `[plivo] "media" names stream "other-stream", not this call's; decoding it anyway`,
    ]);
  });

  it('quotes at most 64 characters of untrusted text', async () => {
    const { serializer, logger } = await open();
    await serializer.deserialize(`not json ${'y'.repeat(200)}`);
    const [warning] = logger.at('warn');
    expect(warning).toContain(`"not json ${'y'.repeat(55)}…"`);
    expect(warning).not.toContain('y'.repeat(56));
  });

  it('drops media that arrives before setup() when only the start frame gives the pipeline rate', async () => {
    const { serializer, logger } = await open({ sampleRate: undefined }, false);
    await expectDroppedWithOneWarning(serializer, logger, media('////'), /before setup\(\)/);
  });

  it('decodes media before setup() when the params already fix the pipeline rate', async () => {
    const { serializer, logger } = await open({}, false);
    expect(await serializer.deserialize(media('////'))).toMatchObject({
      type: 'input-audio',
      sampleRate: 16000,
    });
    expect(logger.at('warn')).toEqual([]);
  });

  it('drops the trailing byte of an L16 payload that is not whole samples', async () => {
    const { serializer, logger } = await open({ contentType: 'audio/x-l16', plivoSampleRate: 16000 });
    const oneByte = Buffer.from([1]).toString('base64');
    await expectDroppedWithOneWarning(
      serializer,
      logger,
      media(oneByte),
      /a 1-byte L16 payload is not whole samples; dropping its last byte/,
    );
  });

  it('logs clearedAudio and stop at debug level only, emitting nothing', async () => {
    const { serializer, logger } = await open();
    expect(
      await serializer.deserialize(JSON.stringify({ event: 'clearedAudio', streamId: STREAM_ID })),
    ).toBeUndefined();
    expect(
      await serializer.deserialize(JSON.stringify({ event: 'stop', streamId: STREAM_ID })),
    ).toBeUndefined();
    expect(logger.at('warn')).toEqual([]);
    const debug = logger.at('debug').join('\n');
    expect(debug).toContain('[plivo] queued audio cleared');
    expect(debug).toContain('[plivo] stream stopped');
    expect(debug).toContain(STREAM_ID);
  });
});

describe('Plivo serializer: the start message decides the inbound format', () => {
  // 20 ms of 16 kHz L16: 320 samples, 640 bytes. Decoded as mu-law 8 kHz it would be 640 samples at 8 kHz.
  const l16Chunk = Buffer.alloc(640, 0x10).toString('base64');

  it('decodes what start announces when it differs from the params, and says so once', async () => {
    const { serializer, logger } = await open();
    expect(await serializer.deserialize(start('audio/x-l16', 16000))).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toMatch(
      /start announces audio\/x-l16 at 16000 Hz, params say audio\/x-mulaw at 8000 Hz; decoding what start announces/,
    );
    const frame = (await serializer.deserialize(media(l16Chunk))) as Extract<Frame, { type: 'input-audio' }>;
    expect(frame.type).toBe('input-audio');
    expect(frame.sampleRate).toBe(16000);
    // A 16 kHz -> 16 kHz path passes samples straight through; a mu-law 8 kHz decode would double them.
    expect(frame.audio.length).toBeLessThanOrEqual(320);
    expect(frame.audio.length).toBeGreaterThan(200);
  });

  it('says nothing when start announces the format the params give', async () => {
    const { serializer, logger } = await open();
    await serializer.deserialize(start('audio/x-mulaw', 8000));
    expect(logger.at('warn')).toEqual([]);
    const frame = await serializer.deserialize(media(Buffer.alloc(160, 0xff).toString('base64')));
    expect((frame as Frame | undefined)?.type).toBe('input-audio');
  });

  it('keeps the params when start announces a format Plivo does not stream, with one warning', async () => {
    const { serializer, logger } = await open();
    await serializer.deserialize(start('audio/opus', 48000));
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toMatch(
      /start announces "audio\/opus" at 48000 Hz; decoding as audio\/x-mulaw at 8000 Hz/,
    );
    const frame = (await serializer.deserialize(
      media(Buffer.alloc(160, 0xff).toString('base64')),
    )) as Extract<Frame, { type: 'input-audio' }>;
    // 160 mu-law bytes at 8 kHz become about 320 samples at 16 kHz.
    expect(frame.audio.length).toBeGreaterThan(200);
  });

  it('takes the announced format even when it arrives before setup()', async () => {
    const { serializer } = await open({}, false);
    await serializer.deserialize(start('audio/x-l16', 16000));
    await serializer.setup(startFrame({ audioInSampleRate: 16000 }));
    const frame = (await serializer.deserialize(media(l16Chunk))) as Extract<Frame, { type: 'input-audio' }>;
    expect(frame.audio.length).toBeLessThanOrEqual(320);
  });
});

describe('Plivo serializer: outbound frames it cannot send', () => {
  it('drops output DTMF outside 0-9 * # A-D with one warning quoting it', async () => {
    const { serializer, logger } = await open();
    const bad = { type: 'output-dtmf', digits: '12x' } as Frame;
    expect(await serializer.serialize(bad)).toBeUndefined();
    expect(await serializer.serialize(bad)).toBeUndefined();
    expect(logger.at('warn')).toEqual(['[plivo] output DTMF "12x" is not 0-9 * # A-D; dropped']);
  });

  it('drops a malformed frame with one warning naming its type, never throwing', async () => {
    const { serializer, logger } = await open();
    const broken = {
      type: 'output-audio',
      audio: null,
      sampleRate: 8000,
      numChannels: 1,
    } as unknown as Frame;
    expect(await serializer.serialize(broken)).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toMatch(/^\[plivo\] cannot serialize a "output-audio" frame: /);
  });
});

describe('Plivo serializer: limits are inclusive, formats switch on either field', () => {
  it('parses a message of exactly the size limit (278,528 characters)', async () => {
    const { serializer, logger } = await open();
    await serializer.deserialize('x'.repeat(256 * 1024 + 16 * 1024));
    expect(logger.at('warn')[0]).toMatch(/not JSON/);
  });

  it('decodes a media payload of exactly the payload limit (262,144 characters)', async () => {
    const { serializer, logger } = await open();
    const frame = await serializer.deserialize(media('/'.repeat(256 * 1024)));
    expect((frame as Frame | undefined)?.type).toBe('input-audio');
    expect(logger.at('warn')).toEqual([]);
  });

  it.each([
    ['the encoding differs (L16 at 8 kHz for mu-law params)', 'audio/x-l16', 8000, {}],
    [
      'the rate differs (L16 at 8 kHz for L16 16 kHz params)',
      'audio/x-l16',
      8000,
      { contentType: 'audio/x-l16', plivoSampleRate: 16000 },
    ],
  ])('switches to the announced format when %s', async (_what, encoding, sampleRate, params) => {
    const { serializer, logger } = await open(params);
    await serializer.deserialize(start(encoding, sampleRate));
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toMatch(/decoding what start announces/);
    // 160 bytes of L16 at 8 kHz: 80 samples, about 160 at 16 kHz (mu-law would give about 320).
    const frame = (await serializer.deserialize(
      media(Buffer.alloc(160, 0x10).toString('base64')),
    )) as Extract<Frame, { type: 'input-audio' }>;
    expect(frame.audio.length).toBeLessThanOrEqual(160);
  });

  it('warns only about the format when start comes before setup()', async () => {
    const { serializer, logger } = await open({}, false);
    await serializer.deserialize(start('audio/x-l16', 16000));
    await serializer.setup(startFrame({ audioInSampleRate: 16000 }));
    expect(logger.at('warn')).toHaveLength(1);
  });

  it('never emits an empty audio frame or an empty playAudio', async () => {
    const { serializer } = await open();
    const inbound = (await serializer.deserialize(media(Buffer.from([0xff]).toString('base64')))) as
      | Extract<Frame, { type: 'input-audio' }>
      | undefined;
    expect(inbound === undefined || inbound.audio.length > 0).toBe(true);
    expect(
      await serializer.serialize({
        type: 'output-audio',
        audio: new Int16Array(0),
        sampleRate: 16000,
        numChannels: 1,
      }),
    ).toBeUndefined();
    const tiny = await serializer.serialize({
      type: 'output-audio',
      audio: new Int16Array(1),
      sampleRate: 48000,
      numChannels: 1,
    });
    expect(tiny === undefined || JSON.parse(String(tiny)).media.payload.length > 0).toBe(true);
  });
});

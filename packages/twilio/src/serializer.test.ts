import { detectDtmf, mulawDecode, mulawEncode } from '@callwire/codec';
import {
  cancelFrame,
  checkpointFrame,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  endFrame,
  type Frame,
  type FrameSerializer,
  interruptionFrame,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  startFrame,
  transportMessageFrame,
} from '@callwire/core';
import { type FakeCarrierApi, parseBasicAuth, recordingLogger } from '@callwire/testing';
import { tone, toneSnrDb } from '@callwire/testing/audio';
import { afterEach, describe, expect, it } from 'vitest';
import { twilio } from './carrier.js';
import { TwilioOutboundEventSchema } from './events.js';
import { startFakeTwilioApi } from './testing/fake-api.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-test-token-0123456789abcdef';
const STREAM_SID = 'MZ18ad3ab5a668481ce02b83e7395059f0';
const CALL_SID = 'CA0123456789abcdef0123456789abcdef';

// Messages exactly as Twilio documents them (twilio.com/docs/voice/media-streams/websocket-messages).
const CONNECTED = JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' });
const START = JSON.stringify({
  event: 'start',
  sequenceNumber: '1',
  start: {
    accountSid: ACCOUNT_SID,
    streamSid: STREAM_SID,
    callSid: CALL_SID,
    tracks: ['inbound'],
    mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    customParameters: { FirstName: 'Jane' },
  },
  streamSid: STREAM_SID,
});
function media(bytes: Uint8Array, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    event: 'media',
    sequenceNumber: '4',
    media: {
      track: 'inbound',
      chunk: '2',
      timestamp: '5',
      payload: Buffer.from(bytes).toString('base64'),
      ...overrides,
    },
    streamSid: STREAM_SID,
  });
}
const dtmf = (digit: string) =>
  JSON.stringify({
    event: 'dtmf',
    streamSid: STREAM_SID,
    sequenceNumber: '5',
    dtmf: { track: 'inbound_track', digit },
  });
const MARK = JSON.stringify({
  event: 'mark',
  sequenceNumber: '4',
  streamSid: STREAM_SID,
  mark: { name: 'my label' },
});
const STOP = JSON.stringify({
  event: 'stop',
  sequenceNumber: '5',
  stop: { accountSid: ACCOUNT_SID, callSid: CALL_SID },
  streamSid: STREAM_SID,
});

let api: FakeCarrierApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function setUp(options: { sampleRate?: number; autoHangUp?: boolean; hangUpTimeoutMs?: number } = {}) {
  api = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const logger = recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, twilio, {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    apiBaseUrl: api.url,
    hangUpTimeoutMs: options.hangUpTimeoutMs ?? 2000,
  });
  const serializer = createSerializer(container, 'twilio', {
    streamId: STREAM_SID,
    callId: CALL_SID,
    params: { autoHangUp: options.autoHangUp ?? true },
  });
  await serializer.setup(startFrame({ audioInSampleRate: options.sampleRate ?? 8000 }));
  return { api, logger, serializer };
}

function outbound(message: unknown) {
  expect(typeof message).toBe('string');
  return TwilioOutboundEventSchema.parse(JSON.parse(message as string));
}

describe('TwilioFrameSerializer.deserialize', () => {
  it('decodes caller mu-law exactly at 8 kHz', async () => {
    const { serializer } = await setUp();
    // G.711 mu-law: 0x80 → +32124, 0xFF → 0, 0x00 → -32124, 0x7F → 0 (ITU-T G.711 table 2).
    const frame = await serializer.deserialize(media(Uint8Array.from([0x80, 0xff, 0x00, 0x7f])));
    expect(frame).toEqual({
      type: 'input-audio',
      audio: Int16Array.from([32124, 0, -32124, 0]),
      sampleRate: 8000,
      numChannels: 1,
    });
  });

  it('resamples caller audio to the pipeline rate, keeping a tone clean', async () => {
    const { serializer } = await setUp({ sampleRate: 16000 });
    const sent = tone({ frequencyHz: 440, durationMs: 400, sampleRate: 8000 });
    const chunks: Int16Array[] = [];
    for (let offset = 0; offset < sent.length; offset += 160) {
      const frame = (await serializer.deserialize(media(mulawEncode(sent.subarray(offset, offset + 160))))) as
        | Frame
        | undefined;
      if (frame?.type === 'input-audio') {
        expect(frame.sampleRate).toBe(16000);
        chunks.push(frame.audio);
      }
    }
    const received = Int16Array.from(chunks.flatMap((chunk) => Array.from(chunk)));
    expect(received.length).toBeGreaterThan(2 * sent.length - 100);
    expect(toneSnrDb(received.subarray(200), 440, 16000)).toBeGreaterThan(30);
  });

  it('turns dtmf into input-dtmf and a mark echo into checkpoint-reached', async () => {
    const { serializer } = await setUp();
    for (const digit of ['0', '9', '*', '#', 'A', 'D']) {
      expect(await serializer.deserialize(dtmf(digit))).toEqual({ type: 'input-dtmf', digit });
    }
    expect(await serializer.deserialize(MARK)).toEqual({ type: 'checkpoint-reached', name: 'my label' });
  });

  it('emits nothing for connected, start and stop, without warning', async () => {
    const { serializer, logger } = await setUp();
    for (const message of [CONNECTED, START, STOP])
      expect(await serializer.deserialize(message)).toBeUndefined();
    expect(logger.at('warn')).toEqual([]);
  });

  it('accepts the same text as bytes, as ws hands it over', async () => {
    const { serializer } = await setUp();
    expect(await serializer.deserialize(new TextEncoder().encode(dtmf('7')))).toEqual({
      type: 'input-dtmf',
      digit: '7',
    });
  });

  it('ignores what the call plays (outbound track)', async () => {
    const { serializer, logger } = await setUp();
    expect(
      await serializer.deserialize(media(Uint8Array.from([1, 2]), { track: 'outbound' })),
    ).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
  });

  it("warns once about another stream's id but still decodes (one socket, one stream)", async () => {
    const { serializer, logger } = await setUp();
    const foreign = (digit: string) => JSON.stringify({ ...JSON.parse(dtmf(digit)), streamSid: 'MZother' });
    expect(await serializer.deserialize(foreign('1'))).toEqual({ type: 'input-dtmf', digit: '1' });
    expect(await serializer.deserialize(foreign('2'))).toEqual({ type: 'input-dtmf', digit: '2' });
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toContain('"MZother"');
  });

  it('takes media without a track, or on inbound_track, as caller audio', async () => {
    const { serializer } = await setUp();
    const bare = JSON.stringify({
      event: 'media',
      media: { payload: Buffer.from([0x80]).toString('base64') },
    });
    expect(await serializer.deserialize(bare)).toMatchObject({
      type: 'input-audio',
      audio: Int16Array.from([32124]),
    });
    expect(
      await serializer.deserialize(media(Uint8Array.from([0x00]), { track: 'inbound_track' })),
    ).toMatchObject({
      type: 'input-audio',
      audio: Int16Array.from([-32124]),
    });
  });

  it('quotes at most 64 characters of an unknown event name in its warning', async () => {
    const { serializer, logger } = await setUp();
    const name = `x${'y'.repeat(100)}`;
    expect(await serializer.deserialize(JSON.stringify({ event: name }))).toBeUndefined();
    const [warning] = logger.at('warn');
    expect(warning).toContain(`"${name.slice(0, 64)}…"`);
    expect(warning).not.toContain(name.slice(0, 65));
  });

  it('refuses an oversized message before parsing it', async () => {
    const { serializer, logger } = await setUp();
    const huge = media(new Uint8Array(300 * 1024));
    expect(await serializer.deserialize(huge)).toBeUndefined();
    expect(await serializer.deserialize(new TextEncoder().encode(huge))).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toContain('limit');
  });

  it('warns once per kind of bad input and never throws', async () => {
    const { serializer, logger } = await setUp();
    const bad = [
      'not json',
      'not json either',
      JSON.stringify({ event: 'media', streamSid: STREAM_SID, media: { payload: '***' } }),
      JSON.stringify({ event: 'media', streamSid: STREAM_SID, media: { payload: '***' } }),
      JSON.stringify({ event: 'media', streamSid: STREAM_SID }),
      dtmf('E'),
      dtmf('12'),
      JSON.stringify({ event: 'mark', streamSid: STREAM_SID, mark: {} }),
      JSON.stringify({ event: 'surprise' }),
      JSON.stringify({ event: 42 }),
      'null',
      '[]',
      Uint8Array.from([0xff, 0xfe, 0x00]),
    ];
    for (const message of bad) expect(await serializer.deserialize(message)).toBeUndefined();
    const warnings = logger.at('warn');
    expect(warnings.filter((line) => line.includes('not JSON'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('malformed "media"'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('not standard padded base64'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('ignoring DTMF digit'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('could not handle'))).toEqual([]);
    expect(warnings.filter((line) => line.includes('malformed "mark"'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('unknown event'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('binary'))).toHaveLength(1);
  });

  it('drops media that arrives before setup()', async () => {
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, twilio, {});
    const serializer = createSerializer(container, 'twilio', {
      streamId: STREAM_SID,
      params: { autoHangUp: false },
    });
    expect(await serializer.deserialize(media(Uint8Array.from([1, 2, 3])))).toBeUndefined();
    expect(logger.at('warn')[0]).toContain('before setup');
  });
});

describe('TwilioFrameSerializer.serialize', () => {
  it('sends pipeline audio as base64 mu-law media with the streamSid', async () => {
    const { serializer } = await setUp();
    const message = outbound(
      await serializer.serialize(outputAudioFrame(Int16Array.from([32124, 0, -32124]), 8000)),
    );
    expect(message).toEqual({
      event: 'media',
      streamSid: STREAM_SID,
      media: { payload: Buffer.from([0x80, 0xff, 0x00]).toString('base64') },
    });
  });

  it('resamples 24 kHz audio to 8 kHz continuously across frames', async () => {
    const { serializer } = await setUp();
    const sent = tone({ frequencyHz: 1000, durationMs: 300, sampleRate: 24000 });
    const received: number[] = [];
    for (let offset = 0; offset < sent.length; offset += 480) {
      const message = await serializer.serialize(outputAudioFrame(sent.slice(offset, offset + 480), 24000));
      if (message !== undefined) {
        const media = outbound(message);
        if (media.event === 'media')
          received.push(...mulawDecode(Buffer.from(media.media.payload, 'base64')));
      }
    }
    expect(received.length).toBeGreaterThan(sent.length / 3 - 40);
    expect(toneSnrDb(Int16Array.from(received).subarray(100), 1000, 8000)).toBeGreaterThan(30);
  });

  it('sends clear on interruption and drops what the resampler held', async () => {
    const { serializer } = await setUp();
    const loud = new Int16Array(480).fill(20000);
    await serializer.serialize(outputAudioFrame(loud, 16000));
    expect(outbound(await serializer.serialize(interruptionFrame()))).toEqual({
      event: 'clear',
      streamSid: STREAM_SID,
    });
    const silent = outbound(await serializer.serialize(outputAudioFrame(new Int16Array(480), 16000)));
    // After the reset no sample of the loud audio may leak into the first silent message.
    const decoded = silent.event === 'media' ? mulawDecode(Buffer.from(silent.media.payload, 'base64')) : [];
    expect(Math.max(...Array.from(decoded, Math.abs))).toBeLessThan(200);
  });

  it('sends a checkpoint as a mark, passes transport messages through, and plays output DTMF as in-band tones', async () => {
    const { serializer, logger } = await setUp();
    expect(outbound(await serializer.serialize(checkpointFrame('greeting')))).toEqual({
      event: 'mark',
      streamSid: STREAM_SID,
      mark: { name: 'greeting' },
    });
    const custom = { event: 'mark', streamSid: STREAM_SID, mark: { name: 'x"y' } };
    expect(await serializer.serialize(transportMessageFrame(custom, { urgent: true }))).toBe(
      JSON.stringify(custom),
    );
    // Media Streams has no DTMF message: the keys go out as Q.23 tones in the audio.
    const tones = await serializer.serialize(outputDtmfFrame('123'));
    const messages = (Array.isArray(tones) ? tones : [tones]).map((message) => outbound(message));
    const heard = messages.flatMap((message) =>
      message.event === 'media' ? Array.from(mulawDecode(Buffer.from(message.media.payload, 'base64'))) : [],
    );
    expect(detectDtmf(Int16Array.from(heard), 8000)).toBe('123');
    expect(logger.at('warn')).toHaveLength(0);
    expect(await serializer.serialize(startFrame({ audioInSampleRate: 8000 }))).toBeUndefined();
  });

  it('never throws on a transport message JSON cannot encode', async () => {
    const { serializer, logger } = await setUp();
    expect(await serializer.serialize(transportMessageFrame({ n: 10n }))).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
  });
});

describe('TwilioFrameSerializer hang-up', () => {
  it('hangs up once, with Status=completed and basic auth, when end and cancel both arrive', async () => {
    const { serializer, api } = await setUp();
    expect(await serializer.serialize(endFrame())).toBeUndefined();
    expect(await serializer.serialize(cancelFrame())).toBeUndefined();
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${CALL_SID}.json`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ Status: 'completed' });
    expect(parseBasicAuth(request?.headers.authorization)).toEqual({
      user: ACCOUNT_SID,
      password: AUTH_TOKEN,
    });
  });

  it('does not hang up with autoHangUp off', async () => {
    const { serializer, api } = await setUp({ autoHangUp: false });
    await serializer.serialize(endFrame());
    expect(api.requests).toHaveLength(0);
  });

  it('returns within the deadline when Twilio never answers', async () => {
    const { serializer, api, logger } = await setUp({ hangUpTimeoutMs: 300 });
    api.setFault({ hang: true });
    const started = Date.now();
    await (serializer as FrameSerializer).serialize(cancelFrame());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(logger.at('error')[0]).toContain('[twilio] hang-up failed');
    expect(logger.lines.map((line) => line.text).join('\n')).not.toContain(AUTH_TOKEN);
  });
});

describe('the pure contract (createWireSerializer): exact messages, no I/O', () => {
  function wireCall() {
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, twilio, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const serializer = createWireSerializer(container, 'twilio', { streamId: STREAM_SID, callId: CALL_SID });
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    return { serializer, logger };
  }

  it('gives exactly one message per audio frame, clear and mark, media for output DTMF, and none for end and cancel', () => {
    const { serializer } = wireCall();
    expect(serializer.autoHangUp).toBe(true);
    expect(serializer.serialize(outputAudioFrame(Int16Array.from([32124, 0]), 8000))).toEqual([
      JSON.stringify({ event: 'media', streamSid: STREAM_SID, media: { payload: 'gP8=' } }),
    ]);
    expect(serializer.serialize(interruptionFrame())).toEqual([
      JSON.stringify({ event: 'clear', streamSid: STREAM_SID }),
    ]);
    expect(serializer.serialize(checkpointFrame('m1'))).toEqual([
      JSON.stringify({ event: 'mark', streamSid: STREAM_SID, mark: { name: 'm1' } }),
    ]);
    const keyTone = serializer.serialize(outputDtmfFrame('1'));
    expect(keyTone.length).toBeGreaterThan(0);
    for (const message of keyTone) expect(JSON.parse(String(message)).event).toBe('media');
    // The hang-up is the runtime's (or createSerializer's) job: end and cancel put nothing on the wire.
    expect(serializer.serialize(endFrame())).toEqual([]);
    expect(serializer.serialize(cancelFrame())).toEqual([]);
  });

  it('gives a frame array for a message, and none for connected, start and stop', () => {
    const { serializer } = wireCall();
    expect(serializer.deserialize(dtmf('5'))).toEqual([{ type: 'input-dtmf', digit: '5' }]);
    for (const message of [CONNECTED, START, STOP]) expect(serializer.deserialize(message)).toEqual([]);
  });

  it('drops a media payload over the 262,144-character limit with one warning, and takes one at it', () => {
    const { serializer, logger } = wireCall();
    // Both messages are under the 278,528-character message limit: the payload limit decides.
    expect(serializer.deserialize(media(new Uint8Array((256 * 1024 * 3) / 4)))).toHaveLength(1);
    expect(logger.at('warn')).toEqual([]);
    expect(serializer.deserialize(media(new Uint8Array((256 * 1024 * 3) / 4 + 3)))).toEqual([]);
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]).toContain('262148-character media payload (limit 262144)');
  });
});

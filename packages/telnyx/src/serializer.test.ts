import { alawDecode, alawEncode, mulawDecode, mulawEncode } from '@callwire/codec';
import {
  cancelFrame,
  checkpointFrame,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  endFrame,
  type Frame,
  interruptionFrame,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  startFrame,
  transportMessageFrame,
} from '@callwire/core';
import { type FakeCarrierApi, recordingLogger } from '@callwire/testing';
import { tone, toneSnrDb } from '@callwire/testing/audio';
import { afterEach, describe, expect, it } from 'vitest';
import { telnyx } from './carrier.js';
import { TelnyxOutboundEventSchema } from './events.js';
import type { TelnyxCallParams } from './options.js';
import { startFakeTelnyxApi } from './testing/fake-api.js';

const API_KEY = 'KEY0123456789ABCDEF_telnyx-test-key';
const STREAM_ID = '32DE0DEA-53CB-4B21-89A4-9E1819C043BC';
const CALL_CONTROL_ID = 'v3:T02llQxIyaRkhfRKxgAP8nY511EhFLizdvdUKJiSw8d6A9BborherQ';

// Messages exactly as Telnyx documents them (developers.telnyx.com/docs/voice/programmable-voice/media-streaming).
const CONNECTED = JSON.stringify({ event: 'connected', version: '1.0.0' });
const start = (encoding: string) =>
  JSON.stringify({
    event: 'start',
    sequence_number: '1',
    start: {
      user_id: '3E6F995F-85F7-4705-9741-53B116D28237',
      call_control_id: CALL_CONTROL_ID,
      call_session_id: 'ff55a038-6f5d-11ef-9692-02420aeffb1f',
      from: '+13122010094',
      to: '+13122123456',
      tags: ['TAG1', 'TAG2'],
      client_state: 'aGF2ZSBhIG5pY2UgZGF5ID1d',
      media_format: { encoding, sample_rate: 8000, channels: 1 },
    },
    stream_id: STREAM_ID,
  });
function media(bytes: Uint8Array, track = 'inbound'): string {
  return JSON.stringify({
    event: 'media',
    sequence_number: '4',
    media: { track, chunk: '2', timestamp: '5', payload: Buffer.from(bytes).toString('base64') },
    stream_id: STREAM_ID,
  });
}
const dtmf = (digit: string) =>
  JSON.stringify({
    event: 'dtmf',
    stream_id: STREAM_ID,
    occurred_at: '2025-06-05T08:54:19.698408Z',
    sequence_number: '5',
    dtmf: { digit },
  });
const MARK = JSON.stringify({
  event: 'mark',
  stream_id: STREAM_ID,
  sequence_number: '5',
  mark: { name: 'some_mark_name' },
});
const STOP = JSON.stringify({
  event: 'stop',
  sequence_number: '5',
  stop: { user_id: '3E6F995F-85F7-4705-9741-53B116D28237', call_control_id: CALL_CONTROL_ID },
  stream_id: STREAM_ID,
});
const ERROR = JSON.stringify({
  event: 'error',
  payload: { code: 100003, title: 'malformed_frame', detail: 'Received frame was not formed correctly' },
  stream_id: STREAM_ID,
});

const apis: FakeCarrierApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((api) => api.close()));
});

async function setUp(
  params: TelnyxCallParams = {},
  options: { sampleRate?: number; hangUpTimeoutMs?: number } = {},
) {
  const api = await startFakeTelnyxApi({ apiKey: API_KEY });
  apis.push(api);
  const logger = recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, telnyx, {
    apiKey: API_KEY,
    apiBaseUrl: api.url,
    hangUpTimeoutMs: options.hangUpTimeoutMs ?? 2000,
  });
  const serializer = createSerializer(container, 'telnyx', {
    streamId: STREAM_ID,
    callId: CALL_CONTROL_ID,
    params,
  });
  await serializer.setup(startFrame({ audioInSampleRate: options.sampleRate ?? 8000 }));
  return { api, logger, serializer };
}

/** What one message gives through the Pipecat-shaped serializer: one frame alone, never in an array. */
async function oneFrame(result: Promise<Frame | Frame[] | undefined>): Promise<Frame | undefined> {
  const value = await result;
  expect(Array.isArray(value)).toBe(false);
  return value as Frame | undefined;
}

function outbound(message: unknown) {
  expect(typeof message).toBe('string');
  return TelnyxOutboundEventSchema.parse(JSON.parse(message as string));
}

describe('TelnyxFrameSerializer.deserialize', () => {
  it('decodes PCMU by default, exactly at 8 kHz', async () => {
    const { serializer } = await setUp();
    const frame = await serializer.deserialize(media(Uint8Array.from([0x80, 0xff, 0x00])));
    expect(frame).toEqual({
      type: 'input-audio',
      audio: Int16Array.from([32124, 0, -32124]),
      sampleRate: 8000,
      numChannels: 1,
    });
  });

  it('decodes PCMA when inboundEncoding says so (A-law 0xD5 → 8, 0x55 → -8, 0xAA → 32256)', async () => {
    const { serializer } = await setUp({ inboundEncoding: 'PCMA' });
    const frame = await serializer.deserialize(media(Uint8Array.from([0xd5, 0x55, 0xaa])));
    expect(frame).toEqual({
      type: 'input-audio',
      audio: Int16Array.from([8, -8, 32256]),
      sampleRate: 8000,
      numChannels: 1,
    });
  });

  it('follows the encoding the start message announces, with a warning when params disagree', async () => {
    const { serializer, logger } = await setUp({ inboundEncoding: 'PCMU' });
    expect(await serializer.deserialize(start('PCMA'))).toBeUndefined();
    const pcm = tone({ frequencyHz: 500, durationMs: 40, sampleRate: 8000 });
    const frame = await oneFrame(serializer.deserialize(media(alawEncode(pcm))));
    expect(frame?.type === 'input-audio' && Array.from(frame.audio)).toEqual(
      Array.from(alawDecode(alawEncode(pcm))),
    );
    expect(logger.at('warn').join('\n')).toContain('start announces PCMA');
  });

  it('resamples caller audio to the pipeline rate, keeping a tone clean', async () => {
    const { serializer } = await setUp({}, { sampleRate: 16000 });
    const sent = tone({ frequencyHz: 440, durationMs: 400, sampleRate: 8000 });
    const received: number[] = [];
    for (let offset = 0; offset < sent.length; offset += 160) {
      const frame = await oneFrame(
        serializer.deserialize(media(mulawEncode(sent.subarray(offset, offset + 160)))),
      );
      if (frame?.type === 'input-audio') received.push(...frame.audio);
    }
    expect(received.length).toBeGreaterThan(2 * sent.length - 100);
    expect(toneSnrDb(Int16Array.from(received).subarray(200), 440, 16000)).toBeGreaterThan(30);
  });

  it('turns dtmf into input-dtmf and a mark echo into checkpoint-reached', async () => {
    const { serializer } = await setUp();
    for (const digit of ['1', '0', '*', '#', 'B']) {
      expect(await serializer.deserialize(dtmf(digit))).toEqual({ type: 'input-dtmf', digit });
    }
    expect(await serializer.deserialize(MARK)).toEqual({
      type: 'checkpoint-reached',
      name: 'some_mark_name',
    });
  });

  it('emits nothing for connected, start and stop, and logs an error frame as a warning', async () => {
    const { serializer, logger } = await setUp();
    for (const message of [CONNECTED, start('PCMU'), STOP])
      expect(await serializer.deserialize(message)).toBeUndefined();
    expect(logger.at('warn')).toEqual([]);
    expect(await serializer.deserialize(ERROR)).toBeUndefined();
    // The SDK docs' variant: details under `error`, code as a string.
    const asyncApiError = JSON.stringify({
      event: 'error',
      sequence_number: '6',
      stream_id: STREAM_ID,
      error: { title: 'rate_limit_reached', code: '100005', detail: 'Too many requests' },
    });
    expect(await serializer.deserialize(asyncApiError)).toBeUndefined();
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('100003');
    expect(warnings[0]).toContain('malformed_frame');
    expect(warnings[1]).toContain('rate_limit_reached');
  });

  it('ignores the outbound track', async () => {
    const { serializer, logger } = await setUp();
    expect(await serializer.deserialize(media(Uint8Array.from([1, 2]), 'outbound'))).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
  });

  it("warns once about another stream's id but still decodes (one socket, one stream)", async () => {
    const { serializer, logger } = await setUp();
    const foreign = (digit: string) => JSON.stringify({ ...JSON.parse(dtmf(digit)), stream_id: 'other' });
    expect(await serializer.deserialize(foreign('1'))).toEqual({ type: 'input-dtmf', digit: '1' });
    expect(await serializer.deserialize(foreign('2'))).toEqual({ type: 'input-dtmf', digit: '2' });
    expect(logger.at('warn')).toHaveLength(1);
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
    expect(await serializer.deserialize(media(Uint8Array.from([0x00]), 'inbound_track'))).toMatchObject({
      type: 'input-audio',
      audio: Int16Array.from([-32124]),
    });
  });

  it('keeps decoding the params encoding when start announces one it cannot decode', async () => {
    const { serializer, logger } = await setUp({ inboundEncoding: 'PCMA' });
    expect(await serializer.deserialize(start('G722'))).toBeUndefined();
    expect(await serializer.deserialize(media(Uint8Array.from([0xd5])))).toMatchObject({
      audio: Int16Array.from([8]),
    });
    expect(logger.at('warn').join('\n')).toContain('"G722"');
    // Announcing what the params already say is silent.
    const quiet = await setUp({ inboundEncoding: 'PCMU' });
    await quiet.serializer.deserialize(start('audio/x-mulaw'));
    expect(quiet.logger.at('warn')).toEqual([]);
  });

  it('names the error code, or "unknown", in the warning for an error frame', async () => {
    const { serializer, logger } = await setUp();
    await serializer.deserialize(JSON.stringify({ event: 'error', stream_id: STREAM_ID }));
    expect(logger.at('warn')[0]).toContain('stream error "unknown"');
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
      '{"event":',
      JSON.stringify({ event: 'media', stream_id: STREAM_ID, media: { payload: 'a-b_' } }),
      JSON.stringify({ event: 'media', stream_id: STREAM_ID, media: { payload: 'a-b_' } }),
      dtmf('x'),
      dtmf(''),
      JSON.stringify({ event: 'start', stream_id: STREAM_ID, start: {} }),
      JSON.stringify({ event: 'streaming.started' }),
      JSON.stringify({ event: ['media'] }),
      'null',
      Uint8Array.from([0xc3, 0x28]),
    ];
    for (const message of bad) expect(await serializer.deserialize(message)).toBeUndefined();
    const warnings = logger.at('warn');
    expect(warnings.filter((line) => line.includes('not JSON'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('not standard padded base64'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('ignoring DTMF digit'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('could not handle'))).toEqual([]);
    expect(warnings.filter((line) => line.includes('malformed "start"'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('unknown event'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes('binary'))).toHaveLength(1);
  });
});

describe('TelnyxFrameSerializer.serialize', () => {
  it('sends audio as media without a stream id, in outboundEncoding (default: inboundEncoding)', async () => {
    const pcm = Int16Array.from([32124, 0, -32124]);
    const mu = await setUp();
    expect(outbound(await mu.serializer.serialize(outputAudioFrame(pcm, 8000)))).toEqual({
      event: 'media',
      media: { payload: Buffer.from([0x80, 0xff, 0x00]).toString('base64') },
    });
    const a = await setUp({ inboundEncoding: 'PCMA' });
    const aMessage = outbound(await a.serializer.serialize(outputAudioFrame(pcm, 8000)));
    expect(aMessage.event === 'media' && aMessage.media.payload).toBe(
      Buffer.from(alawEncode(pcm)).toString('base64'),
    );
    const mixed = await setUp({ inboundEncoding: 'PCMA', outboundEncoding: 'PCMU' });
    const mixedMessage = outbound(await mixed.serializer.serialize(outputAudioFrame(pcm, 8000)));
    expect(mixedMessage.event === 'media' && mixedMessage.media.payload).toBe(
      Buffer.from(mulawEncode(pcm)).toString('base64'),
    );
  });

  it('resamples 16 kHz audio to 8 kHz continuously across frames', async () => {
    const { serializer } = await setUp({ outboundEncoding: 'PCMA' });
    const sent = tone({ frequencyHz: 1000, durationMs: 300, sampleRate: 16000 });
    const received: number[] = [];
    for (let offset = 0; offset < sent.length; offset += 320) {
      const message = await serializer.serialize(outputAudioFrame(sent.slice(offset, offset + 320), 16000));
      if (message !== undefined) {
        const parsed = outbound(message);
        if (parsed.event === 'media')
          received.push(...alawDecode(Buffer.from(parsed.media.payload, 'base64')));
      }
    }
    expect(received.length).toBeGreaterThan(sent.length / 2 - 40);
    expect(toneSnrDb(Int16Array.from(received).subarray(100), 1000, 8000)).toBeGreaterThan(30);
  });

  it('sends clear on interruption, mark for a checkpoint, passes transport messages, drops output DTMF', async () => {
    const { serializer, logger } = await setUp();
    await serializer.serialize(outputAudioFrame(new Int16Array(480).fill(20000), 16000));
    expect(outbound(await serializer.serialize(interruptionFrame()))).toEqual({ event: 'clear' });
    const silent = outbound(await serializer.serialize(outputAudioFrame(new Int16Array(480), 16000)));
    const decoded = silent.event === 'media' ? mulawDecode(Buffer.from(silent.media.payload, 'base64')) : [];
    expect(Math.max(...Array.from(decoded, Math.abs))).toBeLessThan(200);
    expect(outbound(await serializer.serialize(checkpointFrame('greeting')))).toEqual({
      event: 'mark',
      mark: { name: 'greeting' },
    });
    expect(await serializer.serialize(transportMessageFrame({ event: 'clear' }))).toBe('{"event":"clear"}');
    // No DTMF message on Telnyx's stream: the keys go in band, as media.
    const tones = [await serializer.serialize(outputDtmfFrame('12'))].flat() as string[];
    expect(tones.map((message) => JSON.parse(message).event)).toEqual(tones.map(() => 'media'));
    expect(logger.at('warn')).toHaveLength(0);
  });
});

describe('TelnyxFrameSerializer hang-up', () => {
  it('hangs up once, with the bearer key, when end and cancel both arrive', async () => {
    const { serializer, api } = await setUp();
    await serializer.serialize(endFrame());
    await serializer.serialize(cancelFrame());
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/v2/calls/${CALL_CONTROL_ID}/actions/hangup`);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('does not hang up with autoHangUp off, and gives up at the deadline when Telnyx stalls', async () => {
    const off = await setUp({ autoHangUp: false });
    await off.serializer.serialize(endFrame());
    expect(off.api.requests).toHaveLength(0);
    const stalled = await setUp({}, { hangUpTimeoutMs: 300 });
    stalled.api.setFault({ hang: true });
    const started = Date.now();
    await stalled.serializer.serialize(endFrame());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(stalled.logger.at('error')[0]).toContain('[telnyx] hang-up failed');
    expect(stalled.logger.lines.map((line) => line.text).join('\n')).not.toContain(API_KEY);
  });
});

describe('the pure contract (createWireSerializer): exact messages, no I/O', () => {
  async function wireCall(params: TelnyxCallParams = {}) {
    const api = await startFakeTelnyxApi({ apiKey: API_KEY });
    apis.push(api);
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, telnyx, { apiKey: API_KEY, apiBaseUrl: api.url });
    const serializer = createWireSerializer(container, 'telnyx', {
      streamId: STREAM_ID,
      callId: CALL_CONTROL_ID,
      params,
    });
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    return { serializer, logger, api };
  }

  it('gives one media, clear and mark message each, in-band media for output DTMF, and none for end and cancel', async () => {
    const { serializer, api } = await wireCall();
    expect(serializer.autoHangUp).toBe(true);
    expect(serializer.serialize(outputAudioFrame(Int16Array.from([32124, 0, -32124]), 8000))).toEqual([
      '{"event":"media","media":{"payload":"gP8A"}}',
    ]);
    expect(serializer.serialize(interruptionFrame())).toEqual(['{"event":"clear"}']);
    expect(serializer.serialize(checkpointFrame('m1'))).toEqual(['{"event":"mark","mark":{"name":"m1"}}']);
    expect(
      serializer.serialize(outputDtmfFrame('1')).every((m) => JSON.parse(m as string).event === 'media'),
    ).toBe(true);
    // The hang-up is the runtime's (or createSerializer's) job: end and cancel put nothing on the wire.
    expect(serializer.serialize(endFrame())).toEqual([]);
    expect(serializer.serialize(cancelFrame())).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it('gives a frame array per message, and none for connected, start, stop and error', async () => {
    const { serializer } = await wireCall();
    expect(serializer.deserialize(dtmf('5'))).toEqual([{ type: 'input-dtmf', digit: '5' }]);
    expect(serializer.deserialize(MARK)).toEqual([{ type: 'checkpoint-reached', name: 'some_mark_name' }]);
    for (const message of [CONNECTED, start('PCMU'), STOP, ERROR])
      expect(serializer.deserialize(message)).toEqual([]);
  });

  it('decodes inboundEncoding and encodes outboundEncoding in the same call when they differ', async () => {
    const { serializer } = await wireCall({ inboundEncoding: 'PCMA', outboundEncoding: 'PCMU' });
    expect(serializer.deserialize(media(Uint8Array.from([0xd5, 0xaa])))).toEqual([
      { type: 'input-audio', audio: Int16Array.from([8, 32256]), sampleRate: 8000, numChannels: 1 },
    ]);
    const pcm = Int16Array.from([32124, 0, -32124]);
    expect(serializer.serialize(outputAudioFrame(pcm, 8000))).toEqual([
      JSON.stringify({
        event: 'media',
        media: { payload: Buffer.from(mulawEncode(pcm)).toString('base64') },
      }),
    ]);
    // A start announcing PCMU switches what is decoded, not what is sent.
    serializer.deserialize(start('PCMU'));
    expect(serializer.deserialize(media(Uint8Array.from([0x80])))).toMatchObject([
      { audio: Int16Array.from([32124]) },
    ]);
    expect(serializer.serialize(outputAudioFrame(pcm, 8000))).toEqual([
      JSON.stringify({
        event: 'media',
        media: { payload: Buffer.from(mulawEncode(pcm)).toString('base64') },
      }),
    ]);
  });

  it('drops a media payload over the 262,144-character limit with one warning, and takes one at it', async () => {
    const { serializer, logger } = await wireCall();
    // Both messages are under the 278,528-character message limit: the payload limit decides.
    expect(serializer.deserialize(media(new Uint8Array((256 * 1024 * 3) / 4)))).toHaveLength(1);
    expect(logger.at('warn')).toEqual([]);
    expect(serializer.deserialize(media(new Uint8Array((256 * 1024 * 3) / 4 + 3)))).toEqual([]);
    expect(logger.at('warn')).toEqual([
      expect.stringContaining('[telnyx] ignoring a 262148-character media payload (limit 262144)'),
    ]);
  });

  it("warns in the kit's words: audio before setup, output DTMF, start encodings", async () => {
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, telnyx, {});
    const serializer = createWireSerializer(container, 'telnyx', {
      streamId: STREAM_ID,
      params: { autoHangUp: false },
    });
    expect(serializer.deserialize(media(Uint8Array.from([0x80])))).toEqual([]);
    expect(serializer.serialize(outputDtmfFrame('12')).length).toBeGreaterThan(0);
    serializer.deserialize(start('G722'));
    serializer.deserialize(start('PCMA'));
    expect(logger.at('warn')).toEqual([
      expect.stringContaining('[telnyx] dropping audio received before setup()'),
      expect.stringContaining('[telnyx] start announces "G722"; decoding as PCMU'),
      expect.stringContaining(
        '[telnyx] start announces PCMA, params say inboundEncoding PCMU; decoding PCMA',
      ),
    ]);
  });
});

import {
  cancelFrame,
  checkpointFrame,
  createCallwireContainer,
  createSerializer,
  DTMF_DIGITS,
  endFrame,
  type Frame,
  inputAudioFrame,
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
import { plivo } from './carrier.js';
import { PlivoPlayAudioSchema } from './events.js';
import type { PlivoCallParams } from './options.js';
import { startFakePlivoApi } from './testing/fake-api.js';

const AUTH_ID = 'MAXXXXXXXXXXXXXXXXXX';
const AUTH_TOKEN = 'plivo-test-token-0123456789abcdef';
const CALL_ID = '12345678-1234-1234-1234-123456789abc';
const STREAM_ID = '87654321-4321-4321-4321-cba987654321';

// Independent G.711 mu-law oracle: the classic Sun g711.c, written out here.
function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}
const SEG_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
function linearToUlaw(sample: number): number {
  let value = sample >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  value = Math.min(value, 8159) + 0x21;
  const segment = SEG_END.findIndex((end) => value <= end);
  if (segment < 0) return 0x7f ^ mask;
  return ((segment << 4) | ((value >> (segment + 1)) & 0xf)) ^ mask;
}
const oracleDecode = (bytes: Uint8Array) => Int16Array.from(bytes, ulawToLinear);
const oracleEncode = (pcm: Int16Array) => Uint8Array.from(pcm, linearToUlaw);

function l16Le(pcm: Int16Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  pcm.forEach((sample, index) => {
    bytes[index * 2] = sample & 0xff;
    bytes[index * 2 + 1] = (sample >> 8) & 0xff;
  });
  return bytes;
}
function fromL16Le(bytes: Uint8Array): Int16Array {
  const pcm = new Int16Array(bytes.length / 2);
  for (let i = 0; i < pcm.length; i++) pcm[i] = ((bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16) >> 16;
  return pcm;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const media = (payload: Uint8Array, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event: 'media',
    sequenceNumber: 3,
    streamId: STREAM_ID,
    media: { track: 'inbound', timestamp: '1705312200000', chunk: 2, payload: b64(payload) },
    extra_headers: 'userId=12345;sessionId=abc-xyz',
    ...extra,
  });
const dtmf = (digit: unknown) =>
  JSON.stringify({
    event: 'dtmf',
    sequenceNumber: 7,
    streamId: STREAM_ID,
    dtmf: { track: 'inbound', digit, timestamp: '1' },
  });

let api: FakeCarrierApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function newCall(
  params: PlivoCallParams = {},
  options: { pipelineRate?: number; setup?: boolean } = {},
) {
  api = await startFakePlivoApi({ authId: AUTH_ID, authToken: AUTH_TOKEN });
  const logger = recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, plivo, {
    authId: AUTH_ID,
    authToken: AUTH_TOKEN,
    apiBaseUrl: api.url,
    hangUpTimeoutMs: 2000,
  });
  const serializer = createSerializer(container, 'plivo', {
    streamId: STREAM_ID,
    callId: CALL_ID,
    params,
  });
  if (options.setup !== false)
    await serializer.setup(startFrame({ audioInSampleRate: options.pipelineRate ?? 8000 }));
  return { serializer, logger, api };
}

function playAudio(message: unknown) {
  expect(typeof message).toBe('string');
  return PlivoPlayAudioSchema.parse(JSON.parse(message as string));
}

function audioOf(result: Frame | Frame[] | undefined): Int16Array {
  // One media message gives one frame: the Pipecat-shaped serializer returns it alone, not in an array.
  const frame = Array.isArray(result) ? undefined : result;
  if (frame?.type !== 'input-audio') throw new Error(`expected input-audio, got ${frame?.type}`);
  return frame.audio;
}

function chunks(pcm: Int16Array, size: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let offset = 0; offset < pcm.length; offset += size) out.push(pcm.subarray(offset, offset + size));
  return out;
}

function joined(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe('setup', () => {
  it('takes the pipeline rate from params.sampleRate first, then from the start frame', async () => {
    const bytes = oracleEncode(tone({ frequencyHz: 440, durationMs: 20, sampleRate: 8000 }));
    const { serializer } = await newCall({ sampleRate: 16000 }, { pipelineRate: 24000 });
    expect(await serializer.deserialize(media(bytes))).toMatchObject({
      type: 'input-audio',
      sampleRate: 16000,
    });
    const other = await newCall({}, { pipelineRate: 24000 });
    expect(await other.serializer.deserialize(media(bytes))).toMatchObject({
      type: 'input-audio',
      sampleRate: 24000,
    });
  });
});

describe('deserialize: media', () => {
  it('decodes mu-law exactly (G.711) into a mono input-audio frame at 8 kHz', async () => {
    const { serializer, logger } = await newCall();
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    const frame = await serializer.deserialize(media(bytes));
    expect(frame).toMatchObject({ type: 'input-audio', sampleRate: 8000, numChannels: 1 });
    expect(Array.from(audioOf(frame))).toEqual(Array.from(oracleDecode(bytes)));
    expect(logger.lines.filter((line) => line.level !== 'debug')).toEqual([]);
  });

  it('resamples 8 kHz caller audio to a 16 kHz pipeline without harming a tone', async () => {
    const { serializer } = await newCall({}, { pipelineRate: 16000 });
    const sent = tone({ frequencyHz: 1000, durationMs: 400, sampleRate: 8000, dbfs: -6 });
    const received: Int16Array[] = [];
    for (const chunk of chunks(sent, 160))
      received.push(audioOf(await serializer.deserialize(media(oracleEncode(chunk)))));
    const audio = joined(received);
    expect(Math.abs(audio.length - 6400)).toBeLessThanOrEqual(48); // within the resampler's 3 ms delay
    expect(toneSnrDb(audio.subarray(160), 1000, 16000)).toBeGreaterThan(30);
  });

  it('decodes L16 as little-endian at 16 kHz', async () => {
    const { serializer } = await newCall(
      { contentType: 'audio/x-l16', plivoSampleRate: 16000 },
      { pipelineRate: 16000 },
    );
    const pcm = Int16Array.from([0x0102, -2, 32767, -32768, 0, 1]);
    const bytes = l16Le(pcm);
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x02, 0x01]);
    const frame = await serializer.deserialize(media(bytes));
    expect(frame).toMatchObject({ type: 'input-audio', sampleRate: 16000 });
    expect(Array.from(audioOf(frame))).toEqual(Array.from(pcm));
  });

  it('returns undefined for an empty payload, without a warning', async () => {
    const { serializer, logger } = await newCall();
    expect(await serializer.deserialize(media(new Uint8Array(0)))).toBeUndefined();
    expect(logger.at('warn')).toEqual([]);
  });

  it('decodes the whole samples of an L16 payload of an odd number of bytes, with a warning', async () => {
    const { serializer, logger } = await newCall({ contentType: 'audio/x-l16' });
    expect(audioOf(await serializer.deserialize(media(new Uint8Array([1, 0, 7]))))).toEqual(Int16Array.of(1));
    expect(await serializer.deserialize(media(new Uint8Array(1)))).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
  });

  it('ignores media of the outbound track; decodes media naming another stream, warning once', async () => {
    const { serializer, logger } = await newCall();
    const bytes = new Uint8Array(160).fill(0xff);
    const outbound = JSON.stringify({
      event: 'media',
      streamId: STREAM_ID,
      media: { track: 'outbound', payload: b64(bytes) },
    });
    expect(await serializer.deserialize(outbound)).toBeUndefined();
    // One socket carries one stream: a different id is a slip, and the call's audio must not be lost.
    expect(await serializer.deserialize(media(bytes, { streamId: 'someone-else' }))).toMatchObject({
      type: 'input-audio',
    });
    expect(await serializer.deserialize(media(bytes, { streamId: 'someone-else' }))).toMatchObject({
      type: 'input-audio',
    });
    expect(logger.at('warn')).toHaveLength(2);
    expect(logger.at('warn')[1]).toMatch(/names stream "someone-else", not this call's; decoding it anyway/);
    expect(await serializer.deserialize(media(bytes))).toMatchObject({ type: 'input-audio' });
  });

  it('drops media that arrives before setup, with one warning', async () => {
    const { serializer, logger } = await newCall({}, { setup: false });
    const bytes = new Uint8Array(160).fill(0xff);
    expect(await serializer.deserialize(media(bytes))).toBeUndefined();
    expect(await serializer.deserialize(media(bytes))).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
    await serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    expect(await serializer.deserialize(media(bytes))).toMatchObject({ type: 'input-audio' });
  });

  it('decodes what start.mediaFormat announces when it differs from the params', async () => {
    const { serializer, logger } = await newCall({}, { pipelineRate: 16000 });
    const start = {
      event: 'start',
      sequenceNumber: 1,
      start: {
        callId: CALL_ID,
        streamId: STREAM_ID,
        accountId: AUTH_ID,
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000 },
      },
      extra_headers: '',
    };
    expect(await serializer.deserialize(JSON.stringify(start))).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
    const pcm = Int16Array.from([100, -100, 200, -200]);
    expect(Array.from(audioOf(await serializer.deserialize(media(l16Le(pcm)))))).toEqual(Array.from(pcm));
  });
});

describe('deserialize: DTMF, checkpoints and acknowledgements', () => {
  it('turns each of the sixteen keys into input-dtmf', async () => {
    const { serializer } = await newCall();
    for (const digit of DTMF_DIGITS) {
      expect(await serializer.deserialize(dtmf(digit))).toEqual({ type: 'input-dtmf', digit });
    }
  });

  it('ignores a DTMF digit outside 0-9*#A-D with one warning', async () => {
    const { serializer, logger } = await newCall();
    for (const digit of ['E', 'a', '10', '', ' ', '٣', 5, null]) {
      expect(await serializer.deserialize(dtmf(digit))).toBeUndefined();
    }
    // One warning for bad digits, one for a digit of the wrong type (5, null).
    expect(logger.at('warn')).toHaveLength(2);
  });

  it('turns playedStream (and the older played) into checkpoint-reached', async () => {
    const { serializer } = await newCall();
    for (const event of ['playedStream', 'played']) {
      const message = JSON.stringify({
        event,
        sequenceNumber: 9,
        streamId: STREAM_ID,
        name: 'greeting done',
      });
      expect(await serializer.deserialize(message)).toEqual({
        type: 'checkpoint-reached',
        name: 'greeting done',
      });
    }
  });

  it('accepts clearedAudio and stop quietly', async () => {
    const { serializer, logger } = await newCall();
    expect(
      await serializer.deserialize(
        JSON.stringify({ sequenceNumber: 0, event: 'clearedAudio', streamId: STREAM_ID }),
      ),
    ).toBeUndefined();
    expect(
      await serializer.deserialize(JSON.stringify({ event: 'stop', streamId: STREAM_ID })),
    ).toBeUndefined();
    expect(logger.at('warn')).toEqual([]);
  });
});

describe('deserialize: hostile input', () => {
  const hostile: (string | Uint8Array)[] = [
    '',
    'not json',
    '{"event":',
    'null',
    '42',
    '"media"',
    '[]',
    '[{"event":"media"}]',
    '{}',
    '{"event":42}',
    '{"event":"Media"}',
    '{"event":"connected"}',
    '{"event":"__proto__","__proto__":{"polluted":true}}',
    '{"event":"media"}',
    '{"event":"media","media":null}',
    '{"event":"media","media":{"payload":42}}',
    '{"event":"media","media":{"payload":"!!!not base64!!!"}}',
    `{"event":"media","streamId":"${STREAM_ID}","media":{"payload":"AAA"}}`,
    '{"event":"dtmf","dtmf":"5"}',
    '{"event":"playedStream"}',
    '{"event":"playedStream","name":""}',
    '{"event":"start","start":{}}',
    `{"event":"media","streamId":"${STREAM_ID}","media":{"payload":"${'A'.repeat(8)}","chunk":"x"}}`,
    new Uint8Array([0xff, 0xfe, 0x00, 0x80]),
    new Uint8Array(0),
    `{"event":"media","media":{"payload":"${'!'.repeat(2_000_000)}"}}`,
    // Valid base64, but megabytes of it: no Plivo chunk is that long.
    `{"event":"media","media":{"payload":"${'/'.repeat(2_000_000)}"}}`,
    `{"event":"media","media":{"payload":"${'/'.repeat(263_000)}"}}`,
  ];

  it('returns undefined for every malformed message and never throws', async () => {
    const { serializer } = await newCall();
    for (const message of hostile) await expect(serializer.deserialize(message)).resolves.toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('warns once per kind of problem, not once per message', async () => {
    const { serializer, logger } = await newCall();
    for (let round = 0; round < 50; round++) {
      await serializer.deserialize('not json');
      await serializer.deserialize('{"event":"surprise"}');
      await serializer.deserialize('{"event":"media","media":{"payload":42}}');
    }
    expect(logger.at('warn')).toHaveLength(3);
  });

  it('reads a text message handed over as UTF-8 bytes', async () => {
    const { serializer } = await newCall();
    expect(await serializer.deserialize(new TextEncoder().encode(dtmf('#')))).toEqual({
      type: 'input-dtmf',
      digit: '#',
    });
  });
});

describe('serialize: audio', () => {
  it('sends 8 kHz audio as playAudio mu-law, byte-exact, shaped as Plivo expects', async () => {
    const { serializer } = await newCall();
    const pcm = tone({ frequencyHz: 440, durationMs: 20, sampleRate: 8000 });
    const message = await serializer.serialize(outputAudioFrame(pcm, 8000));
    expect(Object.keys(JSON.parse(message as string))).toEqual(['event', 'media', 'streamId']);
    const parsed = playAudio(message);
    expect(parsed).toMatchObject({
      event: 'playAudio',
      media: { contentType: 'audio/x-mulaw', sampleRate: 8000 },
      streamId: STREAM_ID,
    });
    expect(Array.from(Buffer.from(parsed.media.payload, 'base64'))).toEqual(Array.from(oracleEncode(pcm)));
  });

  it('resamples audio at any rate to 8 kHz and keeps a tone clean', async () => {
    const { serializer } = await newCall();
    const sent = tone({ frequencyHz: 700, durationMs: 400, sampleRate: 24000, dbfs: -6 });
    const played: Int16Array[] = [];
    for (const chunk of chunks(sent, 480)) {
      const message = await serializer.serialize(outputAudioFrame(chunk, 24000));
      if (message !== undefined)
        played.push(oracleDecode(Buffer.from(playAudio(message).media.payload, 'base64')));
    }
    const audio = joined(played);
    expect(Math.abs(audio.length - 3200)).toBeLessThanOrEqual(24);
    expect(toneSnrDb(audio.subarray(80), 700, 8000)).toBeGreaterThan(30);
  });

  it('sends L16 at 16 kHz little-endian', async () => {
    const { serializer } = await newCall({ contentType: 'audio/x-l16', plivoSampleRate: 16000 });
    const pcm = Int16Array.from([0x0102, -2, 32767, -32768]);
    const parsed = playAudio(await serializer.serialize(outputAudioFrame(pcm, 16000)));
    expect(parsed.media).toMatchObject({ contentType: 'audio/x-l16', sampleRate: 16000 });
    const bytes = Buffer.from(parsed.media.payload, 'base64');
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x02, 0x01]);
    expect(Array.from(fromL16Le(bytes))).toEqual(Array.from(pcm));
  });

  it('returns undefined for empty audio', async () => {
    const { serializer } = await newCall();
    expect(await serializer.serialize(outputAudioFrame(new Int16Array(0), 16000))).toBeUndefined();
  });

  it('mixes multi-channel audio down to mono', async () => {
    const { serializer } = await newCall();
    const stereo = Int16Array.from([1000, 3000, -1000, -3000]);
    const parsed = playAudio(await serializer.serialize(outputAudioFrame(stereo, 8000, 2)));
    expect(Array.from(Buffer.from(parsed.media.payload, 'base64'))).toEqual(
      Array.from(oracleEncode(Int16Array.from([2000, -2000]))),
    );
  });

  it('follows a change of rate mid-call', async () => {
    const { serializer } = await newCall();
    const first = playAudio(
      await serializer.serialize(
        outputAudioFrame(tone({ frequencyHz: 500, durationMs: 100, sampleRate: 16000 }), 16000),
      ),
    );
    const second = playAudio(
      await serializer.serialize(
        outputAudioFrame(tone({ frequencyHz: 500, durationMs: 100, sampleRate: 24000 }), 24000),
      ),
    );
    const total =
      Buffer.from(first.media.payload, 'base64').length + Buffer.from(second.media.payload, 'base64').length;
    expect(Math.abs(total - 1600)).toBeLessThanOrEqual(24);
  });

  it('clears Plivo queue on interruption and leaks no audio from before it', async () => {
    const { serializer } = await newCall();
    const loud = tone({ frequencyHz: 300, durationMs: 40, sampleRate: 16000, dbfs: 0 });
    await serializer.serialize(outputAudioFrame(loud, 16000));
    expect(JSON.parse((await serializer.serialize(interruptionFrame())) as string)).toEqual({
      event: 'clearAudio',
      streamId: STREAM_ID,
    });
    const quiet = new Int16Array(320);
    const after = playAudio(await serializer.serialize(outputAudioFrame(quiet, 16000)));
    // Silence in, silence out: no tail of the loud tone survives in the resampler.
    expect(
      Array.from(oracleDecode(Buffer.from(after.media.payload, 'base64'))).every(
        (sample) => Math.abs(sample) <= 8,
      ),
    ).toBe(true);
  });
});

describe('serialize: control messages', () => {
  it('sends a checkpoint with its name', async () => {
    const { serializer } = await newCall();
    expect(JSON.parse((await serializer.serialize(checkpointFrame('greeting done'))) as string)).toEqual({
      event: 'checkpoint',
      streamId: STREAM_ID,
      name: 'greeting done',
    });
  });

  it('sends output DTMF as sendDTMF', async () => {
    const { serializer } = await newCall();
    expect(JSON.parse((await serializer.serialize(outputDtmfFrame('123#*ABCD'))) as string)).toEqual({
      event: 'sendDTMF',
      dtmf: '123#*ABCD',
    });
    expect(await serializer.serialize({ type: 'output-dtmf', digits: '1;2' })).toBeUndefined();
  });

  it('passes transport messages through as JSON', async () => {
    const { serializer, logger } = await newCall();
    const message = { event: 'checkpoint', streamId: STREAM_ID, name: 'x', extra: [1, 'two'] };
    expect(await serializer.serialize(transportMessageFrame(message))).toBe(JSON.stringify(message));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(await serializer.serialize(transportMessageFrame(circular))).toBeUndefined();
    expect(logger.at('warn')).toHaveLength(1);
  });

  it('sends nothing for frames Plivo has no message for', async () => {
    const { serializer } = await newCall();
    expect(await serializer.serialize(startFrame({ audioInSampleRate: 8000 }))).toBeUndefined();
    expect(await serializer.serialize(inputAudioFrame(new Int16Array(160), 8000))).toBeUndefined();
  });
});

describe('serialize: hang-up', () => {
  it('hangs up once when both end and cancel arrive', async () => {
    const { serializer, api } = await newCall();
    const results = await Promise.all([
      serializer.serialize(endFrame()),
      serializer.serialize(cancelFrame()),
    ]);
    expect(results).toEqual([undefined, undefined]);
    await serializer.serialize(endFrame());
    expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `DELETE /v1/Account/${AUTH_ID}/Call/${CALL_ID}/`,
    ]);
  });

  it('hangs up on cancel alone', async () => {
    const { serializer, api } = await newCall();
    await serializer.serialize(cancelFrame());
    expect(api.requests).toHaveLength(1);
  });

  it('does not hang up with autoHangUp off', async () => {
    const { serializer, api } = await newCall({ autoHangUp: false });
    await serializer.serialize(endFrame());
    expect(api.requests).toHaveLength(0);
  });

  it('returns after the deadline when Plivo hangs, without throwing', async () => {
    api = await startFakePlivoApi({ fault: { hang: true } });
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, plivo, {
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: api.url,
      hangUpTimeoutMs: 200,
    });
    const serializer = createSerializer(container, 'plivo', { streamId: STREAM_ID, callId: CALL_ID });
    await expect(serializer.serialize(endFrame())).resolves.toBeUndefined();
    expect(logger.at('error')).toHaveLength(1);
    expect(logger.lines.map((line) => line.text).join('\n')).not.toContain(AUTH_TOKEN);
  });
});

import { createHmac } from 'node:crypto';
import {
  checkpointFrame,
  createCallwireContainer,
  DTMF_DIGITS,
  type Frame,
  outputAudioFrame,
  registerCarrier,
} from '@callwire/core';
import { type Call, type CallServer, createCallServer } from '@callwire/server';
import {
  type FakeCarrierApi,
  openTestSocket,
  parseBasicAuth,
  recordingLogger,
  waitUntil,
} from '@callwire/testing';
import { tone, toneSnrDb } from '@callwire/testing/audio';
import { afterEach, describe, expect, it } from 'vitest';
import { plivo } from './carrier.js';
import { startFakePlivoApi } from './testing/fake-api.js';

// A client of its own plays Plivo end to end through @callwire/server: the signed answer webhook,
// then the media stream (L16 at 16 kHz) with tones, all sixteen keys, hostile messages and a
// checkpoint, then the REST hang-up against the fake API (a 500 first, then 204).

const AUTH_ID = 'MAE2E000000000000001';
const AUTH_TOKEN = 'plivo-e2e-token-0123456789abcdef';
const CALL_ID = 'a1b2c3d4-1234-4abc-9def-0123456789ab';
const STREAM_ID = 'f0e1d2c3-4321-4cba-8fed-ba9876543210';
const NONCE = '27182818284590452353';

let server: CallServer | undefined;
let api: FakeCarrierApi | undefined;
afterEach(async () => {
  await server?.close();
  await api?.close();
  server = undefined;
  api = undefined;
});

const signV3 = (base: string) => createHmac('sha256', AUTH_TOKEN).update(`${base}.${NONCE}`).digest('base64');

function l16Le(pcm: Int16Array): string {
  const bytes = Buffer.alloc(pcm.length * 2);
  for (let index = 0; index < pcm.length; index++) bytes.writeInt16LE(pcm[index]!, index * 2);
  return bytes.toString('base64');
}

function fromL16Le(payload: string): Int16Array {
  const bytes = Buffer.from(payload, 'base64');
  return Int16Array.from({ length: bytes.length / 2 }, (_, index) => bytes.readInt16LE(index * 2));
}

/** The application: echoes caller audio, collects keys, and hangs up once its checkpoint was played. */
function echoHandler(frames: Frame[]) {
  return async (call: Call) => {
    for await (const frame of call.frames) {
      frames.push(frame);
      if (frame.type === 'input-audio') await call.send(outputAudioFrame(frame.audio, frame.sampleRate));
      if (frame.type === 'input-dtmf' && frame.digit === 'D')
        await call.send(checkpointFrame('all keys heard'));
      if (frame.type === 'checkpoint-reached' && frame.name === 'all keys heard') await call.hangUp();
    }
  };
}

describe('a Plivo call through @callwire/server', () => {
  it('answers a signed webhook, carries L16 audio both ways, every key, survives hostile input and hangs up once', async () => {
    api = await startFakePlivoApi({
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      fault: { status: 500, times: 1 },
    });
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, plivo, {
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: api.url,
      hangUpTimeoutMs: 3000,
    });
    const frames: Frame[] = [];
    let seen: Call | undefined;
    server = createCallServer({
      container,
      logger,
      pipelineSampleRate: 24000,
      handler: async (call) => {
        seen = call;
        await echoHandler(frames)(call);
      },
    });
    const port = await server.listen(0, '127.0.0.1');

    // 1. Plivo fetches the answer URL: unsigned and forged requests are refused, a signed one gets <Stream>.
    const form = `CallUUID=${CALL_ID}&From=%2B15554443333&To=%2B16665554444&Direction=inbound`;
    const base = `http://127.0.0.1:${port}/answer?CallUUID${CALL_ID}DirectioninboundFrom+15554443333To+16665554444`;
    const post = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: form,
      });
    expect((await post({})).status).toBe(401);
    expect(
      (await post({ 'x-plivo-signature-v3': signV3(`${base}x`), 'x-plivo-signature-v3-nonce': NONCE }))
        .status,
    ).toBe(403);
    const answer = await post({ 'x-plivo-signature-v3': signV3(base), 'x-plivo-signature-v3-nonce': NONCE });
    expect(answer.status).toBe(200);
    const document = await answer.text();
    expect(document).toMatch(
      new RegExp(
        '^<Response><Stream bidirectional="true" keepCallAlive="true" contentType="audio/x-mulaw;rate=8000"' +
          ' extraHeaders="from=15554443333,to=16665554444,direction=inbound">' +
          `ws://127\\.0\\.0\\.1:${port}/stream/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+</Stream></Response>$`,
      ),
    );
    // The stream URL carries the per-call token the server minted for this CallUUID.
    const streamUrl = /<Stream[^>]*>([^<]+)<\/Stream>/.exec(document)?.[1] ?? '';
    // Without it, the upgrade is refused.
    await expect(openTestSocket(`ws://127.0.0.1:${port}/stream`)).rejects.toThrow(/401/);

    // 2. Plivo opens the stream; this call was set up for L16 at 16 kHz.
    const { socket, received, closed } = await openTestSocket(streamUrl);
    let sequenceNumber = 1;
    const send = (message: Record<string, unknown> | string) =>
      socket.send(
        typeof message === 'string'
          ? message
          : JSON.stringify({ ...message, sequenceNumber: sequenceNumber++ }),
      );
    send({
      event: 'start',
      start: {
        callId: CALL_ID,
        streamId: STREAM_ID,
        accountId: AUTH_ID,
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000 },
      },
      extra_headers: 'userId=12345;sessionId=abc',
    });
    const spoken = tone({ frequencyHz: 1000, durationMs: 600, sampleRate: 16000, dbfs: -6 });
    for (let chunk = 0; chunk < 30; chunk++) {
      const pcm = spoken.subarray(chunk * 320, (chunk + 1) * 320);
      send({
        event: 'media',
        streamId: STREAM_ID,
        media: { track: 'inbound', timestamp: String(chunk * 20), chunk, payload: l16Le(pcm) },
      });
      if (chunk % 10 === 0) {
        send('{"event":"media","media":{"payload":"!!!"}}');
        send('not json at all');
        send({ event: 'mystery', streamId: STREAM_ID });
        socket.send(Buffer.from([0xff, 0x00, 0xfe]));
      }
    }
    for (const digit of DTMF_DIGITS) {
      send({ event: 'dtmf', streamId: STREAM_ID, dtmf: { track: 'inbound', digit, timestamp: '1' } });
    }
    send({ event: 'dtmf', streamId: STREAM_ID, dtmf: { track: 'inbound', digit: 'E', timestamp: '1' } });

    // 3. The application asks for a checkpoint after the last key; Plivo acknowledges it.
    const checkpoint = () =>
      received.map((text) => JSON.parse(text)).find((message) => message.event === 'checkpoint');
    await waitUntil(() => checkpoint() !== undefined, 'the checkpoint');
    expect(checkpoint()).toEqual({ event: 'checkpoint', streamId: STREAM_ID, name: 'all keys heard' });
    send({ event: 'playedStream', streamId: STREAM_ID, name: 'all keys heard' });

    // 4. The application hangs up: the first DELETE gets a 500, the retry a 204; the socket closes.
    await waitUntil(() => api?.requests.length === 2, 'the retried hang-up');
    expect(await closed).toBe(1000);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(seen).toMatchObject({ carrier: 'plivo', callId: CALL_ID, streamId: STREAM_ID });
    expect(
      frames
        .filter((frame) => frame.type === 'input-dtmf')
        .map((frame) => frame.type === 'input-dtmf' && frame.digit),
    ).toEqual([...DTMF_DIGITS]);
    const heard = frames.filter((frame) => frame.type === 'input-audio');
    expect(heard.every((frame) => frame.type === 'input-audio' && frame.sampleRate === 24000)).toBe(true);

    const played = received
      .map((text) => JSON.parse(text))
      .filter((message) => message.event === 'playAudio');
    expect(played.length).toBeGreaterThan(0);
    for (const message of played) {
      expect(message).toMatchObject({
        media: { contentType: 'audio/x-l16', sampleRate: 16000 },
        streamId: STREAM_ID,
      });
    }
    const echoed = played.flatMap((message) => Array.from(fromL16Le(message.media.payload)));
    // 16 kHz in, 24 kHz pipeline, 16 kHz out: the tone survives both resamplers.
    expect(Math.abs(echoed.length - spoken.length)).toBeLessThanOrEqual(200);
    expect(toneSnrDb(Int16Array.from(echoed.slice(200, -200)), 1000, 16000)).toBeGreaterThan(40);

    const [first, second] = api.requests;
    for (const request of [first, second]) {
      expect(request?.method).toBe('DELETE');
      expect(request?.path).toBe(`/v1/Account/${AUTH_ID}/Call/${CALL_ID}/`);
      expect(parseBasicAuth(request?.headers.authorization)).toEqual({ user: AUTH_ID, password: AUTH_TOKEN });
    }
    expect((second?.receivedAtMs ?? 0) - (first?.receivedAtMs ?? 0)).toBeGreaterThanOrEqual(40); // backoff
    expect(api.requests).toHaveLength(2);
    expect(logger.lines.map((line) => line.text).join('\n')).not.toContain(AUTH_TOKEN);
    expect(logger.at('warn').length).toBeLessThanOrEqual(10);
  });
});

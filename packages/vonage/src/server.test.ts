import { generateKeyPairSync } from 'node:crypto';
import { l16LeToPcm, pcmToL16Le } from '@callwire/codec';
import {
  checkpointFrame,
  createCallwireContainer,
  type Frame,
  type Logger,
  outputAudioFrame,
  registerCarrier,
} from '@callwire/core';
import { plivo } from '@callwire/plivo';
import { type Call, type CallServer, createCallServer, mintStreamToken } from '@callwire/server';
import type { FakeCarrierApi } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { vonage } from './carrier.js';
import { startFakeVonageApi } from './testing/fake-api.js';

const CALL = '63f61863-4a51-4f6b-86e1-46edebcf9356';
const APP = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let server: CallServer | undefined;
let api: FakeCarrierApi | undefined;
afterEach(async () => {
  await server?.close();
  await api?.close();
  server = undefined;
  api = undefined;
});

interface Received {
  readonly binary: boolean;
  readonly data: Buffer;
}

function recorder(): Logger & { text: string[] } {
  const text: string[] = [];
  const log = (fields: string | Record<string, unknown>, message?: string) =>
    text.push(typeof fields === 'string' ? fields : `${message ?? ''} ${JSON.stringify(fields)}`);
  return { text, debug: log, info: log, warn: log, error: log };
}

/** This test has no answer flow: it mints the call's stream token as a user's own answer handler would. */
const STREAM_SECRET = 'vonage-server-test-stream-secret';

function open(port: number): Promise<{ socket: WebSocket; received: Received[]; closed: Promise<number> }> {
  const token = mintStreamToken({ secret: STREAM_SECRET, carrier: 'vonage', callId: CALL });
  const socket = new WebSocket(`ws://127.0.0.1:${port}/stream/${token}`);
  const received: Received[] = [];
  socket.on('message', (data, isBinary) => received.push({ binary: isBinary, data: data as Buffer }));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, received, closed }));
    socket.once('error', reject);
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !condition(); waitedMs += 10) {
    if (waitedMs > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a Vonage call through @callwire/server', () => {
  it('is detected from websocket:connected (Plivo also registered), speaks binary 20 ms frames both ways, and hangs up once', async () => {
    api = await startFakeVonageApi({ publicKey: PUBLIC_KEY, applicationId: APP });
    const logger = recorder();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, plivo, {});
    registerCarrier(container, vonage, { applicationId: APP, privateKey: PRIVATE_KEY, apiBaseUrl: api.url });
    const frames: Frame[] = [];
    let seen: Call | undefined;
    // 30 ms at 16 kHz: one whole 640-byte frame now, 320 bytes carried over.
    const reply = Int16Array.from({ length: 480 }, (_, index) => ((index * 41) % 6000) - 3000);
    server = createCallServer({
      container,
      logger,
      streamAuth: { secret: STREAM_SECRET },
      pipelineSampleRate: 16000,
      handler: async (call) => {
        seen = call;
        for await (const frame of call.frames) {
          frames.push(frame);
          if (frame.type === 'input-dtmf') {
            await call.send(outputAudioFrame(reply, 16000));
            await call.send(checkpointFrame('reply-1'));
            await call.hangUp();
          }
        }
      },
    });
    const port = await server.listen(0, '127.0.0.1');
    const client = await open(port);
    client.socket.send(
      JSON.stringify({
        event: 'websocket:connected',
        'content-type': 'audio/l16;rate=16000',
        call_uuid: CALL,
        lang: 'en',
      }),
    );
    const caller = Int16Array.from({ length: 320 }, (_, index) => ((index * 97) % 2000) - 1000);
    client.socket.send(pcmToL16Le(caller));
    client.socket.send('{"event":"websocket:dtmf","digit":"5","duration":260}');
    await until(() => api?.requests.length === 1 && client.received.length >= 3, 'the hang-up and the reply');
    await client.closed;
    expect(seen?.carrier).toBe('vonage');
    expect(seen?.callId).toBe(CALL);
    const audio = frames.find((frame) => frame.type === 'input-audio');
    expect(audio?.type === 'input-audio' && Array.from(audio.audio)).toEqual(Array.from(caller));
    expect(frames).toContainEqual({ type: 'input-dtmf', digit: '5' });
    // One binary message per 20 ms frame, the carried-over 10 ms padded before the notify.
    expect(
      client.received.map((message) => (message.binary ? message.data.length : message.data.toString())),
    ).toEqual([640, 640, '{"action":"notify","payload":{"name":"reply-1"}}']);
    const wire = l16LeToPcm(Buffer.concat(client.received.slice(0, 2).map((message) => message.data)));
    expect(Array.from(wire.subarray(0, 480))).toEqual(Array.from(reply));
    expect(wire.subarray(480).every((sample) => sample === 0)).toBe(true);
    expect(api.requests[0]?.method).toBe('PUT');
    expect(api.requests[0]?.path).toBe(`/v1/calls/${CALL}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.requests).toHaveLength(1);
    const logs = logger.text.join('\n');
    expect(logs).not.toContain(PRIVATE_KEY.split('\n')[3] ?? 'unreachable');
    expect(logs).not.toContain('Bearer ');
  });
});

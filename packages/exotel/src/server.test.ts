import { l16LeToPcm, pcmToL16Le } from '@callwire/codec';
import {
  createCallwireContainer,
  type Frame,
  type Logger,
  outputAudioFrame,
  registerCarrier,
} from '@callwire/core';
import { plivo } from '@callwire/plivo';
import { type Call, type CallServer, createCallServer, mintStreamToken } from '@callwire/server';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { exotel } from './carrier.js';

const STREAM = 'MZ0123456789abcdef0123456789abcd';
const CALL = 'CA0123456789abcdef0123456789abcd';

let server: CallServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** This test has no answer flow: it mints the call's stream token as a user's own answer handler would. */
const STREAM_SECRET = 'exotel-server-test-stream-secret';

function open(port: number): Promise<{ socket: WebSocket; received: string[]; closed: Promise<number> }> {
  const token = mintStreamToken({ secret: STREAM_SECRET, carrier: 'exotel', callId: CALL });
  const socket = new WebSocket(`ws://127.0.0.1:${port}/stream/${token}`);
  const received: string[] = [];
  socket.on('message', (data) => received.push((data as Buffer).toString('utf8')));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, received, closed }));
    socket.once('error', reject);
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !condition(); waitedMs += 10) {
    if (waitedMs > 3000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function base64(pcm: Int16Array): string {
  return Buffer.from(pcmToL16Le(pcm)).toString('base64');
}

describe('an Exotel call through @callwire/server', () => {
  it('is detected from connected + start (Plivo also registered), decodes PCM, and flushes held-back audio on end', async () => {
    const container = createCallwireContainer({ logger: quiet });
    registerCarrier(container, plivo, {});
    registerCarrier(container, exotel, {});
    const frames: Frame[] = [];
    let seen: Call | undefined;
    const reply = Int16Array.from({ length: 500 }, (_, index) => (index * 53) % 4000);
    server = createCallServer({
      container,
      streamAuth: { secret: STREAM_SECRET },
      logger: quiet,
      pipelineSampleRate: 8000,
      handler: async (call) => {
        seen = call;
        for await (const frame of call.frames) {
          frames.push(frame);
          if (frame.type === 'input-dtmf') {
            // 1000 bytes: under Exotel's 3.2 KB minimum, so held back until `end` flushes it.
            await call.send(outputAudioFrame(reply, 8000));
            await call.hangUp();
          }
        }
      },
    });
    const port = await server.listen(0, '127.0.0.1');
    const client = await open(port);
    client.socket.send('{"event":"connected"}');
    client.socket.send(
      JSON.stringify({
        event: 'start',
        sequence_number: '1',
        stream_sid: STREAM,
        start: {
          stream_sid: STREAM,
          call_sid: CALL,
          account_sid: 'exotel-account',
          from: '+919876543210',
          to: '+918047491899',
          custom_parameters: { lang: 'hi' },
          media_format: { encoding: 'audio/x-raw', sample_rate: '8000', bit_rate: '16' },
        },
      }),
    );
    const caller = Int16Array.from({ length: 800 }, (_, index) => ((index * 97) % 2000) - 1000);
    client.socket.send(
      JSON.stringify({
        event: 'media',
        sequence_number: '2',
        stream_sid: STREAM,
        media: { chunk: '1', timestamp: '100', payload: base64(caller) },
      }),
    );
    client.socket.send(
      JSON.stringify({
        event: 'dtmf',
        sequence_number: '3',
        stream_sid: STREAM,
        dtmf: { digit: '7', duration: '100' },
      }),
    );
    await until(() => client.received.length > 0, 'the flushed reply');
    await client.closed;
    expect(seen?.carrier).toBe('exotel');
    expect(seen?.callId).toBe(CALL);
    expect(seen?.streamId).toBe(STREAM);
    const audio = frames.find((frame) => frame.type === 'input-audio');
    expect(audio?.type === 'input-audio' && Array.from(audio.audio)).toEqual(Array.from(caller));
    expect(frames).toContainEqual({ type: 'input-dtmf', digit: '7' });
    expect(client.received).toHaveLength(1);
    const message = JSON.parse(client.received[0] ?? '{}');
    expect(message.event).toBe('media');
    expect(message.stream_sid).toBe(STREAM);
    const wire = Buffer.from(message.media.payload, 'base64');
    expect(wire.length).toBe(1280);
    expect(Array.from(l16LeToPcm(wire.subarray(0, 1000)))).toEqual(Array.from(reply));
  });
});

import { alawDecode, alawEncode } from '@callwire/codec';
import { createCallwireContainer, type Frame, outputAudioFrame, registerCarrier } from '@callwire/core';
import { plivo } from '@callwire/plivo';
import { type Call, type CallServer, createCallServer, mintStreamToken } from '@callwire/server';
import { type FakeCarrierApi, openTestSocket, recordingLogger, waitUntil } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { telnyx } from './carrier.js';
import { startFakeTelnyxApi } from './testing/fake-api.js';

const API_KEY = 'KEY0123456789ABCDEF_telnyx-test-key';
const STREAM_ID = '32DE0DEA-53CB-4B21-89A4-9E1819C043BC';
const CALL_CONTROL_ID = 'v3:T02llQxIyaRkhfRKxgAP8nY511EhFLizdvdUKJiSw8d6A9BborherQ';

let server: CallServer | undefined;
let api: FakeCarrierApi | undefined;
afterEach(async () => {
  await server?.close();
  await api?.close();
  server = undefined;
  api = undefined;
});

/** The stream token a `telnyx` answer would carry for this call, minted as a user's own answer handler would. */
const STREAM_SECRET = 'telnyx-server-test-stream-secret';
const open = (port: number) =>
  openTestSocket(
    `ws://127.0.0.1:${port}/stream/${mintStreamToken({ secret: STREAM_SECRET, carrier: 'telnyx', callId: CALL_CONTROL_ID })}`,
  );

describe('a Telnyx call through @callwire/server', () => {
  it('is detected from connected + start (with Plivo also registered), decodes the PCMA it announces, and hangs up once', async () => {
    api = await startFakeTelnyxApi({ apiKey: API_KEY });
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, plivo, {});
    registerCarrier(container, telnyx, { apiKey: API_KEY, apiBaseUrl: api.url });
    const frames: Frame[] = [];
    let seen: Call | undefined;
    server = createCallServer({
      container,
      streamAuth: { secret: STREAM_SECRET },
      logger,
      pipelineSampleRate: 8000,
      handler: async (call) => {
        seen = call;
        for await (const frame of call.frames) {
          frames.push(frame);
          if (frame.type === 'input-dtmf') {
            await call.send(outputAudioFrame(Int16Array.from([32124, 0, -32124]), 8000));
            await call.hangUp();
          }
        }
      },
    });
    const port = await server.listen(0, '127.0.0.1');
    const client = await open(port);
    client.socket.send(JSON.stringify({ event: 'connected', version: '1.0.0' }));
    client.socket.send(
      JSON.stringify({
        event: 'start',
        sequence_number: '1',
        start: {
          user_id: '3E6F995F-85F7-4705-9741-53B116D28237',
          call_control_id: CALL_CONTROL_ID,
          call_session_id: 'ff55a038-6f5d-11ef-9692-02420aeffb1f',
          from: '+13122010094',
          to: '+13122123456',
          media_format: { encoding: 'PCMA', sample_rate: 8000, channels: 1 },
        },
        stream_id: STREAM_ID,
      }),
    );
    const caller = alawEncode(new Int16Array(160).fill(1000));
    client.socket.send(
      JSON.stringify({
        event: 'media',
        sequence_number: '2',
        media: {
          track: 'inbound',
          chunk: '1',
          timestamp: '0',
          payload: Buffer.from(caller).toString('base64'),
        },
        stream_id: STREAM_ID,
      }),
    );
    client.socket.send(
      JSON.stringify({
        event: 'dtmf',
        stream_id: STREAM_ID,
        occurred_at: '2025-06-05T08:54:19.698408Z',
        sequence_number: '3',
        dtmf: { digit: '5' },
      }),
    );
    await waitUntil(
      () => api?.requests.length === 1 && client.received.length > 0,
      'the hang-up and the reply',
    );
    expect(seen?.carrier).toBe('telnyx');
    expect(seen?.callId).toBe(CALL_CONTROL_ID);
    expect(seen?.streamId).toBe(STREAM_ID);
    const audio = frames.find((frame) => frame.type === 'input-audio');
    // Decoded as A-law, as start announced (as mu-law these bytes would be far from 1000).
    expect(audio?.type === 'input-audio' && Array.from(audio.audio)).toEqual(Array.from(alawDecode(caller)));
    expect(audio?.type === 'input-audio' && Math.abs((audio.audio[0] ?? 0) - 1000)).toBeLessThan(40);
    expect(frames).toContainEqual({ type: 'input-dtmf', digit: '5' });
    const reply = JSON.parse(client.received[0] ?? '{}');
    expect(Object.keys(reply).sort()).toEqual(['event', 'media']);
    expect(reply.event).toBe('media');
    // outboundEncoding defaults to the inbound encoding: A-law back.
    expect(Array.from(alawDecode(Buffer.from(reply.media.payload, 'base64')))).toEqual(
      Array.from(alawDecode(alawEncode(Int16Array.from([32124, 0, -32124])))),
    );
    expect(api.requests[0]?.path).toBe(`/v2/calls/${CALL_CONTROL_ID}/actions/hangup`);
    await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.requests).toHaveLength(1);
    expect(logger.lines.map((line) => line.text).join('\n')).not.toContain(API_KEY);
  });
});

import { mulawDecode, mulawEncode } from '@callwire/codec';
import { createCallwireContainer, type Frame, outputAudioFrame, registerCarrier } from '@callwire/core';
import { plivo } from '@callwire/plivo';
import { type Call, type CallServer, createCallServer, mintStreamToken } from '@callwire/server';
import { type FakeCarrierApi, openTestSocket, recordingLogger, waitUntil } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { twilio } from './carrier.js';
import { startFakeTwilioApi } from './testing/fake-api.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-test-token-0123456789abcdef';
const STREAM_SID = 'MZ18ad3ab5a668481ce02b83e7395059f0';
const CALL_SID = 'CA0123456789abcdef0123456789abcdef';

let server: CallServer | undefined;
let api: FakeCarrierApi | undefined;
afterEach(async () => {
  await server?.close();
  await api?.close();
  server = undefined;
  api = undefined;
});

/** The stream token a `twilio` answer would carry for this call, minted as a user's own answer handler would. */
const STREAM_SECRET = 'twilio-server-test-stream-secret';
const open = (port: number) =>
  openTestSocket(
    `ws://127.0.0.1:${port}/stream/${mintStreamToken({ secret: STREAM_SECRET, carrier: 'twilio', callId: CALL_SID })}`,
  );

describe('a Twilio call through @callwire/server', () => {
  it('is detected from connected + start (with Plivo also registered), carries audio and DTMF, and hangs up once', async () => {
    api = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, plivo, {});
    registerCarrier(container, twilio, {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: api.url,
    });
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
    client.socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    client.socket.send(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        start: {
          accountSid: ACCOUNT_SID,
          streamSid: STREAM_SID,
          callSid: CALL_SID,
          tracks: ['inbound'],
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
          customParameters: {},
        },
        streamSid: STREAM_SID,
      }),
    );
    client.socket.send(
      JSON.stringify({
        event: 'media',
        sequenceNumber: '2',
        media: {
          track: 'inbound',
          chunk: '1',
          timestamp: '0',
          payload: Buffer.from(mulawEncode(new Int16Array(160).fill(1000))).toString('base64'),
        },
        streamSid: STREAM_SID,
      }),
    );
    client.socket.send(
      JSON.stringify({
        event: 'dtmf',
        streamSid: STREAM_SID,
        sequenceNumber: '3',
        dtmf: { track: 'inbound_track', digit: '5' },
      }),
    );
    await waitUntil(
      () => api?.requests.length === 1 && client.received.length > 0,
      'the hang-up and the reply',
    );
    expect(seen?.carrier).toBe('twilio');
    expect(seen?.callId).toBe(CALL_SID);
    expect(seen?.streamId).toBe(STREAM_SID);
    const audio = frames.find((frame) => frame.type === 'input-audio');
    expect(audio?.type === 'input-audio' && audio.audio.length).toBe(160);
    expect(frames).toContainEqual({ type: 'input-dtmf', digit: '5' });
    const reply = JSON.parse(client.received[0] ?? '{}');
    expect(reply.event).toBe('media');
    expect(reply.streamSid).toBe(STREAM_SID);
    expect(Array.from(mulawDecode(Buffer.from(reply.media.payload, 'base64')))).toEqual([32124, 0, -32124]);
    expect(api.requests[0]?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${CALL_SID}.json`);
    await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.requests).toHaveLength(1);
    expect(logger.lines.map((line) => line.text).join('\n')).not.toContain(AUTH_TOKEN);
  });
});

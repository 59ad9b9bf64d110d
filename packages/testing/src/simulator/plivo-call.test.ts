import type { AddressInfo } from 'node:net';
import { mulawDecode, mulawEncode, pcmToL16Le } from '@callwire/codec';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { tone } from '../audio/signals.js';
import { type SimulatorEvent, simulatePlivoCall, startSimulatedPlivoCall } from './plivo-call.js';

interface ServerScript {
  /** Called per parsed message; `reply` sends JSON back. */
  onMessage(message: Record<string, unknown>, socket: WebSocket, received: Record<string, unknown>[]): void;
}

const servers: WebSocketServer[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          for (const client of server.clients) client.terminate();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A tiny Plivo-like app: a real ws server on 127.0.0.1 that runs `script` and records what it got. */
async function startServer(
  script: ServerScript,
): Promise<{ url: string; received: Record<string, unknown>[]; headers: Record<string, unknown>[] }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const received: Record<string, unknown>[] = [];
  const headers: Record<string, unknown>[] = [];
  server.on('connection', (socket, request) => {
    headers.push(request.headers);
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      received.push(message);
      script.onMessage(message, socket, received);
    });
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`, received, headers };
}

/** Echoes each media frame as playAudio; on DTMF '#' closes with 4000. */
const echo: ServerScript = {
  onMessage(message, socket) {
    if (message.event === 'media') {
      const media = message.media as { payload: string };
      socket.send(
        JSON.stringify({
          event: 'playAudio',
          media: { contentType: 'audio/x-mulaw', sampleRate: 8000, payload: media.payload },
        }),
      );
    }
    if (message.event === 'dtmf' && (message.dtmf as { digit: string }).digit === '#')
      socket.close(4000, 'bye');
  },
};

describe('simulatePlivoCall', () => {
  it('sends a Plivo start, 20 ms mu-law media frames and DTMF, and decodes what the server plays', async () => {
    const server = await startServer(echo);
    const audio = tone({ frequencyHz: 440, durationMs: 210, sampleRate: 8000 }); // 10.5 frames
    const events: SimulatorEvent[] = [];
    const summary = await simulatePlivoCall({
      url: server.url,
      audio,
      realTime: false,
      callId: 'call-1',
      streamId: 'stream-1',
      extraHeaders: 'userId=1',
      headers: { 'x-plivo-signature-v3': 'sig' },
      dtmf: [
        { digit: '5', atMs: 40 },
        { digit: '#', atMs: 10_000 },
      ],
      onEvent: (event) => events.push(event),
    });

    const [start, ...rest] = server.received;
    expect(start).toEqual({
      event: 'start',
      sequenceNumber: 1,
      start: {
        callId: 'call-1',
        streamId: 'stream-1',
        accountId: 'MAXXXXXXXXXXXXXXXXXX',
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 },
      },
      extra_headers: 'userId=1',
    });
    expect(server.headers[0]?.['x-plivo-signature-v3']).toBe('sig');
    const kinds = rest.map((message) =>
      message.event === 'dtmf' ? `dtmf:${(message.dtmf as { digit: string }).digit}` : message.event,
    );
    expect(kinds).toEqual(['media', 'media', 'dtmf:5', ...Array(9).fill('media'), 'dtmf:#']);
    const media = rest.filter((message) => message.event === 'media') as Array<{
      streamId: string;
      sequenceNumber: number;
      media: { payload: string; chunk: number; track: string; timestamp: string };
    }>;
    expect(
      media.every((message) => message.streamId === 'stream-1' && message.media.track === 'inbound'),
    ).toBe(true);
    expect(media.map((message) => message.media.chunk)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(rest.map((message) => message.sequenceNumber)).toEqual(
      Array.from({ length: 13 }, (_, i) => i + 2),
    );
    expect(media.every((message) => Buffer.from(message.media.payload, 'base64').length === 160)).toBe(true);

    // The echo played back exactly what was sent (mu-law round trip, last frame padded with silence).
    const padded = new Int16Array(11 * 160);
    padded.set(audio);
    expect(summary.receivedAudio).toEqual(mulawDecode(mulawEncode(padded)));
    expect(summary).toMatchObject({
      callId: 'call-1',
      streamId: 'stream-1',
      sent: { media: 11, dtmf: 2 },
      received: { playAudio: 11 },
      closeCode: 4000,
      closeReason: 'bye',
      closedBy: 'server',
      errors: [],
    });
    expect(summary.timings.mediaSentAtMs).toHaveLength(11);
    expect(summary.timings.playAudio).toHaveLength(11);
    expect(summary.timings.playAudio.every((record) => record.samples === 160)).toBe(true);
    expect(events[0]?.kind).toBe('open');
    expect(events.at(-1)?.text).toMatch(/closed by server: 4000 bye/);
    expect(events.some((event) => event.text.startsWith('← playAudio 160 samples'))).toBe(true);
  });

  it('acknowledges checkpoints with playedStream and clearAudio with clearedAudio', async () => {
    const server = await startServer({
      onMessage(message, socket, received) {
        if (message.event === 'start') {
          socket.send(JSON.stringify({ event: 'checkpoint', streamId: 's', name: 'first' }));
          socket.send(JSON.stringify({ event: 'clearAudio', streamId: 's' }));
          socket.send(JSON.stringify({ event: 'sendDTMF', dtmf: '12#' }));
        }
        if (message.event === 'clearedAudio' && received.some((m) => m.event === 'playedStream')) {
          socket.close(1000);
        }
      },
    });
    const summary = await simulatePlivoCall({ url: server.url, realTime: false, streamId: 's' });
    expect(
      server.received
        .slice(1)
        .map((message) => message.event)
        .sort(),
    ).toEqual(['clearedAudio', 'playedStream']);
    expect(server.received.find((message) => message.event === 'playedStream')).toMatchObject({
      event: 'playedStream',
      streamId: 's',
      name: 'first',
    });
    expect(server.received.find((message) => message.event === 'clearedAudio')).toMatchObject({
      streamId: 's',
    });
    expect(summary.checkpoints).toEqual([
      expect.objectContaining({ name: 'first', ackedAtMs: expect.any(Number) }),
    ]);
    expect(summary.cleared).toBe(1);
    expect(summary.outputDtmf).toEqual(['12#']);
    expect(summary.closedBy).toBe('server');
  });

  it('drops checkpoints waiting on audio a clear removed (real-time playback)', async () => {
    const second = mulawEncode(tone({ frequencyHz: 440, durationMs: 2000, sampleRate: 8000 }));
    const server = await startServer({
      onMessage(message, socket) {
        if (message.event !== 'start') return;
        // Two seconds of audio, then a checkpoint that can only be acked after it played; then a clear.
        socket.send(
          JSON.stringify({
            event: 'playAudio',
            media: {
              contentType: 'audio/x-mulaw',
              sampleRate: 8000,
              payload: Buffer.from(second).toString('base64'),
            },
          }),
        );
        socket.send(JSON.stringify({ event: 'checkpoint', streamId: 's', name: 'after-audio' }));
        setTimeout(() => socket.send(JSON.stringify({ event: 'clearAudio', streamId: 's' })), 50);
        setTimeout(() => socket.close(1000), 150);
      },
    });
    const summary = await simulatePlivoCall({ url: server.url, realTime: true, streamId: 's' });
    expect(summary.checkpoints).toHaveLength(1);
    expect(summary.checkpoints[0]?.ackedAtMs).toBeUndefined();
    expect(server.received.map((message) => message.event)).toEqual(['start', 'clearedAudio']);
    expect(summary.receivedAudio.length).toBe(16000);
  });

  it('decodes L16 playAudio at 16 kHz down to 8 kHz', async () => {
    const pcm16k = tone({ frequencyHz: 1000, durationMs: 200, sampleRate: 16000 });
    const server = await startServer({
      onMessage(message, socket) {
        if (message.event !== 'start') return;
        socket.send(
          JSON.stringify({
            event: 'playAudio',
            media: {
              contentType: 'audio/x-l16',
              sampleRate: 16000,
              payload: Buffer.from(pcmToL16Le(pcm16k)).toString('base64'),
            },
          }),
        );
        socket.send('not json');
        setTimeout(() => socket.close(1000), 20);
      },
    });
    const summary = await simulatePlivoCall({ url: server.url, realTime: false });
    expect(summary.receivedAudio.length).toBe(1600);
    expect(summary.timings.playAudio[0]).toMatchObject({
      contentType: 'audio/x-l16',
      sampleRate: 16000,
      samples: 3200,
    });
    expect(summary.received.invalid).toBe(1);
    expect(summary.errors).toHaveLength(1);
  });

  it('paces media in real time and hangs up after the tail', async () => {
    const server = await startServer({ onMessage() {} });
    const summary = await simulatePlivoCall({
      url: server.url,
      audio: tone({ frequencyHz: 440, durationMs: 100, sampleRate: 8000 }),
      realTime: true,
      tailMs: 20,
    });
    expect(summary.sent.media).toBe(5);
    // Frame k is not sent before its 20 ms slot on the simulator's clock (a lower bound only, with a few
    // ms for timer rounding): sent at once, the five frames would go out within a millisecond. Measured
    // from the clock's origin, not from frame 0, which a loaded machine may send late (later frames then
    // catch up, drift-corrected).
    summary.timings.mediaSentAtMs.forEach((atMs, index) => {
      expect(atMs).toBeGreaterThanOrEqual(index * 20 - 5);
    });
    const span = (summary.timings.mediaSentAtMs[4] ?? 0) - (summary.timings.mediaSentAtMs[0] ?? 0);
    expect(span).toBeGreaterThan(0);
    expect(summary).toMatchObject({ closedBy: 'simulator', closeCode: 1000 });
  });

  it('sends DTMF after a server event, and hangs up on request or abort', async () => {
    const server = await startServer({
      onMessage(message, socket) {
        if (message.event === 'start') socket.send(JSON.stringify({ event: 'checkpoint', name: 'menu' }));
      },
    });
    const call = startSimulatedPlivoCall({
      url: server.url,
      realTime: false,
      durationMs: 60_000,
      dtmf: [{ digit: '9', afterEvent: 'checkpoint', delayMs: 5 }],
    });
    while (!server.received.some((message) => message.event === 'dtmf'))
      await new Promise((r) => setTimeout(r, 5));
    call.hangUp();
    const summary = await call.done;
    expect(server.received.find((message) => message.event === 'dtmf')).toMatchObject({
      dtmf: { digit: '9' },
    });
    expect(summary.closedBy).toBe('simulator');

    const controller = new AbortController();
    const aborted = simulatePlivoCall({
      url: server.url,
      realTime: false,
      durationMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    expect((await aborted).closedBy).toBe('simulator');
  });

  it('streams its events through an async iterator that ends at close', async () => {
    const server = await startServer(echo);
    const call = startSimulatedPlivoCall({
      url: server.url,
      audio: tone({ frequencyHz: 440, durationMs: 40, sampleRate: 8000 }),
      realTime: false,
      dtmf: [{ digit: '#', afterEvent: 'playAudio' }],
    });
    const kinds: string[] = [];
    for await (const event of call.events())
      kinds.push(event.event ? `${event.kind}:${event.event}` : event.kind);
    expect(kinds[0]).toBe('open');
    expect(kinds).toContain('sent:start');
    expect(kinds).toContain('received:playAudio');
    expect(kinds).toContain('sent:dtmf');
    expect(kinds.at(-1)).toBe('close');
    expect((await call.done).closeCode).toBe(4000);
  });

  it('rejects when the server cannot be reached', async () => {
    const server = await startServer({ onMessage() {} });
    const url = server.url;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    await expect(simulatePlivoCall({ url, realTime: false })).rejects.toThrow();
  });
});

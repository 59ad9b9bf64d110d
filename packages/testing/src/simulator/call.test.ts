// The simulator drives any carrier from its harness: every test runs on two toy carriers with
// different dialects (JSON text with mu-law at 8 kHz; binary L16 frames at 16 kHz). The server side is
// a tiny runtime: each carrier's own serializer, over a real `ws` server on 127.0.0.1.
import type { AddressInfo } from 'node:net';
import {
  checkpointFrame,
  createCallwireContainer,
  createWireSerializer,
  type Frame,
  interruptionFrame,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  startFrame,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { tone } from '../audio/signals.js';
import type { CarrierHarness } from '../harness.js';
import { recordingLogger } from '../logger.js';
import { binaryToyHarness, toyHarness } from '../test-support/toy-carriers.js';
import { type SimulatorEvent, simulateCall, startSimulatedCall } from './call.js';

const STREAM_ID = 'stream-1';

/** What the app does with a connection; `io` speaks the carrier's dialect through its serializer. */
interface AppIo {
  readonly socket: WebSocket;
  readonly serializer: WireSerializer;
  send(frame: Frame): void;
  /** Every frame the carrier's messages gave so far. */
  readonly frames: Frame[];
  /** Every message received, raw. */
  readonly messages: WireMessage[];
}
interface App {
  onOpen?(io: AppIo): void;
  onFrame?(frame: Frame, io: AppIo): void;
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

async function startApp(harness: CarrierHarness<unknown, unknown>, app: App) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const connections: AppIo[] = [];
  const headers: Record<string, unknown>[] = [];
  server.on('connection', (socket, request) => {
    headers.push(request.headers);
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(
      container,
      harness.plugin,
      harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 100 }),
    );
    const rate = harness.wireSampleRate;
    const serializer = createWireSerializer(
      container,
      harness.plugin.name,
      harness.call({ callId: 'call-1', streamId: STREAM_ID, sampleRate: rate, autoHangUp: false }),
    );
    serializer.setup(startFrame({ audioInSampleRate: rate, audioOutSampleRate: rate }));
    const io: AppIo = {
      socket,
      serializer,
      frames: [],
      messages: [],
      send: (frame) => {
        for (const message of serializer.serialize(frame)) socket.send(message);
      },
    };
    connections.push(io);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const message: WireMessage = isBinary ? new Uint8Array(data) : data.toString('utf8');
      io.messages.push(message);
      for (const frame of serializer.deserialize(message, (reply) => socket.send(reply))) {
        io.frames.push(frame);
        app.onFrame?.(frame, io);
      }
    });
    app.onOpen?.(io);
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`, connections, headers };
}

/** Plays back each caller frame; closes with 4000 on DTMF '#'. */
const echo: App = {
  onFrame(frame, io) {
    if (frame.type === 'input-audio') io.send(outputAudioFrame(frame.audio, frame.sampleRate));
    if (frame.type === 'input-dtmf' && frame.digit === '#') io.socket.close(4000, 'bye');
  },
};

const kind = (frame: Frame) => (frame.type === 'input-dtmf' ? `dtmf:${frame.digit}` : frame.type);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const carriers: Array<[string, CarrierHarness<unknown, unknown>, WireMessage]> = [
  ['a JSON carrier (mu-law, 8 kHz)', toyHarness() as CarrierHarness<unknown, unknown>, 'not json'],
  [
    'a binary carrier (L16, 16 kHz)',
    binaryToyHarness() as CarrierHarness<unknown, unknown>,
    new Uint8Array(3),
  ],
];

describe.each(carriers)('simulateCall as %s', (_, harness, refused) => {
  const rate = harness.wireSampleRate;
  const frameSamples = rate / 50;
  const info = harness.call({ callId: 'call-1', streamId: STREAM_ID, sampleRate: rate, autoHangUp: false });

  it('sends the opening, 20 ms media frames and DTMF, and decodes what the server plays', async () => {
    const app = await startApp(harness, echo);
    const audio = tone({ frequencyHz: 440, durationMs: 210, sampleRate: rate }); // 10.5 frames
    const events: SimulatorEvent[] = [];
    const summary = await simulateCall({
      url: app.url,
      harness,
      audio,
      realTime: false,
      callId: 'call-1',
      streamId: STREAM_ID,
      headers: { 'x-carrier-signature': 'sig' },
      dtmf: [
        { digit: '5', atMs: 40 },
        { digit: '#', atMs: 10_000 },
      ],
      onEvent: (event) => events.push(event),
    });

    const [connection] = app.connections;
    expect(app.headers[0]?.['x-carrier-signature']).toBe('sig');
    expect(connection?.messages[0]).toEqual(harness.wire.start?.(info)[0]);
    expect(connection?.frames.map(kind)).toEqual([
      'input-audio',
      'input-audio',
      'dtmf:5',
      ...Array(9).fill('input-audio'),
      'dtmf:#',
    ]);
    // Every media frame is 20 ms at the wire rate (the last one padded with silence).
    const padded = new Int16Array(11 * frameSamples);
    padded.set(audio);
    const sentAudio = connection?.messages
      .map((message) => harness.read.audio(message))
      .filter((pcm) => pcm !== undefined);
    expect(sentAudio?.map((pcm) => pcm.length)).toEqual(Array(11).fill(frameSamples));

    // The echo played back what was sent, through the carrier's codec both ways.
    const wireRoundTrip = harness.read.audio(harness.wire.media(info, padded));
    expect(summary.receivedAudio).toEqual(wireRoundTrip);
    expect(summary.sampleRate).toBe(rate);
    expect(summary).toMatchObject({
      callId: 'call-1',
      streamId: STREAM_ID,
      sent: { start: 1, media: 11, dtmf: 2 },
      received: { audio: 11 },
      closeCode: 4000,
      closeReason: 'bye',
      closedBy: 'server',
      errors: [],
    });
    expect(summary.timings.mediaSentAtMs).toHaveLength(11);
    expect(summary.timings.audio.map((record) => record.samples)).toEqual(Array(11).fill(frameSamples));
    expect(events[0]?.kind).toBe('open');
    expect(events.at(-1)?.text).toMatch(/closed by server: 4000 bye/);
    expect(events.some((event) => event.text === `← audio ${frameSamples} samples`)).toBe(true);
  });

  it('acknowledges checkpoints and clears as the carrier does, and reads output DTMF', async () => {
    const app = await startApp(harness, {
      onOpen(io) {
        io.send(checkpointFrame('first'));
        io.send(interruptionFrame());
        if (harness.supports.outputDtmf) io.send(outputDtmfFrame('12#'));
      },
      onFrame(frame, io) {
        if (frame.type === 'checkpoint-reached') setTimeout(() => io.socket.close(1000), 20);
      },
    });
    const summary = await simulateCall({ url: app.url, harness, realTime: false, streamId: STREAM_ID });
    expect(app.connections[0]?.frames).toEqual([{ type: 'checkpoint-reached', name: 'first' }]);
    expect(summary.checkpoints).toEqual([
      expect.objectContaining({ name: 'first', ackedAtMs: expect.any(Number) }),
    ]);
    expect(summary.cleared).toBe(1);
    // The clear is acknowledged only by a carrier that acknowledges clears.
    expect(summary.sent.acks).toBe(harness.wire.cleared ? 2 : 1);
    if (harness.wire.cleared) expect(app.connections[0]?.messages).toContainEqual(harness.wire.cleared(info));
    expect(summary.outputDtmf).toEqual(harness.supports.outputDtmf ? ['12#'] : []);
    expect(summary.closedBy).toBe('server');
  });

  it('drops checkpoints waiting on audio a clear removed (real-time playback)', async () => {
    const app = await startApp(harness, {
      onOpen(io) {
        // Two seconds of audio, then a checkpoint that can only be acked after it played; then a clear.
        io.send(outputAudioFrame(tone({ frequencyHz: 440, durationMs: 2000, sampleRate: rate }), rate));
        io.send(checkpointFrame('after-audio'));
        setTimeout(() => io.send(interruptionFrame()), 50);
        setTimeout(() => io.socket.close(1000), 150);
      },
    });
    const summary = await simulateCall({ url: app.url, harness, realTime: true, streamId: STREAM_ID });
    expect(summary.checkpoints).toHaveLength(1);
    expect(summary.checkpoints[0]?.ackedAtMs).toBeUndefined();
    expect(app.connections[0]?.frames).toEqual([]);
    expect(summary.receivedAudio.length).toBe(2 * rate);
  });

  it('keeps a playback clock: the caller hears audio in real time from its arrival, and a clear drops the rest', async () => {
    const app = await startApp(harness, {
      onOpen(io) {
        io.send(outputAudioFrame(tone({ frequencyHz: 440, durationMs: 2000, sampleRate: rate }), rate));
        setTimeout(() => io.send(interruptionFrame()), 50);
        setTimeout(() => io.socket.close(1000), 150);
      },
    });
    const summary = await simulateCall({ url: app.url, harness, realTime: true, streamId: STREAM_ID });
    const arrivals = summary.timings.audio;
    const [clear] = summary.playback.clears;
    expect(summary.playback.clears).toHaveLength(1);
    // Whatever the scheduler did, what was heard is the time the audio had been playing when the clear came.
    const firstAt = arrivals[0]?.atMs ?? Number.NaN;
    const arrivedMs = (arrivals.reduce((sum, record) => sum + record.samples, 0) * 1000) / rate;
    const heardByClear = Math.min(arrivedMs, (clear?.atMs ?? 0) - firstAt);
    // (The two clocks are read a few µs apart.)
    expect(Math.abs((clear?.heardMs ?? 0) - heardByClear)).toBeLessThan(0.5);
    expect(clear?.heardMs).toBeLessThan(2000);
    // Nothing came after the clear: the caller heard no more by the close.
    expect(summary.playback.heardMs).toBeCloseTo(clear?.heardMs ?? Number.NaN, 6);
  });

  it('acknowledges a checkpoint once the audio before it has played, or never when told so', async () => {
    const app = await startApp(harness, {
      onOpen(io) {
        io.send(outputAudioFrame(tone({ frequencyHz: 440, durationMs: 200, sampleRate: rate }), rate));
        io.send(checkpointFrame('after-audio'));
        setTimeout(() => io.socket.close(1000), 400);
      },
    });
    const played = await simulateCall({ url: app.url, harness, realTime: true, streamId: STREAM_ID });
    const [checkpoint] = played.checkpoints;
    expect((checkpoint?.ackedAtMs ?? 0) - (checkpoint?.receivedAtMs ?? 0)).toBeGreaterThanOrEqual(190);
    const never = await simulateCall({
      url: app.url,
      harness,
      realTime: true,
      checkpoints: 'never',
      streamId: STREAM_ID,
    });
    expect(never.checkpoints[0]?.ackedAtMs).toBeUndefined();
    expect(app.connections[1]?.frames).toEqual([]);
  });

  it('counts a message the carrier would refuse as invalid, and carries on', async () => {
    const app = await startApp(harness, {
      onOpen(io) {
        io.socket.send(refused);
        io.send(outputAudioFrame(tone({ frequencyHz: 1000, durationMs: 100, sampleRate: rate }), rate));
        setTimeout(() => io.socket.close(1000), 20);
      },
    });
    const summary = await simulateCall({ url: app.url, harness, realTime: false });
    expect(summary.received).toMatchObject({ invalid: 1, audio: expect.any(Number) });
    expect(summary.errors).toHaveLength(1);
    expect(summary.receivedAudio.length).toBe(rate / 10);
  });

  it('paces media in real time and hangs up after the tail (with the carrier stop message, if any)', async () => {
    const app = await startApp(harness, {});
    const summary = await simulateCall({
      url: app.url,
      harness,
      audio: tone({ frequencyHz: 440, durationMs: 100, sampleRate: rate }),
      realTime: true,
      tailMs: 20,
    });
    expect(summary.sent.media).toBe(5);
    // Frame k is not sent before its 20 ms slot on the simulator's clock (a lower bound only, with a few
    // ms for timer rounding): sent at once, the five frames would go out within a millisecond.
    summary.timings.mediaSentAtMs.forEach((atMs, index) => {
      expect(atMs).toBeGreaterThanOrEqual(index * 20 - 5);
    });
    const span = (summary.timings.mediaSentAtMs[4] ?? 0) - (summary.timings.mediaSentAtMs[0] ?? 0);
    expect(span).toBeGreaterThan(0);
    expect(summary).toMatchObject({ closedBy: 'simulator', closeCode: 1000 });
    await sleep(20);
    const last = app.connections[0]?.messages.at(-1);
    if (harness.wire.stop) expect(last).toEqual(harness.wire.stop(info));
  });

  it('sends DTMF after a server message, and hangs up on request or abort', async () => {
    const app = await startApp(harness, { onOpen: (io) => io.send(checkpointFrame('menu')) });
    const call = startSimulatedCall({
      url: app.url,
      harness,
      realTime: false,
      durationMs: 60_000,
      checkpoints: 'never',
      dtmf: [{ digit: '9', afterReceived: 'checkpoint', delayMs: 5 }],
    });
    while (!app.connections[0]?.frames.some((frame) => frame.type === 'input-dtmf')) await sleep(5);
    call.hangUp();
    const summary = await call.done;
    expect(app.connections[0]?.frames).toEqual([{ type: 'input-dtmf', digit: '9' }]);
    expect(summary.closedBy).toBe('simulator');

    const controller = new AbortController();
    const aborted = simulateCall({
      url: app.url,
      harness,
      realTime: false,
      durationMs: 60_000,
      signal: controller.signal,
      // Aborted once open: on a loaded machine 20 ms after the start may still be mid-handshake, and a
      // call that never opened rejects instead (that case is the "cannot be reached" test).
      onEvent: (event) => {
        if (event.kind === 'open') setTimeout(() => controller.abort(), 20);
      },
    });
    expect((await aborted).closedBy).toBe('simulator');
  });

  it('streams its events through an async iterator that ends at close', async () => {
    const app = await startApp(harness, echo);
    const call = startSimulatedCall({
      url: app.url,
      harness,
      audio: tone({ frequencyHz: 440, durationMs: 40, sampleRate: rate }),
      realTime: false,
      dtmf: [{ digit: '#', afterReceived: 'audio' }],
    });
    const kinds: string[] = [];
    for await (const event of call.events())
      kinds.push(event.event ? `${event.kind}:${event.event}` : event.kind);
    expect(kinds[0]).toBe('open');
    expect(kinds).toContain('sent:start');
    expect(kinds).toContain('received:audio');
    expect(kinds).toContain('sent:dtmf');
    expect(kinds.at(-1)).toBe('close');
    expect((await call.done).closeCode).toBe(4000);
  });

  it('rejects when the server cannot be reached', async () => {
    const app = await startApp(harness, {});
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    await expect(simulateCall({ url: app.url, harness, realTime: false })).rejects.toThrow();
  });
});

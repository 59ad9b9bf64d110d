// Full calls on real sockets: a real call server (WebSocket and TCP listeners on 127.0.0.1 port 0)
// driven by the fake Asterisk (chan_websocket) and the fake AudioSocket client of the testing subpath.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import {
  type CallMetadata,
  checkpointFrame,
  createCallwireContainer,
  interruptionFrame,
  outputAudioFrame,
  registerCarrier,
} from '@callwire/core';
import { type CallClosed, type CallHandler, type CallServer, createCallServer } from '@callwire/server';
import { type LogRecord, recordingLogger } from '@callwire/testing';
import { fitTone, tone } from '@callwire/testing/audio';
import { afterEach, describe, expect, it } from 'vitest';
import { audioSocket } from './audiosocket/carrier.js';
import { connectFakeAsterisk } from './testing/fake-asterisk.js';
import { connectFakeAudioSocket } from './testing/fake-audiosocket.js';
import { ASTERISK_WS_AUTH } from './testing/websocket-harness.js';
import { asteriskWebSocket } from './websocket/carrier.js';

const servers: CallServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Started {
  readonly url: string;
  readonly tcpPort: number;
  readonly logs: LogRecord[];
  readonly infos: CallMetadata[];
  readonly ended: Promise<CallClosed>;
}

/** The demo bot's behaviour: echo, '1' a checkpoint, '2' an interruption, '#' hang up. */
const echoBot =
  (infos: CallMetadata[], onClosed: (closed: CallClosed) => void): CallHandler =>
  async (call) => {
    infos.push(call.info);
    void call.closed.then(onClosed);
    for await (const frame of call.frames) {
      if (frame.type === 'input-audio') await call.send(outputAudioFrame(frame.audio, frame.sampleRate));
      if (frame.type === 'input-dtmf' && frame.digit === '1') await call.send(checkpointFrame('one'));
      if (frame.type === 'input-dtmf' && frame.digit === '2') await call.send(interruptionFrame());
      if (frame.type === 'input-dtmf' && frame.digit === '#') return call.hangUp();
    }
  };

async function start(options: { handler?: CallHandler; maxPayload?: number } = {}): Promise<Started> {
  const logs: LogRecord[] = [];
  const logger = recordingLogger({ sink: logs });
  const container = createCallwireContainer({ logger });
  registerCarrier(container, asteriskWebSocket, {
    wsUsername: ASTERISK_WS_AUTH.username,
    wsPassword: ASTERISK_WS_AUTH.password,
  });
  registerCarrier(container, audioSocket, {});
  const infos: CallMetadata[] = [];
  let resolveEnded: (closed: CallClosed) => void = () => {};
  const ended = new Promise<CallClosed>((resolve) => {
    resolveEnded = resolve;
  });
  const server = createCallServer({
    container,
    logger,
    handler: options.handler ?? echoBot(infos, resolveEnded),
    tcp: { port: 0, host: '127.0.0.1' },
    ...(options.maxPayload ? { maxPayload: options.maxPayload } : {}),
  });
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  return { url: `ws://127.0.0.1:${port}/stream`, tcpPort: server.tcpPort() as number, logs, infos, ended };
}

const caller = (sampleRate: number, durationMs: number) =>
  tone({ frequencyHz: 1000, durationMs, sampleRate, amplitude: 0.4 });

describe('chan_websocket: a full call through the fake Asterisk', () => {
  for (const controlFormat of ['json', 'plain-text'] as const) {
    it(`echoes audio at real pace, handles DTMF, marks, interruption and the bot's HANGUP (${controlFormat})`, async () => {
      const server = await start();
      const asterisk = connectFakeAsterisk({
        url: server.url,
        wsAuth: ASTERISK_WS_AUTH,
        controlFormat,
        channelVariables: { tenant: 'acme', CALLERID_NUM: '1001' },
      });
      await asterisk.opened;
      await asterisk.talk(caller(8000, 600));
      await asterisk.until(() => asterisk.played().length >= 8000 * 0.4);
      const echoed = asterisk.played();
      // The echo went through the pipeline (8 kHz mu-law -> 16 kHz -> 8 kHz mu-law): the tone survives.
      expect(fitTone(echoed.subarray(800), 1000, 8000).snrDb).toBeGreaterThan(25);
      asterisk.press('1');
      await asterisk.until(() => asterisk.marksPlayed.includes('one'));
      asterisk.press('2');
      await asterisk.until(() => asterisk.commands.some((entry) => entry.command === 'FLUSH_MEDIA'));
      asterisk.press('#');
      expect(await asterisk.closed).toBe(1000);
      expect(asterisk.commands.at(-1)?.command).toBe('HANGUP');
      expect((await server.ended).reason).toBe('hung-up');
      expect(asterisk.droppedMessages()).toBe(0);
      if (controlFormat === 'json') {
        expect(server.infos[0]?.customParameters).toEqual({ tenant: 'acme', CALLERID_NUM: '1001' });
      } else {
        expect(server.infos[0]?.raw).toMatch(/^MEDIA_START connection_id:/);
      }
    }, 20_000);
  }

  it("refuses an upgrade without websocket_client.conf's credentials (401) or with wrong ones (403)", async () => {
    const server = await start();
    const anonymous = connectFakeAsterisk({ url: server.url });
    await expect(anonymous.opened).rejects.toThrow(/401/);
    const wrong = connectFakeAsterisk({
      url: server.url,
      wsAuth: { username: ASTERISK_WS_AUTH.username, password: 'not-the-password' },
    });
    await expect(wrong.opened).rejects.toThrow(/403/);
    await Promise.all([anonymous.closed, wrong.closed]);
    expect(server.infos).toEqual([]);
    expect(JSON.stringify(server.logs)).not.toContain(ASTERISK_WS_AUTH.password);
  });

  it('ends the call when the caller hangs up (the socket closes)', async () => {
    const server = await start();
    const asterisk = connectFakeAsterisk({ url: server.url, wsAuth: ASTERISK_WS_AUTH, format: 'slin16' });
    await asterisk.opened;
    await asterisk.talk(caller(16000, 200));
    asterisk.hangUp();
    expect((await server.ended).reason).toBe('remote-closed');
  });

  it('holds media on MEDIA_XOFF and releases it on MEDIA_XON: 40 s sent at once, every sample played, none dropped', async () => {
    const seconds = 40;
    let sent = 0;
    const server = await start({
      handler: async (call) => {
        // A burst far beyond Asterisk's 1000-frame queue (2000 frames of 20 ms), then a mark.
        const speech = caller(16000, seconds * 1000);
        for (let offset = 0; offset < speech.length; offset += 16000) {
          const second = speech.subarray(offset, offset + 16000);
          sent += second.length;
          await call.send(outputAudioFrame(second, 16000));
        }
        await call.send(checkpointFrame('end-of-speech'));
        for await (const frame of call.frames) {
          if (frame.type === 'checkpoint-reached' && frame.name === 'end-of-speech') return;
        }
      },
    });
    // Played 20x faster than real time, so the test takes 2 s, not 40.
    const asterisk = connectFakeAsterisk({ url: server.url, wsAuth: ASTERISK_WS_AUTH, playEveryMs: 1 });
    await asterisk.opened;
    await asterisk.until(() => asterisk.marksPlayed.includes('end-of-speech'));
    expect(sent).toBe(seconds * 16000);
    expect(asterisk.xoffs()).toBeGreaterThan(0);
    expect(asterisk.droppedMessages()).toBe(0);
    // 16 kHz -> 8 kHz: every sample arrives; the checkpoint flushed the last partial frame (padded).
    const played = asterisk.played().length;
    expect(played).toBeGreaterThanOrEqual(seconds * 8000 - 160);
    expect(played).toBeLessThanOrEqual(seconds * 8000 + 160);
    expect(asterisk.commands.filter((entry) => entry.command === 'GET_STATUS').length).toBeGreaterThan(0);
  }, 30_000);
});

describe('AudioSocket: a full call over TCP through the fake AudioSocket client', () => {
  for (const byteByByte of [false, true]) {
    it(`echoes audio, takes DTMF and ends with the bot's hang-up message${byteByByte ? ' (every byte a read of its own)' : ''}`, async () => {
      const server = await start();
      const uuid = randomUUID();
      const client = connectFakeAudioSocket({ port: server.tcpPort, uuid, byteByByte });
      await client.opened;
      await client.talk(caller(8000, byteByByte ? 200 : 600));
      await client.until(() => client.played().length >= (byteByByte ? 800 : 8000 * 0.4));
      expect(client.played().length).toBeGreaterThan(0);
      if (!byteByByte) expect(fitTone(client.played().subarray(800), 1000, 8000).snrDb).toBeGreaterThan(50);
      await client.press('#');
      await client.closed;
      expect(client.received.at(-1)).toEqual({ kind: 0x00, payload: new Uint8Array(0) });
      expect(client.received.every((message) => message.kind === 0x10 || message.kind === 0x00)).toBe(true);
      expect((await server.ended).reason).toBe('hung-up');
      expect(server.infos[0]?.customParameters).toEqual({ uuid });
    }, 30_000);
  }

  it('warns at start-up that the listener cannot authenticate callers (a private network only)', async () => {
    const server = await start();
    expect(
      server.logs.find(
        (line) => line.level === 'warn' && /audiosocket stream listener cannot authenticate/.test(line.text),
      ),
    ).toBeDefined();
  });

  it('follows the rate of the slin kind Asterisk sends (slin16, kind 0x12) both ways', async () => {
    const server = await start();
    const client = connectFakeAudioSocket({ port: server.tcpPort, uuid: randomUUID(), sampleRate: 16000 });
    await client.opened;
    await client.talk(caller(16000, 400));
    await client.until(() => client.played().length >= 3200);
    expect(client.received.filter((message) => message.kind !== 0x12)).toEqual([]);
    expect(client.received[0]?.payload.length).toBe(640);
    await client.hangUp();
    expect((await server.ended).reason).toBe('remote-closed');
  });

  it('closes a connection that sends garbage, with a log line, and serves the next call', async () => {
    const server = await start();
    const garbage = connectFakeAudioSocket({ port: server.tcpPort, uuid: randomUUID() });
    await garbage.opened;
    await garbage.write(Uint8Array.of(0x42, 0x00, 0x01, 0x00));
    await garbage.closed;
    expect(
      server.logs.some((line) => /stream connection closed \(audiosocket\): .*kind 0x42/.test(line.text)),
    ).toBe(true);
    const next = connectFakeAudioSocket({ port: server.tcpPort, uuid: randomUUID() });
    await next.opened;
    await next.talk(caller(8000, 200));
    await next.until(() => next.played().length > 0);
    await next.hangUp();
    expect((await server.ended).reason).toBe('remote-closed');
  });

  it('closes a connection whose message is longer than the limit', async () => {
    const server = await start({ maxPayload: 1000 });
    const client = connectFakeAudioSocket({ port: server.tcpPort, uuid: randomUUID() });
    await client.opened;
    await client.write(Uint8Array.of(0x10, 0x13, 0x88));
    await client.closed;
    expect(
      server.logs.some((line) => /5003-byte AudioSocket message exceeds the 1000-byte limit/.test(line.text)),
    ).toBe(true);
  });

  it('refuses a first message that is not the UUID', async () => {
    const server = await start();
    const socket = connect({ port: server.tcpPort, host: '127.0.0.1' });
    socket.on('data', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(Uint8Array.of(0x10, 0x00, 0x02, 0x00, 0x00));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(server.logs.some((line) => /unrecognised opening message/.test(line.text))).toBe(true);
  });
});

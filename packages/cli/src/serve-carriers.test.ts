import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputAudioFrame } from '@callwire/core';
import { plivo } from '@callwire/plivo';
import { startFakePlivoApi } from '@callwire/plivo/testing';
import type { CallHandler } from '@callwire/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type Serving, startServing } from './serve.js';
import { type CliRun, cliWithToyCarrier, runCli } from './test-support/cli-process.js';
import { createMemoryLogger } from './test-support/memory-logger.js';
import { connectPlivoLike } from './test-support/plivo-client.js';
import { CLI_STREAM_SECRET, withToken } from './test-support/stream-token.js';
import { toy, toyHangUps, toyMessages } from './test-support/toy-carrier.js';
import { waitFor } from './test-support/wait-for.js';

/** Plays the caller's first audio frame back, then ends the call (so auto hang-up, where on, hangs up). */
const echoOnceBot: CallHandler = async (call) => {
  for await (const frame of call.frames) {
    if (frame.type === 'input-audio') {
      await call.send(outputAudioFrame(frame.audio, frame.sampleRate, frame.numChannels));
      return;
    }
  }
};

/** A toy-carrier call over a real socket: hello, one audio message; resolves with what came back and the close. */
async function toyCall(url: string, callId: string) {
  const socket = new WebSocket(withToken(url, 'toy', callId));
  const received: Record<string, unknown>[] = [];
  socket.on('message', (data) => received.push(JSON.parse(String(data)) as Record<string, unknown>));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const { hello, audio } = toyMessages(callId, `${callId}-stream`);
  socket.send(hello);
  socket.send(audio);
  return { received, closeCode: await closed };
}

async function plivoCall(url: string, callId: string) {
  const client = await connectPlivoLike(withToken(url, 'plivo', callId), callId, `${callId}-stream`);
  client.sendStart();
  client.sendMedia(3);
  const { code } = await client.closed;
  return { received: client.received, closeCode: code };
}

describe('startServing with two carriers on one port', () => {
  const servers: Serving[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((serving) => serving.server.close()));
    toyHangUps.splice(0);
  });

  it('answers both; the carrier with credentials hangs up, the other runs with auto hang-up off', async () => {
    const api = await startFakePlivoApi();
    try {
      const serving = await startServing({
        handler: echoOnceBot,
        carriers: [plivo, toy],
        env: {
          TOY_TOKEN: 'toy-token',
          PLIVO_API_BASE_URL: api.url,
          CALLWIRE_STREAM_SECRET: CLI_STREAM_SECRET,
        },
        port: 0,
        host: '127.0.0.1',
        logger: createMemoryLogger(),
      });
      servers.push(serving);
      expect(serving.carriers.map(({ name, canHangUp }) => [name, canHangUp])).toEqual([
        ['plivo', false],
        ['toy', true],
      ]);
      expect(serving.answerCarrier).toBe('plivo');
      const url = `ws://127.0.0.1:${serving.port}/stream`;
      const [plivoResult, toyResult] = await Promise.all([plivoCall(url, 'p-1'), toyCall(url, 't-1')]);
      expect(plivoResult.received.some((message) => message.event === 'playAudio')).toBe(true);
      expect(toyResult.received.some((message) => message.kind === 'audio')).toBe(true);
      expect([plivoResult.closeCode, toyResult.closeCode]).toEqual([1000, 1000]);
      expect(toyHangUps).toEqual(['t-1']);
      expect(api.requests).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('refuses an answer carrier it does not serve, naming the ones it does', async () => {
    await expect(
      startServing({
        handler: echoOnceBot,
        carriers: [plivo, toy],
        answerCarrier: 'twilio',
        port: 0,
        logger: createMemoryLogger(),
      }),
    ).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('plivo') });
  });
});

describe('callwire serve (spawned) with Plivo and a second carrier', () => {
  let botDir: string;
  let botPath: string;
  beforeAll(async () => {
    botDir = await mkdtemp(join(tmpdir(), 'callwire-bot-'));
    botPath = join(botDir, 'end-at-first-audio.mjs');
    // A --bot module: ends the call at the caller's first audio frame.
    await writeFile(
      botPath,
      "export default async (call) => { for await (const frame of call.frames) if (frame.type === 'input-audio') return; };\n",
    );
  });
  afterAll(() => rm(botDir, { recursive: true, force: true }));

  async function serve(env: Record<string, string>): Promise<{ running: CliRun; url: string; base: string }> {
    const running = runCli(
      ['serve', '--port', '0', '--host', '127.0.0.1', '--bot', botPath, '--drain-timeout', '0'],
      env,
      cliWithToyCarrier,
    );
    const port = await waitFor('the banner', () => {
      if (running.child.exitCode !== null) throw new Error(`exited: ${running.output()}`);
      return running.output().match(/on port (\d+)/)?.[1];
    });
    return { running, url: `ws://127.0.0.1:${port}/stream`, base: `http://127.0.0.1:${port}` };
  }

  it('hangs Plivo calls up on the Plivo API when its credentials are set; the toy carrier, without, does not', async () => {
    const api = await startFakePlivoApi({ authId: 'MACLITEST', authToken: 'cli-test-token-42' });
    const { running, url, base } = await serve({
      PLIVO_AUTH_ID: 'MACLITEST',
      PLIVO_AUTH_TOKEN: 'cli-test-token-42',
      PLIVO_API_BASE_URL: api.url,
    });
    try {
      expect(running.output()).toContain('plivo (hangs up)');
      expect(running.output()).toContain('toy (no hang-up');
      const [plivoResult, toyResult] = await Promise.all([plivoCall(url, 'cli-p'), toyCall(url, 'cli-t')]);
      expect([plivoResult.closeCode, toyResult.closeCode]).toEqual([1000, 1000]);
      expect(api.requests.map((request) => [request.method, request.path, request.responseStatus])).toEqual([
        ['DELETE', '/v1/Account/MACLITEST/Call/cli-p/', 204],
      ]);
      // POST /answer still answers Plivo (here unsigned: the token is set, so 401).
      expect((await fetch(`${base}/answer`, { method: 'POST', body: 'CallUUID=1' })).status).toBe(401);
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      expect(running.output()).not.toContain('toyHungUp');
      expect(running.output()).not.toContain('cli-test-token-42');
    } finally {
      running.child.kill('SIGKILL');
      await api.close();
    }
  });

  it('serves Plivo without credentials (no hang-up request) and hangs up toy calls once TOY_TOKEN is set', async () => {
    const api = await startFakePlivoApi();
    const { running, url, base } = await serve({ PLIVO_API_BASE_URL: api.url, TOY_TOKEN: 'toy' });
    try {
      expect(running.output()).toContain('plivo (no hang-up');
      expect(running.output()).toContain('toy (hangs up)');
      const [plivoResult, toyResult] = await Promise.all([plivoCall(url, 'anon-p'), toyCall(url, 'anon-t')]);
      expect([plivoResult.closeCode, toyResult.closeCode]).toEqual([1000, 1000]);
      expect(api.requests).toEqual([]);
      await waitFor(
        'the toy hang-up',
        () => running.output().includes('{"toyHungUp":"anon-t"}') || undefined,
      );
      const answered = await fetch(`${base}/answer`, { method: 'POST', body: 'CallUUID=2' });
      expect(answered.status).toBe(200);
      expect(await answered.text()).toMatch(
        /^<Response><Stream bidirectional="true".*>ws:\/\/127\.0\.0\.1:\d+\/stream\/[A-Za-z0-9_.-]+<\/Stream><\/Response>$/,
      );
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    } finally {
      running.child.kill('SIGKILL');
      await api.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { connectFakeAudioSocket } from '@callwire/asterisk/testing';
import { silentLogger } from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { echoBot } from './echo.js';
import { parseServeArgs } from './flags.js';
import { type Serving, startServing } from './serve.js';
import { runCli } from './test-support/cli-process.js';

const running: Serving[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((serving) => serving.server.close()));
});

describe('callwire serve --audiosocket-port', () => {
  it('parses the flag and refuses a bad port', () => {
    expect(parseServeArgs(['serve', '--audiosocket-port', '9092'])).toMatchObject({ audioSocketPort: 9092 });
    expect(parseServeArgs(['serve', '--audiosocket-port', '70000'])).toEqual({
      error: '--audiosocket-port must be 0-65535, got 70000',
    });
  });

  it('opens an AudioSocket listener beside the HTTP port that runs the same bot', async () => {
    const serving = await startServing({
      handler: echoBot,
      port: 0,
      host: '127.0.0.1',
      audioSocketPort: 0,
      logger: silentLogger,
    });
    running.push(serving);
    expect(serving.audioSocketPort).toBeGreaterThan(0);
    expect(serving.audioSocketPort).not.toBe(serving.port);
    const client = connectFakeAudioSocket({ port: serving.audioSocketPort as number, uuid: randomUUID() });
    await client.opened;
    await client.talk(Int16Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin(i / 3))));
    await client.until(() => client.played().length > 0);
    expect(client.played().length).toBeGreaterThan(0);
    await client.hangUp();
  });

  it('prints the AudioSocket port in the banner of --workers 2, and the workers serve it', async () => {
    const running = runCli([
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--workers',
      '2',
      '--audiosocket-port',
      '0',
    ]);
    try {
      let match: RegExpMatchArray | null = null;
      // A deadlock guard, not a timing assertion: the banner comes once both workers listen.
      for (let attempt = 0; attempt < 750 && !match; attempt += 1) {
        match = running.output().match(/AudioSocket: +TCP port (\d+) \(private network only/);
        if (!match) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(match, running.output()).not.toBeNull();
      const port = Number(match?.[1]);
      expect(port).toBeGreaterThan(0);
      const client = connectFakeAudioSocket({ port, uuid: randomUUID() });
      await client.opened;
      await client.talk(Int16Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin(i / 3))));
      await client.until(() => client.played().length > 0);
      expect(client.played().length).toBeGreaterThan(0);
      await client.hangUp();
    } finally {
      running.child.kill('SIGKILL');
      await running.exited;
    }
  }, 30_000);
});

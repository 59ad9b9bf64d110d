import { randomUUID } from 'node:crypto';
import { connectFakeAudioSocket } from '@callwire/asterisk/testing';
import { silentLogger } from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { echoBot } from './echo.js';
import { parseServeArgs } from './flags.js';
import { type Serving, startServing } from './serve.js';

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
});

import { computePlivoSignatureV3 } from '@callwire/plivo';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { echoBot } from './echo.js';
import { type Serving, startServing } from './serve.js';
import { createMemoryLogger } from './test-support/memory-logger.js';
import { CLI_STREAM_SECRET, withToken } from './test-support/stream-token.js';

const token = 'upgrade-secret-token-0123';
const servers: Serving[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((serving) => serving.server.close()));
});

/** The HTTP status of the upgrade's answer, or 101 when the socket opened. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', (error) => reject(error));
  });
}

describe('--verify-upgrade', () => {
  it('refuses to start without the auth token, naming it', async () => {
    await expect(
      startServing({ handler: echoBot, port: 0, logger: createMemoryLogger(), verifyUpgrade: true }),
    ).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('PLIVO_AUTH_TOKEN') });
  });

  it('with the token: unsigned upgrades get 401, forged 403, signed ones open', async () => {
    const serving = await startServing({
      handler: echoBot,
      port: 0,
      host: '127.0.0.1',
      env: { PLIVO_AUTH_TOKEN: token, CALLWIRE_STREAM_SECRET: CLI_STREAM_SECRET },
      verifyUpgrade: true,
      logger: createMemoryLogger(),
    });
    servers.push(serving);
    // Stream auth stays on: each upgrade carries a fresh stream token, and Plivo's signature covers it.
    let url = '';
    const sign = (authToken: string) => {
      url = withToken(`ws://127.0.0.1:${serving.port}/stream`, 'plivo');
      const nonce = '98765432109876543210';
      const signature = computePlivoSignatureV3({ method: 'GET', url, nonce, authToken }) ?? '';
      return { 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': nonce };
    };
    sign(token);
    expect(await upgradeStatus(url)).toBe(401);
    const forged = sign('another-token-entirely');
    expect(await upgradeStatus(url, forged)).toBe(403);
    const signed = sign(token);
    expect(await upgradeStatus(url, signed)).toBe(101);
  });

  it('is off by default: an unsigned upgrade opens', async () => {
    const serving = await startServing({
      handler: echoBot,
      port: 0,
      host: '127.0.0.1',
      env: { PLIVO_AUTH_TOKEN: token, CALLWIRE_STREAM_SECRET: CLI_STREAM_SECRET },
      logger: createMemoryLogger(),
    });
    servers.push(serving);
    expect(await upgradeStatus(withToken(`ws://127.0.0.1:${serving.port}/stream`, 'plivo'))).toBe(101);
  });
});

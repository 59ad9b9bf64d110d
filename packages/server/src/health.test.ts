import { createCallwireContainer } from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallServer } from './server.js';
import { connectClient } from './test-support/client.js';
import {
  closeStartedServers,
  collect,
  eventually,
  start,
  upgradeStatus,
} from './test-support/server-harness.js';

afterEach(closeStartedServers);

describe('health and readiness endpoints', () => {
  it('answers /healthz and /readyz with 200 ok on GET and an empty 200 on HEAD, no-store', async () => {
    const { port } = await start(async (call) => void (await collect(call)));
    for (const path of ['/healthz', '/readyz']) {
      const got = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('cache-control')).toBe('no-store');
      expect(await got.text()).toBe('ok\n');
      const head = await fetch(`http://127.0.0.1:${port}${path}?probe=1`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    }
    expect((await fetch(`http://127.0.0.1:${port}/readyz`, { method: 'POST' })).status).toBe(405);
  });

  it('is not ready at the connection cap, ready again once a slot frees, and never names a call', async () => {
    const { server, port } = await start(async (call) => void (await collect(call)), { maxConnections: 1 });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 'stream-secret', callId: 'call-secret' });
    await eventually(() => server.stats().calls === 1);
    const full = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(full.status).toBe(503);
    const text = await full.text();
    expect(text).toBe('not ready: at-capacity\n');
    expect(server.readiness()).toBe('at-capacity');
    // Alive all the same: a full server must not be restarted.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    client.socket.close();
    await eventually(() => server.stats().sockets === 0);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  });

  it('says closing once close() began', async () => {
    const { server, port } = await start(async (call) => void (await collect(call)));
    expect(await upgradeStatus(port)).toBe(101);
    const closing = server.close();
    expect(server.readiness()).toBe('closing');
    await closing;
  });

  it.each(['/healthz', '/readyz', '/metrics'])('refuses %s as a media or answer path (CONFIG)', (path) => {
    const container = createCallwireContainer();
    expect(() => createCallServer({ container, handler: async () => {}, path })).toThrow(
      /invalid options: path: .* is reserved/,
    );
    expect(() => createCallServer({ container, handler: async () => {}, answerPath: path })).toThrow(
      /invalid options: answerPath: .* is reserved/,
    );
  });
});

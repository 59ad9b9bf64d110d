import { once } from 'node:events';
import { connect } from 'node:net';
import { createCallwireContainer, registerCarrier } from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallServer } from './server.js';
import { mintStreamToken } from './stream-token.js';
import { connectClient, TEST_STREAM_SECRET, tokenPath } from './test-support/client.js';
import { createMemoryLogger } from './test-support/memory-logger.js';
import {
  closeStartedServers,
  collect,
  eventually,
  start,
  upgradeStatus,
} from './test-support/server-harness.js';
import { createToyCarrier } from './test-support/toy-carrier.js';

afterEach(closeStartedServers);

const untilDtmf = async (call: Parameters<typeof collect>[0]) => {
  await collect(call, (frame) => frame.type === 'input-dtmf');
};

/** The stream path of the answer document served for `CallUUID=callId`. */
async function answeredPath(port: number, callId: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/answer`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `CallUUID=${callId}`,
  });
  const url = /<Stream>(.*)<\/Stream>/.exec(await response.text())?.[1] ?? '';
  return new URL(url).pathname;
}

describe('stream auth: per-call tokens', () => {
  it('answers with a token bound to the call, and runs that call on it', async () => {
    const { port, calls } = await start(untilDtmf);
    const path = await answeredPath(port, 'call-42');
    expect(path).toMatch(/^\/stream\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const client = await connectClient(port, path);
    client.send({ toy: 'start', streamId: 's', callId: 'call-42' });
    client.send({ toy: 'dtmf', digit: '1' });
    expect(await client.closed).toEqual({ code: 1000, reason: 'handler-returned' });
    expect(calls.map((call) => call.callId)).toEqual(['call-42']);
  });

  it('refuses an upgrade with no token (401), a wrong one (403) and an expired one (403)', async () => {
    const { port, logger } = await start(untilDtmf, { metrics: true });
    expect(await upgradeStatus(port, {}, '/stream')).toBe(401);
    const wrong = mintStreamToken({ secret: 'another-secret-entirely', carrier: 'toy', callId: 'c' });
    expect(await upgradeStatus(port, {}, `/stream/${wrong}`)).toBe(403);
    expect(await upgradeStatus(port, {}, '/stream/not-a-token')).toBe(403);
    const expired = mintStreamToken({
      secret: TEST_STREAM_SECRET,
      carrier: 'toy',
      nowMs: Date.now() - 60_000,
      ttlMs: 1000,
    });
    expect(await upgradeStatus(port, {}, `/stream/${expired}`)).toBe(403);
    // A token is one path segment: anything deeper is another path.
    expect(await upgradeStatus(port, {}, `${tokenPath()}/more`)).toBe(404);
    const warnings = logger.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'media socket refused: no-token',
        'media socket refused: bad-token',
        'media socket refused: expired-token',
      ]),
    );
    expect(JSON.stringify(logger.entries)).not.toContain(wrong);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/callwire_upgrades_refused_total\{cause="stream-auth"\} 4/);
  });

  it('refuses a reused token, even while its first socket is open', async () => {
    const { port } = await start(untilDtmf);
    const path = await answeredPath(port, 'once');
    const first = await connectClient(port, path);
    expect(await upgradeStatus(port, {}, path)).toBe(403);
    first.send({ toy: 'start', streamId: 's', callId: 'once' });
    first.send({ toy: 'dtmf', digit: '1' });
    await first.closed;
    expect(await upgradeStatus(port, {}, path)).toBe(403);
  });

  it('closes with 1008 a socket whose opening names another call or carrier than its token', async () => {
    const { port, calls, record } = await start(untilDtmf);
    const client = await connectClient(port, await answeredPath(port, 'call-a'));
    client.send({ toy: 'start', streamId: 's', callId: 'call-b' });
    expect(await client.closed).toEqual({ code: 1008, reason: 'stream token is for another call' });
    const other = await connectClient(port, tokenPath('plivo', 'call-c'));
    other.send({ toy: 'start', streamId: 's', callId: 'call-c' });
    expect(await other.closed).toEqual({ code: 1008, reason: 'stream credential is for another carrier' });
    expect(calls).toHaveLength(0);
    // No call ran, so nothing was hung up with the forged id.
    expect(record.hungUp).toEqual([]);
  });

  it('refuses an answer request naming a malformed call id with 400', async () => {
    const { port } = await start(untilDtmf);
    const response = await fetch(`http://127.0.0.1:${port}/answer?CallUUID=..`);
    expect(response.status).toBe(400);
  });

  it('takes CALLWIRE_STREAM_SECRET, else a random secret with a warning', async () => {
    const previous = process.env.CALLWIRE_STREAM_SECRET;
    try {
      process.env.CALLWIRE_STREAM_SECRET = TEST_STREAM_SECRET;
      const fromEnv = await start(untilDtmf, { streamAuth: {} });
      expect(await upgradeStatus(fromEnv.port, {}, tokenPath())).toBe(101);
      expect(fromEnv.logger.entries.some((entry) => entry.message.includes('random'))).toBe(false);
      delete process.env.CALLWIRE_STREAM_SECRET;
      const random = await start(untilDtmf, { streamAuth: {} });
      expect(await upgradeStatus(random.port, {}, tokenPath())).toBe(403);
      const warning = random.logger.entries.find((entry) => entry.message.includes('random'));
      expect(warning).toMatchObject({ level: 'warn' });
      expect(warning?.message).toContain('CALLWIRE_STREAM_SECRET');
    } finally {
      if (previous === undefined) delete process.env.CALLWIRE_STREAM_SECRET;
      else process.env.CALLWIRE_STREAM_SECRET = previous;
    }
  });

  it("lets any upgrade in with streamAuth 'off', says so at start-up, and answers with the bare URL", async () => {
    const { port, logger, calls } = await start(untilDtmf, { streamAuth: 'off' });
    expect(logger.entries.find((entry) => entry.message.startsWith('stream auth is off'))?.level).toBe(
      'warn',
    );
    const answer = await (await fetch(`http://127.0.0.1:${port}/answer?CallUUID=c`)).text();
    expect(answer).toBe(`<Stream>ws://127.0.0.1:${port}/stream</Stream>`);
    const client = await connectClient(port, '/stream');
    client.send({ toy: 'start', streamId: 's', callId: 'anyone' });
    client.send({ toy: 'dtmf', digit: '1' });
    await client.closed;
    expect(calls).toHaveLength(1);
  });

  it('refuses a short secret at start-up naming the field, not the value', () => {
    const container = createCallwireContainer();
    expect(() =>
      createCallServer({ container, handler: async () => {}, streamAuth: { secret: 'too-short' } }),
    ).toThrow(/streamAuth\.secret/);
    expect(() =>
      createCallServer({ container, handler: async () => {}, streamAuth: { secret: 'too-short' } }),
    ).not.toThrow(/too-short/);
  });
});

describe('stream auth: per-carrier kinds', () => {
  async function serve(plugin: ReturnType<typeof createToyCarrier>['plugin']) {
    const logger = createMemoryLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(container, plugin, { token: 'toy-upgrade-token' });
    const calls: string[] = [];
    const server = createCallServer({
      container,
      logger,
      streamAuth: { secret: TEST_STREAM_SECRET },
      handler: async (call) => {
        calls.push(call.callId ?? '');
        await untilDtmf(call);
      },
    });
    const port = await server.listen(0, '127.0.0.1');
    return { server, port, calls, logger };
  }

  it("'basic': lets in the carrier's user and password without a token, refuses others", async () => {
    const { plugin } = createToyCarrier();
    const { server, port, calls, logger } = await serve({
      ...plugin,
      streamAuth: 'basic',
      streamCredentials: () => ({ username: 'asterisk', password: 'pa:ss' }),
    });
    const basic = (user: string, pass: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
    });
    expect(await upgradeStatus(port, {}, '/stream')).toBe(401);
    expect(await upgradeStatus(port, basic('asterisk', 'wrong'), '/stream')).toBe(403);
    expect(await upgradeStatus(port, basic('asterisk', 'pa:ss'), '/stream')).toBe(101);
    // The 401 challenges for basic auth, for clients that send credentials only when asked.
    const raw = connect(port, '127.0.0.1');
    await once(raw, 'connect');
    raw.write(
      `GET /stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    const [head] = (await once(raw, 'data')) as [Buffer];
    raw.destroy();
    expect(head.toString('latin1')).toMatch(/^HTTP\/1\.1 401[\s\S]*WWW-Authenticate: Basic realm="callwire"/);
    expect(JSON.stringify(logger.entries)).not.toContain('pa:ss');
    await eventually(() => server.stats().sockets === 0);
    expect(calls).toEqual([]);
    await server.close();
  });

  it("'basic' with no credentials configured: its streams are refused and start-up says so", async () => {
    const { plugin } = createToyCarrier();
    const { server, port, logger } = await serve({
      ...plugin,
      streamAuth: 'basic',
      streamCredentials: () => undefined,
    });
    expect(logger.entries.find((entry) => entry.message.includes('no stream credentials'))).toMatchObject({
      level: 'warn',
      fields: { carrier: 'toy' },
    });
    expect(await upgradeStatus(port, { authorization: 'Basic eDp5' }, '/stream')).toBe(403);
    await server.close();
  });

  it("'signed-upgrade': a valid carrier signature lets the upgrade in without a token", async () => {
    const { plugin } = createToyCarrier();
    const { toySignature } = await import('./test-support/toy-carrier.js');
    const { server, port } = await serve({ ...plugin, streamAuth: 'signed-upgrade' });
    expect(await upgradeStatus(port, {}, '/stream')).toBe(401);
    expect(await upgradeStatus(port, { 'x-toy-signature': 'wrong' }, '/stream')).toBe(403);
    const signed = { 'x-toy-signature': toySignature('toy-upgrade-token', `ws://127.0.0.1:${port}/stream`) };
    expect(await upgradeStatus(port, signed, '/stream')).toBe(101);
    await server.close();
  });

  it("'network' without its byte-stream listener: no warning (it takes no calls), no upgrade let in", async () => {
    const { plugin } = createToyCarrier();
    const { server, port, logger } = await serve({ ...plugin, streamAuth: 'network' });
    // The private-network warning comes from the listener when it opens (tcp-listener.test.ts).
    expect(logger.entries.some((entry) => entry.message.includes('private network'))).toBe(false);
    // A WebSocket upgrade is never let in on this kind alone.
    expect(await upgradeStatus(port, {}, '/stream')).toBe(401);
    await server.close();
  });
});

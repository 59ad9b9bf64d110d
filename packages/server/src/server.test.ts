import {
  CallwireError,
  checkpointFrame,
  createCallwireContainer,
  type Frame,
  outputAudioFrame,
} from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Call, CallHandler } from './call.js';
import { createCallServer } from './server.js';
import { connectClient, tokenPath } from './test-support/client.js';
import {
  closeStartedServers,
  collect,
  eventually,
  pcmBytes,
  rawUpgradeStatus,
  start,
  upgradeStatus,
} from './test-support/server-harness.js';
import { toySignature } from './test-support/toy-carrier.js';

afterEach(closeStartedServers);

describe('call server: detection', () => {
  it('recognises a carrier by its opening message and creates its serializer at the pipeline rate', async () => {
    const seen: Frame[][] = [];
    const { port, record, calls } = await start(
      async (call) => {
        seen.push(await collect(call, (frame) => frame.type === 'input-dtmf'));
      },
      { pipelineSampleRate: 24000 },
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's-1', callId: 'c-1' });
    client.send({ toy: 'dtmf', digit: '7' });
    await client.closed;
    expect(calls[0]).toMatchObject({ carrier: 'toy', callId: 'c-1', streamId: 's-1' });
    expect(record.setups).toEqual([{ type: 'start', audioInSampleRate: 24000, audioOutSampleRate: 24000 }]);
    expect(seen[0]).toEqual([{ type: 'input-dtmf', digit: '7' }]);
  });

  it("gives the handler what the carrier's opening message says of the call as call.info", async () => {
    const infos: Call['info'][] = [];
    const { port } = await start(async (call) => {
      infos.push(call.info);
    });
    const opening = { toy: 'start', streamId: 's-i', from: '+14155550100', custom: { tenant: 'acme', n: 1 } };
    const client = await connectClient(port);
    client.send(opening);
    await client.closed;
    expect(infos).toEqual([
      { from: '+14155550100', customParameters: { tenant: 'acme', n: '1' }, raw: opening },
    ]);
  });

  it('gives a call.info without numbers or parameters when the opening names none', async () => {
    const infos: Call['info'][] = [];
    const { port } = await start(async (call) => {
      infos.push(call.info);
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's-e' });
    await client.closed;
    expect(infos[0]?.customParameters).toEqual({});
    expect(infos[0]?.from).toBeUndefined();
  });

  it('waits while a carrier says need-more, then replays the opening messages', async () => {
    const { port, calls } = await start((call) => collect(call, () => true).then(() => undefined));
    const client = await connectClient(port);
    client.send({ toy: 'hello' });
    client.send({ toy: 'start', streamId: 's-2' });
    client.send({ toy: 'dtmf', digit: '#' });
    await client.closed;
    expect(calls.map((call) => call.streamId)).toEqual(['s-2']);
    expect(calls[0]?.callId).toBeUndefined();
  });

  it('closes an unrecognised opening with 1008, a clear reason and one warning', async () => {
    const { server, port, logger, calls } = await start(async () => {});
    for (const opening of ['{"event":"start"}', 'not json', new Uint8Array([1, 2, 3])]) {
      const client = await connectClient(port);
      client.send(opening);
      expect(await client.closed).toEqual({ code: 1008, reason: 'unrecognised opening message' });
    }
    expect(calls).toEqual([]);
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toHaveLength(1);
    expect(logger.entries.find((entry) => entry.level === 'warn')?.message).toContain('unrecognised opening');
    await eventually(() => server.stats().sockets === 0);
    expect(server.stats()).toEqual({ sockets: 0, calls: 0, identifying: 0, upgrading: 0 });
  });

  it('does not negotiate permessage-deflate, even when the client offers it', async () => {
    const { port } = await start(async () => {});
    // ws's client offers permessage-deflate by default.
    const socket = new WebSocket(`ws://127.0.0.1:${port}${tokenPath()}`, { perMessageDeflate: true });
    let extensions: string | undefined = 'not seen';
    socket.once('upgrade', (response) => {
      extensions = response.headers['sec-websocket-extensions'];
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    expect(extensions).toBeUndefined();
    expect(socket.extensions).toBe('');
    socket.close();
  });

  it('refuses upgrades on any other path with 404', async () => {
    const { port } = await start(async () => {});
    await expect(connectClient(port, '/elsewhere')).rejects.toThrow(/404/);
  });
});

describe('call server: frames both ways', () => {
  it('delivers inbound frames in order and sends outbound frames, binary staying binary', async () => {
    const { port } = await start(async (call) => {
      for await (const frame of call.frames) {
        if (frame.type === 'input-audio') await call.send(outputAudioFrame(frame.audio, frame.sampleRate));
        if (frame.type === 'input-dtmf' && frame.digit === '2') await call.send(checkpointFrame('cp-1'));
        if (frame.type === 'checkpoint-reached') return;
      }
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    client.send(pcmBytes([1, -2, 300]));
    client.send({ toy: 'dtmf', digit: '2' });
    const echoed = await client.waitFor((message) => Buffer.isBuffer(message));
    expect([...new Int16Array(new Uint8Array(echoed as Buffer).buffer)]).toEqual([1, -2, 300]);
    expect(await client.waitFor((message) => typeof message === 'string')).toBe(
      '{"toy":"checkpoint","name":"cp-1"}',
    );
    client.send({ toy: 'played', name: 'cp-1' });
    expect((await client.closed).code).toBe(1000);
    expect(client.received.at(-1)).toBe('{"toy":"bye"}');
  });

  it('keeps a call going through garbage messages', async () => {
    const { port } = await start(async (call) => {
      await collect(call, (frame) => frame.type === 'input-dtmf');
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    for (const garbage of ['', '{', '[]', 'null', '{"toy":"dtmf","digit":"X"}', new Uint8Array([7])]) {
      client.send(garbage);
    }
    client.send({ toy: 'dtmf', digit: '1' });
    expect((await client.closed).code).toBe(1000);
  });

  it('answers protocol replies at once, while the handler is busy and reads nothing', async () => {
    let release: () => void = () => {};
    const busy = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { port } = await start(async () => {
      await busy;
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    client.send({ toy: 'ping' });
    const pong = await client.waitFor((message) => typeof message === 'string' && message.includes('pong'));
    expect(JSON.parse(String(pong))).toEqual({ toy: 'pong' });
    release();
    expect((await client.closed).code).toBe(1000);
  });
});

describe('call server: ending calls', () => {
  it('gives the handler an end frame when the socket closes, then hangs up once', async () => {
    let lastFrame: Frame | undefined;
    const { server, port, record, closings } = await start(async (call) => {
      const frames = await collect(call);
      lastFrame = frames.at(-1);
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'call-9' });
    await eventually(() => closings.length === 1);
    client.socket.terminate();
    expect(await closings[0]).toMatchObject({ reason: 'remote-closed' });
    await eventually(() => lastFrame !== undefined);
    expect(lastFrame).toEqual({ type: 'end' });
    expect(record.hungUp).toEqual(['call-9']);
    await eventually(() => server.stats().sockets === 0 && server.stats().calls === 0);
  });

  it('sends end through the serializer and closes the socket when the handler returns', async () => {
    const { port, record } = await start(async () => {});
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'call-1' });
    expect(await client.closed).toEqual({ code: 1000, reason: 'handler-returned' });
    expect(client.received).toEqual(['{"toy":"bye"}']);
    expect(record.hungUp).toEqual(['call-1']);
  });

  it('hangs up when the handler calls hangUp() or sends end, once', async () => {
    const { port, record } = await start(async (call) => {
      await call.hangUp();
      await call.send({ type: 'end' });
      await call.send(checkpointFrame('too-late'));
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'call-2' });
    expect(await client.closed).toEqual({ code: 1000, reason: 'hung-up' });
    expect(client.received).toEqual(['{"toy":"bye"}']);
    expect(record.hungUp).toEqual(['call-2']);
  });

  it('isolates a throwing handler: logged with the call id, call hung up, server still serving', async () => {
    let calls = 0;
    const { port, record, logger } = await start(async (call) => {
      calls += 1;
      if (calls === 1) throw new Error('bot exploded');
      await collect(call, (frame) => frame.type === 'input-dtmf');
    });
    const first = await connectClient(port);
    first.send({ toy: 'start', streamId: 's', callId: 'doomed' });
    expect(await first.closed).toEqual({ code: 1011, reason: 'handler-failed' });
    const failure = logger.entries.find((entry) => entry.message === 'call handler failed');
    expect(failure?.level).toBe('error');
    expect(failure?.fields).toMatchObject({ callId: 'doomed', carrier: 'toy', error: 'Error: bot exploded' });
    const second = await connectClient(port);
    second.send({ toy: 'start', streamId: 's', callId: 'fine' });
    second.send({ toy: 'dtmf', digit: '5' });
    expect((await second.closed).code).toBe(1000);
    expect(record.hungUp).toEqual(['doomed', 'fine']);
  });

  it('survives a handler that throws synchronously and one whose send rejects nothing', async () => {
    const { port, logger } = await start(((call: Call) => {
      void call.send(outputAudioFrame(new Int16Array(3), 16000));
      throw new CallwireError('INVALID_ARGUMENT', 'sync failure');
    }) as CallHandler);
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    expect((await client.closed).code).toBe(1011);
    expect(logger.entries.some((entry) => String(entry.fields.error).includes('sync failure'))).toBe(true);
  });

  it('ends every call on close(): end frame, hang-up, 1001, no sockets left', async () => {
    const handlerSaw: Frame[] = [];
    const { server, port, record } = await start(async (call) => {
      handlerSaw.push(...(await collect(call)));
    });
    const clients = await Promise.all([connectClient(port), connectClient(port)]);
    clients.forEach((client, index) => {
      client.send({ toy: 'start', streamId: `s${index}`, callId: `live-${index}` });
    });
    const idle = await connectClient(port);
    await eventually(() => server.stats().calls === 2);
    await server.close();
    for (const client of clients)
      expect(await client.closed).toEqual({ code: 1001, reason: 'server-closed' });
    expect(await idle.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(record.hungUp.sort()).toEqual(['live-0', 'live-1']);
    expect(handlerSaw).toEqual([{ type: 'end' }, { type: 'end' }]);
    expect(server.stats()).toEqual({ sockets: 0, calls: 0, identifying: 0, upgrading: 0 });
    await expect(connectClient(port)).rejects.toThrow();
  });
});

describe('call server: hardening', () => {
  it('closes a socket that sends a message over maxPayload with 1009', async () => {
    const { server, port, calls } = await start(async (call) => void (await collect(call)), {
      maxPayload: 1024,
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    await eventually(() => calls.length === 1);
    client.send(new Uint8Array(2048));
    expect((await client.closed).code).toBe(1009);
    await eventually(() => server.stats().sockets === 0 && server.stats().calls === 0);
  });

  it('closes a socket that identifies no call within startTimeoutMs', async () => {
    const { server, port } = await start(async () => {}, { startTimeoutMs: 150 });
    const client = await connectClient(port);
    client.send({ toy: 'hello' });
    expect(await client.closed).toEqual({ code: 1008, reason: 'no call identified within 150 ms' });
    await eventually(() => server.stats().sockets === 0);
    expect(server.stats().identifying).toBe(0);
  });

  it('drops the oldest inbound audio for a handler that does not read, and says so once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { port, logger, closings } = await start(
      async (call) => {
        await gate;
        await collect(call, (frame) => frame.type === 'input-dtmf');
      },
      { inboundQueueFrames: 8 },
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    for (let index = 0; index < 40; index += 1) client.send(pcmBytes([index]));
    client.send({ toy: 'dtmf', digit: '9' });
    // Messages are handled in order, so the pong says every frame before it has been queued or dropped.
    client.send({ toy: 'ping' });
    await client.waitFor((message) => typeof message === 'string' && message.includes('pong'));
    release();
    expect((await closings[0])?.droppedInboundFrames).toBe(33);
    expect(
      logger.entries.filter((entry) => entry.level === 'warn' && entry.message.includes('not keeping up')),
    ).toHaveLength(1);
  });

  it('drops outbound audio once the socket buffer passes maxBufferedBytes, logging it once', async () => {
    const chunk = outputAudioFrame(new Int16Array(16 * 1024), 16000);
    const { port, logger, closings } = await start(
      async (call) => {
        for (let index = 0; index < 600; index += 1) await call.send(chunk);
      },
      { maxBufferedBytes: 64 * 1024 },
    );
    const client = await connectClient(port);
    client.socket.pause();
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    await eventually(() => closings.length === 1);
    const result = await closings[0];
    client.socket.resume();
    expect(result?.droppedOutboundMessages).toBeGreaterThan(0);
    expect(
      logger.entries.filter((entry) => entry.level === 'warn' && entry.message.includes('outbound audio')),
    ).toHaveLength(1);
  });

  it('leaves no sockets, calls or timers behind after abusive connections, then serves a normal call', async () => {
    const { server, port, record } = await start(
      async (call) => {
        await collect(call, (frame) => frame.type === 'input-dtmf');
      },
      { maxPayload: 4096 },
    );
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const baseline = timers();
    for (let cycle = 0; cycle < 60; cycle += 1) {
      const client = await connectClient(port);
      const kind = cycle % 6;
      if (kind === 1) client.send('\u0000garbage');
      if (kind >= 2 && kind <= 4)
        client.send({ toy: 'start', streamId: `s${cycle}`, callId: `abuse-${cycle}` });
      if (kind === 3) client.send(new Uint8Array(8192));
      if (kind === 4) {
        client.send(new Uint8Array([1, 2, 3]));
        client.send('{"toy":');
        client.socket.close();
      }
      if (kind === 5) client.send({ toy: 'hello' });
      if (kind === 0 || kind === 2 || kind === 5) client.socket.terminate();
      await client.closed;
    }
    await eventually(() => {
      const stats = server.stats();
      return stats.sockets === 0 && stats.calls === 0 && stats.identifying === 0;
    });
    expect(timers()).toBeLessThanOrEqual(baseline);
    expect(record.hungUp).toHaveLength(30);
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 'normal', callId: 'normal' });
    client.send({ toy: 'dtmf', digit: '0' });
    expect(await client.closed).toEqual({ code: 1000, reason: 'handler-returned' });
  });

  it('refuses media sockets beyond maxConnections with 503, once a slot frees accepts again', async () => {
    const { server, port, logger } = await start(async (call) => void (await collect(call)), {
      maxConnections: 2,
    });
    const first = await connectClient(port);
    first.send({ toy: 'start', streamId: 's1', callId: 'c1' });
    const second = await connectClient(port);
    expect(await upgradeStatus(port)).toBe(503);
    expect(await upgradeStatus(port)).toBe(503);
    const warnings = logger.entries.filter((entry) => entry.level === 'warn');
    expect(warnings.filter((entry) => entry.message.includes('too-many-connections'))).toHaveLength(1);
    second.socket.close();
    await eventually(() => server.stats().sockets === 1);
    expect(await upgradeStatus(port)).toBe(101);
    first.socket.close();
    await eventually(() => server.stats().sockets === 0 && server.stats().upgrading === 0);
  });

  it('refuses sockets beyond maxUnidentifiedConnections, while identified calls still connect', async () => {
    const { server, port } = await start(async (call) => void (await collect(call)), {
      maxUnidentifiedConnections: 2,
    });
    const idle = [await connectClient(port), await connectClient(port)];
    expect(server.stats().identifying).toBe(2);
    expect(await upgradeStatus(port)).toBe(503);
    idle[0]?.send({ toy: 'start', streamId: 's', callId: 'c' });
    await eventually(() => server.stats().identifying === 1);
    const call = await connectClient(port);
    call.send({ toy: 'start', streamId: 's2', callId: 'c2' });
    await eventually(() => server.stats().calls === 2);
    for (const client of [...idle, call]) client.socket.close();
    await eventually(() => server.stats().sockets === 0 && server.stats().upgrading === 0);
  });

  it('frees the slot of every refused or failed upgrade', async () => {
    const { server, port } = await start(async (call) => void (await collect(call)), {
      maxConnections: 1,
      verifyUpgrade: true,
      token: 'toy-upgrade-token',
    });
    expect(await upgradeStatus(port)).toBe(401);
    expect(await upgradeStatus(port, { 'x-toy-signature': 'wrong' })).toBe(403);
    // No token: the stream gate refuses it after the signature passed.
    const bare = toySignature('toy-upgrade-token', `ws://127.0.0.1:${port}/stream`);
    expect(await upgradeStatus(port, { 'x-toy-signature': bare }, '/stream')).toBe(401);
    const path = tokenPath();
    const signature = toySignature('toy-upgrade-token', `ws://127.0.0.1:${port}${path}`);
    // Signed, with a token, but no Sec-WebSocket-Key: ws refuses the handshake itself.
    expect(
      await rawUpgradeStatus(port, `x-toy-signature: ${signature}\r\nSec-WebSocket-Version: 13`, path),
    ).toBe(400);
    await eventually(() => server.stats().upgrading === 0);
    const fresh = tokenPath();
    const signed = { 'x-toy-signature': toySignature('toy-upgrade-token', `ws://127.0.0.1:${port}${fresh}`) };
    expect(await upgradeStatus(port, signed, fresh)).toBe(101);
    await eventually(() => server.stats().sockets === 0 && server.stats().upgrading === 0);
  });

  it('refuses bad settings with one CONFIG error naming each field', () => {
    const container = createCallwireContainer();
    expect(() =>
      createCallServer({
        container,
        handler: async () => {},
        path: 'stream',
        maxPayload: -1,
        publicUrl: 'ftp://example.test',
      }),
    ).toThrow(/path.*maxPayload.*publicUrl|path.*publicUrl.*maxPayload/s);
    expect(() => createCallServer({ container, handler: undefined as unknown as CallHandler })).toThrow(
      /handler/,
    );
  });
});

describe('call server: answer endpoint', () => {
  it('serves the carrier answer document on GET and POST with a ws:// URL from the Host header', async () => {
    const { port } = await start(async () => {});
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`http://127.0.0.1:${port}/answer`, { method });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/xml');
      expect(await response.text()).toMatch(
        new RegExp(
          `^<Stream>ws://127\\.0\\.0\\.1:${port}/stream/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}</Stream>$`,
        ),
      );
    }
    expect((await fetch(`http://127.0.0.1:${port}/answer`, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(`http://127.0.0.1:${port}/nothing`)).status).toBe(404);
  });

  it('points at wss:// on an https public URL and ws:// on an http one', async () => {
    const secure = await start(async () => {}, { publicUrl: 'https://calls.example.test/', path: '/media' });
    const text = await (await fetch(`http://127.0.0.1:${secure.port}/answer`)).text();
    expect(text).toMatch(/^<Stream>wss:\/\/calls\.example\.test\/media\/[A-Za-z0-9_.-]+<\/Stream>$/);
    const plain = await start(async () => {}, { publicUrl: 'http://calls.example.test:8080' });
    expect(await (await fetch(`http://127.0.0.1:${plain.port}/answer`)).text()).toMatch(
      /^<Stream>ws:\/\/calls\.example\.test:8080\/stream\/[A-Za-z0-9_.-]+<\/Stream>$/,
    );
  });

  it('with a token configured: 401 unsigned, 403 wrongly signed, 200 signed against the public URL', async () => {
    const token = 'toy-secret-token';
    const { port, logger } = await start(async () => {}, { token, publicUrl: 'https://calls.example.test' });
    const url = `http://127.0.0.1:${port}/answer?x=1`;
    const body = 'CallUUID=abc&From=123';
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    expect((await post({})).status).toBe(401);
    const wrongUrl = toySignature(token, url, body);
    expect((await post({ 'x-toy-signature': wrongUrl })).status).toBe(403);
    expect(
      (
        await post({
          'x-toy-signature': toySignature('other', 'https://calls.example.test/answer?x=1', body),
        })
      ).status,
    ).toBe(403);
    const good = await post({
      'x-toy-signature': toySignature(token, 'https://calls.example.test/answer?x=1', body),
    });
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('wss://calls.example.test/stream');
    expect(JSON.stringify(logger.entries)).not.toContain(token);
    expect(JSON.stringify(logger.entries)).not.toContain(wrongUrl);
  });

  it('checks the signature against the request URL when no public URL is set', async () => {
    const token = 'toy-secret-token';
    const { port } = await start(async () => {}, { token });
    const signed = toySignature(token, `http://127.0.0.1:${port}/answer`);
    const response = await fetch(`http://127.0.0.1:${port}/answer`, {
      headers: { 'x-toy-signature': signed },
    });
    expect(response.status).toBe(200);
  });

  it('refuses an oversize answer body with 413', async () => {
    const { port } = await start(async () => {}, { maxAnswerBodyBytes: 16 });
    const response = await fetch(`http://127.0.0.1:${port}/answer`, {
      method: 'POST',
      body: 'x'.repeat(1000),
    });
    expect(response.status).toBe(413);
  });
});

describe('call server: upgrade signatures (verifyUpgrade)', () => {
  it('refuses unsigned (401) and wrongly signed (403) upgrades and accepts a signed one', async () => {
    const token = 'toy-upgrade-token';
    const { port, calls } = await start(async () => {}, {
      token,
      verifyUpgrade: true,
      publicUrl: 'https://calls.example.test',
    });
    // Stream auth stays on: each upgrade carries a fresh stream token, and the signature covers its URL.
    const paths: string[] = [];
    const open = (headers: (path: string) => Record<string, string>) =>
      new Promise<number>((resolve) => {
        const path = `${tokenPath('toy', 'signed')}?call=1`;
        paths.push(path);
        const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers: headers(path) });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => {
          socket.send(JSON.stringify({ toy: 'start', streamId: 's', callId: 'signed' }));
          resolve(101);
        });
        socket.on('error', () => {});
      });
    expect(await open(() => ({}))).toBe(401);
    expect(await open((path) => ({ 'x-toy-signature': toySignature(token, `ws://127.0.0.1${path}`) }))).toBe(
      403,
    );
    expect(
      await open((path) => ({ 'x-toy-signature': toySignature(token, `wss://calls.example.test${path}`) })),
    ).toBe(101);
    await eventually(() => calls.length === 1);
  });

  it('lets every upgrade through when verifyUpgrade is off', async () => {
    const { port } = await start(async () => {}, { token: 'toy-upgrade-token' });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    expect((await client.closed).code).toBe(1000);
  });
});

describe('call server: per-call params', () => {
  it('runs the calls of a carrier registered without credentials with auto hang-up off, and says so once', async () => {
    const { port, record, logger } = await start(async () => {}, { credentials: false });
    expect(logger.entries.filter((entry) => entry.message.includes('auto hang-up off'))).toHaveLength(1);
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'no-credentials' });
    await client.closed;
    expect(record.params).toEqual([{ autoHangUp: false }]);
    expect(record.hungUp).toEqual([]);
  });

  it('merges callParams over the detected params', async () => {
    const { port, record } = await start(async () => {}, { callParams: () => ({ autoHangUp: false }) });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'no-hang-up' });
    await client.closed;
    expect(record.params).toEqual([{ autoHangUp: false }]);
    expect(record.hungUp).toEqual([]);
  });
});

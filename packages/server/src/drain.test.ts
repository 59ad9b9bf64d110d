import { outputAudioFrame } from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from './test-support/client.js';
import {
  closeStartedServers,
  collect,
  eventually,
  start,
  upgradeStatus,
} from './test-support/server-harness.js';

afterEach(closeStartedServers);

const audio = (value: number) => new Uint8Array(Int16Array.from([value, value]).buffer);

describe('drain', () => {
  it('turns readiness, upgrades and answers to 503 at once while a live call runs to its natural end', async () => {
    const { server, port, record, closings, logger } = await start(
      async (call) => {
        // An echo: every inbound audio frame goes straight back.
        for await (const frame of call.frames) {
          if (frame.type === 'input-audio') await call.send(outputAudioFrame(frame.audio, frame.sampleRate));
        }
      },
      { drainProgressIntervalMs: 20 },
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'live-call' });
    await eventually(() => server.stats().calls === 1);

    const drained = server.drain();
    expect(server.readiness()).toBe('draining');
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await upgradeStatus(port)).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/answer`, { method: 'POST', body: 'x' })).status).toBe(503);

    // The live call still carries audio both ways after the drain began.
    for (let value = 1; value <= 5; value += 1) client.socket.send(audio(value));
    await eventually(() => client.received.filter((message) => typeof message !== 'string').length === 5);
    await eventually(() => logger.entries.some((entry) => entry.message === 'draining'));
    expect(server.stats().calls).toBe(1);

    client.send({ toy: 'stop' });
    await drained;
    expect(await closings[0]).toMatchObject({ reason: 'remote-closed' });
    expect(record.hungUp).toEqual(['live-call']);
    const progress = logger.entries.find((entry) => entry.message === 'draining');
    expect(progress?.fields).toMatchObject({ callsLeft: 1 });
    expect(logger.entries.map((entry) => entry.message)).toContain('drained: every call ended');
    await expect(connectClient(port)).rejects.toThrow();
  });

  it('lets a socket that connected before the drain still start its call', async () => {
    const { server, port, closings } = await start(async (call) => void (await collect(call)));
    const client = await connectClient(port);
    const drained = server.drain();
    client.send({ toy: 'start', streamId: 's', callId: 'late-start' });
    await eventually(() => server.stats().calls === 1);
    client.socket.close();
    await drained;
    expect(await closings[0]).toMatchObject({ reason: 'remote-closed' });
  });

  it('ends the calls left as close() does once timeoutMs passes', async () => {
    const { server, port, record, closings, logger } = await start(
      async (call) => void (await collect(call)),
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'never-ends' });
    await eventually(() => server.stats().calls === 1);
    await server.drain({ timeoutMs: 100 });
    expect(await client.closed).toEqual({ code: 1001, reason: 'server-closed' });
    expect(await closings[0]).toMatchObject({ reason: 'server-closed' });
    expect(record.hungUp).toEqual(['never-ends']);
    const timedOut = logger.entries.find(
      (entry) => entry.message === 'drain timed out: ending the calls left',
    );
    expect(timedOut?.fields).toMatchObject({ callsLeft: 1 });
  });

  it('stops waiting when close() is called during the drain', async () => {
    const { server, port, closings } = await start(async (call) => void (await collect(call)), {
      drainTimeoutMs: 600_000,
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'cut-short' });
    await eventually(() => server.stats().calls === 1);
    const drained = server.drain();
    await server.close();
    await drained;
    expect(await closings[0]).toMatchObject({ reason: 'server-closed' });
    expect(await client.closed).toMatchObject({ code: 1001 });
  });

  it('closes at once with no calls, and rejects a negative timeout with CONFIG', async () => {
    const { server } = await start(async () => {});
    expect(() => server.drain({ timeoutMs: -1 })).toThrow(/timeoutMs/);
    await server.drain();
    expect(server.readiness()).toBe('closing');
  });
});

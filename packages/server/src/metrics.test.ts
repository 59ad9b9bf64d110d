import { outputAudioFrame } from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient } from './test-support/client.js';
import { parsePrometheusText, sumOf } from './test-support/prometheus-text.js';
import {
  closeStartedServers,
  eventually,
  rawUpgradeStatus,
  start,
  upgradeStatus,
} from './test-support/server-harness.js';

afterEach(closeStartedServers);

async function scrape(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  return { text, samples: parsePrometheusText(text) };
}

const echo = async (call: Parameters<Parameters<typeof start>[0]>[0]) => {
  for await (const frame of call.frames) {
    if (frame.type === 'input-audio') await call.send(outputAudioFrame(frame.audio, frame.sampleRate));
  }
};

describe('metrics', () => {
  it('are off by default: no /metrics, no registry', async () => {
    const { server, port } = await start(echo);
    expect(server.metricsRegistry).toBeUndefined();
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
  });

  it('count a call, its frames both ways, its end, its hang-up and serializer time, with no call id', async () => {
    const { server, port } = await start(echo, { metrics: true });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 'stream-7f3a', callId: 'call-9c1d' });
    await eventually(() => server.stats().calls === 1);
    const during = await scrape(port);
    expect(sumOf(during.samples, 'callwire_calls_active', { carrier: 'toy' })).toBe(1);
    for (let value = 1; value <= 7; value += 1)
      client.socket.send(new Uint8Array(Int16Array.from([value]).buffer));
    client.send({ toy: 'dtmf', digit: '5' });
    await eventually(() => client.received.filter((message) => typeof message !== 'string').length === 7);
    client.send({ toy: 'stop' });
    await eventually(() => server.stats().calls === 0);

    const { text, samples } = await scrape(port);
    expect(sumOf(samples, 'callwire_calls_started_total', { carrier: 'toy' })).toBe(1);
    expect(sumOf(samples, 'callwire_calls_active')).toBe(0);
    expect(sumOf(samples, 'callwire_calls_ended_total', { carrier: 'toy', reason: 'remote-closed' })).toBe(1);
    expect(sumOf(samples, 'callwire_frames_in_total', { carrier: 'toy' })).toBe(8);
    expect(sumOf(samples, 'callwire_frames_out_total', { carrier: 'toy' })).toBe(7);
    expect(sumOf(samples, 'callwire_frames_dropped_total')).toBe(0);
    // Every inbound message is timed: the replayed start, 7 audio, the DTMF and the stop.
    expect(
      sumOf(samples, 'callwire_serializer_duration_seconds_count', { carrier: 'toy', direction: 'inbound' }),
    ).toBe(10);
    expect(
      sumOf(samples, 'callwire_serializer_duration_seconds_count', { carrier: 'toy', direction: 'outbound' }),
    ).toBe(7);
    expect(
      sumOf(samples, 'callwire_hang_up_duration_seconds_count', { carrier: 'toy', outcome: 'ended' }),
    ).toBe(1);
    expect(sumOf(samples, 'callwire_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(samples.some((sample) => sample.name.startsWith('callwire_nodejs_'))).toBe(true);
    expect(samples.every((sample) => sample.name.startsWith('callwire_'))).toBe(true);
    expect(text).not.toContain('call-9c1d');
    expect(text).not.toContain('stream-7f3a');
  });

  it('count upgrades refused for a missing or wrong signature', async () => {
    const { server, port } = await start(echo, {
      metrics: true,
      maxConnections: 1,
      verifyUpgrade: true,
      token: 'metrics-token',
    });
    expect(await upgradeStatus(port)).toBe(401);
    expect(await upgradeStatus(port, { 'x-toy-signature': 'wrong' })).toBe(403);
    expect(await rawUpgradeStatus(port, 'Sec-WebSocket-Version: 13')).toBe(401);
    const before = await scrape(port);
    expect(sumOf(before.samples, 'callwire_upgrades_refused_total', { cause: 'signature' })).toBe(3);
    expect(sumOf(before.samples, 'callwire_upgrades_refused_total', { cause: 'cap' })).toBe(0);
    await server.close();
  });

  it('count a bad handshake, a wrong path, a full server and a draining one', async () => {
    const { server, port } = await start(echo, { metrics: true, maxConnections: 1 });
    expect(await rawUpgradeStatus(port, 'Sec-WebSocket-Version: 13')).toBe(400);
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    expect(await upgradeStatus(port)).toBe(503);
    expect(await upgradeStatus(port, {}, '/elsewhere')).toBe(404);
    const registry = server.metricsRegistry;
    const drained = server.drain({ timeoutMs: 60_000 });
    expect(await upgradeStatus(port)).toBe(503);
    const during = parsePrometheusText((await registry?.metrics()) ?? '');
    expect(sumOf(during, 'callwire_draining')).toBe(1);
    expect(sumOf(during, 'callwire_upgrades_refused_total', { cause: 'bad-handshake' })).toBe(1);
    expect(sumOf(during, 'callwire_upgrades_refused_total', { cause: 'cap' })).toBe(1);
    expect(sumOf(during, 'callwire_upgrades_refused_total', { cause: 'draining' })).toBe(1);
    expect(sumOf(during, 'callwire_upgrades_refused_total', { cause: 'not-found' })).toBe(1);
    client.socket.close();
    await drained;
  });

  it('serve /metrics and the probes on a port of their own, not on the media port', async () => {
    const { server, port } = await start(echo, { metrics: { port: 0, host: '127.0.0.1' } });
    const metricsPort = server.metricsPort();
    expect(metricsPort).toBeGreaterThan(0);
    expect(metricsPort).not.toBe(port);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    expect((await scrape(metricsPort ?? 0)).samples.length).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/answer`)).status).toBe(404);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
  });

  it('keep two servers in one process apart (a registry each)', async () => {
    const first = await start(echo, { metrics: true });
    const second = await start(echo, { metrics: true });
    const client = await connectClient(first.port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    await eventually(() => first.server.stats().calls === 1);
    expect(sumOf((await scrape(first.port)).samples, 'callwire_calls_started_total')).toBe(1);
    expect(sumOf((await scrape(second.port)).samples, 'callwire_calls_started_total')).toBe(0);
  });

  it('refuse a bad metrics option at start-up with CONFIG naming it', async () => {
    await expect(start(echo, { metrics: { port: -1 } })).rejects.toThrow(/metrics/);
    await expect(start(echo, { metrics: 'yes' as unknown as boolean })).rejects.toThrow(/metrics/);
  });

  it('count dropped inbound frames for a handler that does not read', async () => {
    const { server, port } = await start(async (call) => void (await call.closed), {
      metrics: true,
      inboundQueueFrames: 2,
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    await eventually(() => server.stats().calls === 1);
    for (let value = 1; value <= 6; value += 1)
      client.socket.send(new Uint8Array(Int16Array.from([value]).buffer));
    let dropped = 0;
    for (let attempt = 0; attempt < 200 && dropped < 4; attempt += 1) {
      dropped = sumOf((await scrape(port)).samples, 'callwire_frames_dropped_total', {
        where: 'inbound-queue',
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(dropped).toBe(4);
  });
});

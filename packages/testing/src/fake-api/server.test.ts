import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthHeader, parseBasicAuth, startFakeCarrierApi } from './server.js';
import type { FakeCarrierApi } from './types.js';

const open: FakeCarrierApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

async function start(...args: Parameters<typeof startFakeCarrierApi>): Promise<FakeCarrierApi> {
  const api = await startFakeCarrierApi(...args);
  open.push(api);
  return api;
}

const echoRoute = {
  method: 'POST',
  pattern: '/things/{id}/parts/{part}.json',
  handle: ({ params, body }: { params: Readonly<Record<string, string>>; body: string }) => ({
    status: 201,
    body: { params, body },
  }),
};

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('startFakeCarrierApi', () => {
  it('listens on 127.0.0.1 with an ephemeral port and routes by method and pattern', async () => {
    const api = await start([echoRoute]);
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${api.url}/things/a%3Ab/parts/7.json?x=1`, { method: 'POST', body: 'k=v' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ params: { id: 'a:b', part: '7' }, body: 'k=v' });
    expect((await fetch(`${api.url}/things/a/parts/7.json`, { method: 'GET' })).status).toBe(404);
  });

  it('answers unknown routes with 404 JSON', async () => {
    const api = await start([echoRoute]);
    const response = await fetch(`${api.url}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ error: 'not found' });
  });

  it('records method, path with query, headers, body and arrival time', async () => {
    const api = await start([echoRoute]);
    const before = Date.now();
    await fetch(`${api.url}/things/1/parts/2.json?q=1`, {
      method: 'POST',
      body: 'hello',
      headers: { 'x-test': 'yes' },
    });
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/things/1/parts/2.json?q=1', body: 'hello' });
    expect(request?.headers['x-test']).toBe('yes');
    expect(request?.receivedAtMs).toBeGreaterThanOrEqual(before);
  });

  it('answers with a fault status, body and headers, for `times` requests only', async () => {
    const api = await start([echoRoute]);
    api.setFault({ status: 503, body: 'busy', headers: { 'Retry-After': '2' }, times: 2 });
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await response.text()).toBe('busy');
    }
    expect((await fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' })).status).toBe(201);
    expect(api.requests.map((request) => request.responseStatus)).toEqual([503, 503, 201]);
  });

  it('takes a fault from its options and clears it with setFault()', async () => {
    const api = await start([echoRoute], { fault: { status: 500 } });
    expect((await fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' })).status).toBe(500);
    expect((await fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' })).status).toBe(500);
    api.setFault(undefined);
    expect((await fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' })).status).toBe(201);
  });

  it('delays the answer', async () => {
    const api = await start([echoRoute]);
    api.setFault({ delayMs: 150 });
    const started = Date.now();
    const response = await fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' });
    expect(response.status).toBe(201);
    // A lower bound only: the server cannot answer before its delay.
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('resets the connection', async () => {
    const api = await start([echoRoute]);
    api.setFault({ reset: true, times: 1 });
    await expect(fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' })).rejects.toThrow();
    expect(api.requests).toHaveLength(1);
    expect((await fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' })).status).toBe(201);
  });

  it('hangs until the client gives up', async () => {
    const api = await start([echoRoute]);
    api.setFault({ hang: true });
    const giveUp = new AbortController();
    const answer = fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST', signal: giveUp.signal });
    // Give up only once the server has the request, so a slow machine cannot turn this into a no-op.
    while (api.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    giveUp.abort();
    await expect(answer).rejects.toThrow();
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.responseStatus).toBeUndefined();
  });

  it('close() ends hung requests and frees the port', async () => {
    const api = await startFakeCarrierApi([echoRoute], { fault: { hang: true } });
    const port = Number(new URL(api.url).port);
    const hung = fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' }).then(
      () => 'answered',
      () => 'failed',
    );
    while (api.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await api.close();
    expect(await hung).toBe('failed');
    expect(await portIsFree(port)).toBe(true);
    await api.close(); // idempotent
  });

  it('close() during a delay does not answer later', async () => {
    const api = await startFakeCarrierApi([echoRoute], { fault: { delayMs: 5000 } });
    const pending = fetch(`${api.url}/things/1/parts/2.json`, { method: 'POST' }).then(
      () => 'answered',
      () => 'failed',
    );
    while (api.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await api.close();
    expect(await pending).toBe('failed');
  });
});

describe('basic auth helpers', () => {
  it('round-trip user and password, colons in the password included', () => {
    expect(parseBasicAuth(basicAuthHeader('MA123', 'to:ken'))).toEqual({ user: 'MA123', password: 'to:ken' });
    expect(parseBasicAuth('Bearer x')).toBeUndefined();
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
  });
});

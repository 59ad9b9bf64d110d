import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { CarrierHarness } from '../harness.js';
import { toyHarness } from '../test-support/toy-carriers.js';
import { fetchStreamUrl, simulateAnsweredCall } from './answer.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** The toy carrier with an answer webhook: a form POST naming `CallId`, answered with `{"url": ...}`. */
const answering: CarrierHarness<unknown, unknown> = {
  ...(toyHarness() as CarrierHarness<unknown, unknown>),
  answer: {
    request: (callId, answerUrl) => ({
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      body: `CallId=${callId}`,
      headers: { 'x-signed-url': answerUrl },
    }),
    streamUrl: (document) => (JSON.parse(document) as { url?: string }).url,
  },
};

/** An HTTP answer endpoint plus a WebSocket server on one port; records answer requests and upgrade paths. */
async function startServer() {
  const answers: { headers: IncomingMessage['headers']; body: string }[] = [];
  const paths: string[] = [];
  const http = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += String(chunk);
    });
    request.on('end', () => {
      answers.push({ headers: request.headers, body });
      const callId = new URLSearchParams(body).get('CallId');
      response.writeHead(callId ? 200 : 400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ url: `ws://${request.headers.host}/stream/token-for-${callId}` }));
    });
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, request) => {
    paths.push(request.url ?? '');
    socket.once('message', () => socket.close(1000, 'done'));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  );
  const port = (http.address() as AddressInfo).port;
  return { answers, paths, answerUrl: `http://127.0.0.1:${port}/answer`, port };
}

describe('answered calls', () => {
  it('call the answer URL as the harness says, then stream to the URL the answer names', async () => {
    const server = await startServer();
    const summary = await simulateAnsweredCall({
      answerUrl: server.answerUrl,
      publicAnswerUrl: 'https://public.example.test/answer',
      harness: answering,
      callId: 'call-7',
      realTime: false,
    });
    expect(server.answers).toEqual([
      expect.objectContaining({
        body: 'CallId=call-7',
        headers: expect.objectContaining({ 'x-signed-url': 'https://public.example.test/answer' }),
      }),
    ]);
    expect(server.paths).toEqual(['/stream/token-for-call-7']);
    expect(summary).toMatchObject({ callId: 'call-7', closeCode: 1000, closedBy: 'server' });
  });

  it('connects to streamOrigin instead of the named origin, keeping the path', async () => {
    const server = await startServer();
    await simulateAnsweredCall({
      answerUrl: server.answerUrl,
      harness: {
        ...answering,
        answer: { ...answering.answer!, streamUrl: () => 'wss://tunnel.example.test/stream/abc?x=1' },
      },
      streamOrigin: `ws://127.0.0.1:${server.port}`,
      callId: 'c',
      realTime: false,
    });
    expect(server.paths).toEqual(['/stream/abc?x=1']);
  });

  it('rejects when the harness has no answer webhook or the server refuses', async () => {
    const server = await startServer();
    await expect(
      fetchStreamUrl({
        answerUrl: server.answerUrl,
        harness: toyHarness() as CarrierHarness<unknown, unknown>,
        callId: 'c',
      }),
    ).rejects.toThrow(/no answer webhook/);
    await expect(
      fetchStreamUrl({ answerUrl: server.answerUrl, harness: answering, callId: '' }),
    ).rejects.toThrow(/HTTP 400/);
  });
});

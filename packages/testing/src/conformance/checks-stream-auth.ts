import { randomUUID } from 'node:crypto';
import { createCallwireContainer, registerCarrier, streamAuthOf, streamCredentialsOf } from '@callwire/core';
import { type CallServer, createCallServer } from '@callwire/server';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import type { CarrierHarness } from '../harness.js';
import { recordingLogger } from '../logger.js';
import { fetchStreamUrl } from '../simulator/answer.js';

const SECRET = 'conformance-stream-secret-9f3b2c';
/** Carriers stream to wss:// only (some refuse anything else): the server answers as if behind a TLS tunnel. */
const PUBLIC_URL = 'https://conformance.callwire.test';

/** A real call server with the harness's carrier registered (auto hang-up off) and stream auth on. */
async function serve(harness: CarrierHarness<unknown, unknown>) {
  const container = createCallwireContainer({ logger: recordingLogger() });
  registerCarrier(
    container,
    harness.plugin,
    harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 100 }),
  );
  const callIds: (string | undefined)[] = [];
  const server: CallServer = createCallServer({
    container,
    streamAuth: { secret: SECRET },
    publicUrl: PUBLIC_URL,
    callParams: () => ({ autoHangUp: false }),
    handler: async (call) => {
      callIds.push(call.callId);
      await call.hangUp();
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  const answerUrl = `http://127.0.0.1:${port}/answer`;
  /** The answered stream URL, reached the way the tunnel would route it: to this server. */
  const answeredStreamUrl = async (callId: string) => {
    const named = new URL(
      await fetchStreamUrl({ answerUrl, publicAnswerUrl: `${PUBLIC_URL}/answer`, harness, callId }),
    );
    expect(named.origin, 'the stream URL is on the public URL, as wss://').toBe(
      PUBLIC_URL.replace(/^https/, 'wss'),
    );
    return `ws://127.0.0.1:${port}${named.pathname}${named.search}`;
  };
  return { server, port, callIds, answeredStreamUrl };
}

/** Opens `url`, sends the harness's opening for `callId`, and resolves with how the socket ended. */
function stream(
  harness: CarrierHarness<unknown, unknown>,
  url: string,
  callId: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; code?: number; reason?: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
    socket.on('error', () => {});
    socket.on('open', () => {
      const call = harness.call({
        callId,
        streamId: randomUUID(),
        sampleRate: harness.wireSampleRate,
        autoHangUp: false,
      });
      const opening = harness.wire.start?.(call) ?? [
        harness.wire.media(call, new Int16Array(harness.wireSampleRate / 50)),
      ];
      for (const message of opening) socket.send(message);
    });
    socket.on('close', (code, reason) => resolve({ status: 101, code, reason: reason.toString('utf8') }));
  });
}

/** Why the stream-auth checks of `harness` cannot run by answering, or `undefined` when they can. */
export function answerFlowProblem(harness: CarrierHarness<unknown, unknown>): string | undefined {
  if (streamAuthOf(harness.plugin) !== 'token')
    return `the carrier declares streamAuth '${streamAuthOf(harness.plugin)}'`;
  if (!harness.plugin.answer)
    return 'the carrier has no answer hook (its users mint tokens with mintStreamToken)';
  if (!harness.answer) return 'the harness declares no answer webhook';
  return undefined;
}

/** The answer's stream URL carries a token the server accepts for that call: the call runs. */
export async function checkAnsweredStreamRuns(harness: CarrierHarness<unknown, unknown>): Promise<void> {
  const { server, callIds, answeredStreamUrl } = await serve(harness);
  try {
    const callId = `conf-${randomUUID()}`;
    const url = await answeredStreamUrl(callId);
    expect(new URL(url).pathname, 'the token is a path segment after the media path').toMatch(
      /^\/stream\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
    );
    expect(harness.plugin.answerCallId, 'a token carrier with an answer hook names the call').toBeTypeOf(
      'function',
    );
    const ended = await stream(harness, url, callId);
    expect(ended.status).toBe(101);
    expect(callIds).toEqual([callId]);
  } finally {
    await server.close();
  }
}

/** The same answered token is refused for another call (1008), once used is refused again (403), and none is 401. */
export async function checkStreamTokenRefusals(harness: CarrierHarness<unknown, unknown>): Promise<void> {
  const { server, callIds, answeredStreamUrl, port } = await serve(harness);
  try {
    const url = await answeredStreamUrl(`conf-${randomUUID()}`);
    const other = await stream(harness, url, `conf-${randomUUID()}`);
    expect(other).toMatchObject({ status: 101, code: 1008, reason: 'stream token is for another call' });
    expect((await stream(harness, url, 'whatever')).status, 'a used token').toBe(403);
    expect((await stream(harness, `ws://127.0.0.1:${port}/stream`, 'whatever')).status, 'no token').toBe(401);
    expect(callIds).toEqual([]);
  } finally {
    await server.close();
  }
}

/** A carrier that does not take tokens from its answer: checked by its declared kind. */
export async function checkDeclaredStreamAuth(harness: CarrierHarness<unknown, unknown>): Promise<void> {
  const kind = streamAuthOf(harness.plugin);
  const { server, port } = await serve(harness);
  try {
    const url = `ws://127.0.0.1:${port}/stream`;
    expect((await stream(harness, url, 'nobody')).status, 'an upgrade with no credential').toBe(401);
    if (kind === 'basic') {
      const container = createCallwireContainer({ logger: recordingLogger() });
      registerCarrier(
        container,
        harness.plugin,
        harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 100 }),
      );
      const credentials = streamCredentialsOf(harness.plugin, container);
      expect(credentials, "a 'basic' carrier's harness options configure stream credentials").toBeDefined();
      const authorization = `Basic ${Buffer.from(`${credentials?.username}:${credentials?.password}`).toString('base64')}`;
      expect((await stream(harness, url, 'basic-call', { authorization })).status).toBe(101);
      expect((await stream(harness, url, 'basic-call', { authorization: 'Basic eDp5' })).status).toBe(403);
    }
    if (kind === 'signed-upgrade') {
      expect(
        harness.plugin.verifyWebhook,
        "a 'signed-upgrade' carrier checks its upgrade's signature",
      ).toBeTypeOf('function');
    }
  } finally {
    await server.close();
  }
}

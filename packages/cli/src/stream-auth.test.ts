// Stream auth against the real CLI: `callwire serve` spawned as a deployment runs it, a hand-made
// stream with no token, a wrong one, an expired one, another call's, and a reused one are all refused.
import { mintStreamToken } from '@callwire/server';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type CliRun, runCli } from './test-support/cli-process.js';
import { connectPlivoLike } from './test-support/plivo-client.js';
import { CLI_STREAM_SECRET } from './test-support/stream-token.js';
import { waitFor } from './test-support/wait-for.js';

const runs: CliRun[] = [];
afterEach(async () => {
  for (const running of runs.splice(0)) {
    if (running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  }
});

async function serve(env: Record<string, string>, extra: string[] = []) {
  const running = runCli(
    ['serve', '--port', '0', '--host', '127.0.0.1', '--bot', 'echo', '--drain-timeout', '0', ...extra],
    env,
  );
  runs.push(running);
  const port = await waitFor('the banner', () => {
    if (running.child.exitCode !== null) throw new Error(`exited: ${running.output()}`);
    return running.output().match(/on port (\d+)/)?.[1];
  });
  return { running, base: `127.0.0.1:${port}` };
}

/** The stream URL of the answer document for Plivo call `callId`. */
async function answered(base: string, callId: string): Promise<string> {
  const response = await fetch(`http://${base}/answer`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `CallUUID=${callId}`,
  });
  expect(response.status).toBe(200);
  return /<Stream[^>]*>([^<]+)<\/Stream>/.exec(await response.text())?.[1] ?? '';
}

/** The upgrade's HTTP status (101 when it opened; the socket is closed again). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => {});
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
  });
}

describe('callwire serve: per-call stream tokens (on by default)', () => {
  it('a fresh serve (no secret set) warns, refuses a stream with no token (401) or a forged one (403)', async () => {
    const { running, base } = await serve({ CALLWIRE_STREAM_SECRET: '' });
    // pino writes asynchronously: the warning may reach the pipe after the banner.
    const warning = await waitFor('the random-secret warning', () =>
      running.logs().find((entry) => entry.level === 40 && String(entry.msg).includes('random')),
    );
    expect(String(warning.msg)).toContain('CALLWIRE_STREAM_SECRET');
    expect(await upgradeStatus(`ws://${base}/stream`)).toBe(401);
    // A token minted with any secret but this process's random one is refused.
    const forged = mintStreamToken({ secret: CLI_STREAM_SECRET, carrier: 'plivo', callId: 'c' });
    expect(await upgradeStatus(`ws://${base}/stream/${forged}`)).toBe(403);
    expect(await upgradeStatus(`ws://${base}/stream/garbage`)).toBe(403);
    // A call that came through the answer URL streams and is echoed.
    const client = await connectPlivoLike(await answered(base, 'fresh-call'), 'fresh-call', 'fresh-stream');
    client.sendStart();
    client.sendMedia(2);
    await client.waitFor((message) => message.event === 'playAudio');
    client.socket.close();
  });

  it('refuses an expired token, another call id, and a reused token', async () => {
    const { running, base } = await serve({});
    const expired = mintStreamToken({
      secret: CLI_STREAM_SECRET,
      carrier: 'plivo',
      callId: 'late-call',
      ttlMs: 1,
      nowMs: Date.now() - 10_000,
    });
    expect(await upgradeStatus(`ws://${base}/stream/${expired}`)).toBe(403);

    // The answer's token is for call-a: a stream that says it is call-b is closed with 1008, unanswered.
    const forCallA = await answered(base, 'call-a');
    const impostor = await connectPlivoLike(forCallA, 'call-b', 'stream-b');
    impostor.sendStart();
    expect(await impostor.closed).toEqual({ code: 1008, reason: 'stream token is for another call' });
    expect(impostor.received).toEqual([]);
    // That token is spent now, as is a token after its real call used it.
    expect(await upgradeStatus(forCallA)).toBe(403);
    const forCallC = await answered(base, 'call-c');
    const real = await connectPlivoLike(forCallC, 'call-c', 'stream-c');
    real.sendStart();
    real.sendMedia(1);
    await real.waitFor((message) => message.event === 'playAudio');
    expect(await upgradeStatus(forCallC)).toBe(403);
    real.socket.close();
    for (const kind of ['expired-token', 'reused-token']) {
      await waitFor(`the ${kind} refusal in the log`, () =>
        running.output().includes(`media socket refused: ${kind}`),
      );
    }
    const started = running.logs().filter((entry) => entry.msg === 'call started');
    expect(started.map((entry) => entry.callId)).toEqual(['call-c']);
    expect(running.output()).not.toContain(expired);
  });

  it('--stream-auth off lets a hand-made stream in, and says so at start-up', async () => {
    const { running, base } = await serve({}, ['--stream-auth', 'off']);
    await waitFor('the stream-auth-off warning', () => running.output().includes('stream auth is off'));
    const answerUrl = await answered(base, 'open-call');
    expect(answerUrl).toBe(`ws://${base}/stream`);
    const client = await connectPlivoLike(`ws://${base}/stream`, 'anyone', 's');
    client.sendStart();
    client.sendMedia(1);
    await client.waitFor((message) => message.event === 'playAudio');
    client.socket.close();
  });
});

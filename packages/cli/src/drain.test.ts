import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type CliRun, runCli } from './test-support/cli-process.js';
import { connectPlivoLike } from './test-support/plivo-client.js';
import { withToken } from './test-support/stream-token.js';
import { waitFor } from './test-support/wait-for.js';

/** The status of a WebSocket upgrade to `url`: 101 when it opens (then closed again). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('error', () => resolve(0));
  });
}

async function startServe(extra: string[]): Promise<{ running: CliRun; base: string }> {
  const running = runCli(['serve', '--port', '0', '--host', '127.0.0.1', '--bot', 'echo', ...extra]);
  const port = await waitFor('the banner', () => running.output().match(/on port (\d+)/)?.[1]);
  return { running, base: `127.0.0.1:${port}` };
}

describe('callwire serve: SIGTERM drains', () => {
  it('refuses new calls at once, lets the live call finish with its audio, then exits 0', async () => {
    const { running, base } = await startServe(['--drain-timeout', '120', '--metrics']);
    try {
      const client = await connectPlivoLike(
        withToken(`ws://${base}/stream`, 'plivo', 'drain-call'),
        'drain-call',
        'drain-stream',
      );
      client.sendStart();
      client.sendMedia(5);
      await waitFor(
        '5 echoes',
        () => client.received.filter((m) => m.event === 'playAudio').length >= 5 || undefined,
      );

      running.child.kill('SIGTERM');
      await waitFor(
        '/readyz 503',
        async () => (await fetch(`http://${base}/readyz`)).status === 503 || undefined,
      );
      expect((await fetch(`http://${base}/healthz`)).status).toBe(200);
      expect(await upgradeStatus(`ws://${base}/stream`)).toBe(503);
      expect((await fetch(`http://${base}/answer`, { method: 'POST', body: 'CallUUID=2' })).status).toBe(503);
      const metrics = await (await fetch(`http://${base}/metrics`)).text();
      expect(metrics).toMatch(/^callwire_draining 1$/m);
      expect(metrics).toMatch(/^callwire_calls_active\{carrier="plivo"\} 1$/m);

      // The live call still talks and hears itself after the drain began.
      client.sendMedia(5);
      await waitFor(
        '10 echoes',
        () => client.received.filter((m) => m.event === 'playAudio').length >= 10 || undefined,
      );
      expect(running.child.exitCode).toBeNull();
      client.socket.close(1000);
      expect(await running.exited).toBe(0);
      const messages = running.logs().map((entry) => entry.msg);
      expect(messages).toContain('drained: every call ended');
      expect(messages).not.toContain('drain timed out: ending the calls left');
    } finally {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    }
  });

  it('ends every call at once on SIGINT during the drain', async () => {
    const { running, base } = await startServe(['--drain-timeout', '120']);
    try {
      const client = await connectPlivoLike(
        withToken(`ws://${base}/stream`, 'plivo', 'cut-call'),
        'cut-call',
        'cut-stream',
      );
      client.sendStart();
      client.sendMedia(3);
      await waitFor('an echo', () => client.received.find((m) => m.event === 'playAudio'));
      running.child.kill('SIGTERM');
      await waitFor(
        '/readyz 503',
        async () => (await fetch(`http://${base}/readyz`)).status === 503 || undefined,
      );
      running.child.kill('SIGINT');
      expect((await client.closed).code).toBe(1001);
      expect(await running.exited).toBe(0);
      expect(running.logs().map((entry) => entry.msg)).toContain(
        'drain cut short: ending the calls left now',
      );
    } finally {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    }
  });
});

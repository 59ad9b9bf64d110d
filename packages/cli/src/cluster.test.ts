import { once } from 'node:events';
import { createServer } from 'node:net';
import { computePlivoSignatureV3 } from '@callwire/plivo';
import { plivoHarness, startFakePlivoApi } from '@callwire/plivo/testing';
import { type SimulatedCall, startSimulatedCall } from '@callwire/testing';
import { fitTone, tone } from '@callwire/testing/audio';
import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, parseWorkerCount, restartDelayMs } from './cluster.js';
import { parseServeArgs } from './flags.js';
import { withLogFields } from './log-fields.js';
import { type CliRun, runCli } from './test-support/cli-process.js';
import { createMemoryLogger } from './test-support/memory-logger.js';
import { withToken } from './test-support/stream-token.js';

/** Polls `check` until it returns a value (a deadlock guard, not a timing assertion). */
async function eventually<T>(what: string, running: CliRun, check: () => T | undefined): Promise<T> {
  for (let attempt = 0; attempt < 750; attempt += 1) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never saw ${what}; output:\n${running.output()}`);
}

const withMessage = (running: CliRun, msg: string) => running.logs().filter((entry) => entry.msg === msg);

async function bannerPort(running: CliRun): Promise<number> {
  const match = await eventually(
    'the banner',
    running,
    () => running.output().match(/on port (\d+)/) ?? undefined,
  );
  return Number(match[1]);
}

describe('--workers', () => {
  it('parses a count, auto, and refuses anything else', () => {
    expect(parseWorkerCount('1')).toBe(1);
    expect(parseWorkerCount('3')).toBe(3);
    expect(parseWorkerCount('auto', 4)).toBe(4);
    expect(parseWorkerCount('auto', 0)).toBe(1);
    expect(parseWorkerCount(String(MAX_WORKERS))).toBe(MAX_WORKERS);
    for (const bad of ['0', '-1', '1.5', 'two', '', ' 2', String(MAX_WORKERS + 1), 'Auto']) {
      expect(parseWorkerCount(bad), bad).toBeUndefined();
    }
    expect(parseServeArgs(['serve'])).toMatchObject({ workers: 1 });
    expect(parseServeArgs(['serve', '--workers', '2'])).toMatchObject({ workers: 2 });
    expect(parseServeArgs(['serve', '--workers', '0'])).toEqual({
      error: expect.stringContaining('--workers'),
    });
    expect(parseServeArgs(['serve', '--workers'])).toEqual({ error: expect.any(String) });
  });

  it('backs restarts off: 1 s, doubling per recent exit, at most 30 s', () => {
    expect([1, 2, 3, 5, 6, 50].map(restartDelayMs)).toEqual([1000, 2000, 4000, 16_000, 30_000, 30_000]);
  });

  it('adds fields (the worker id) to every log line', () => {
    const memory = createMemoryLogger();
    const logger = withLogFields(memory, { worker: 3 });
    logger.info('plain');
    logger.warn({ callId: 'c' }, 'with fields');
    expect(memory.entries).toEqual([
      { level: 'info', message: 'plain', fields: { worker: 3 } },
      { level: 'warn', message: 'with fields', fields: { worker: 3, callId: 'c' } },
    ]);
  });

  it.each([[['serve', '--workers', '0']], [['serve', '--workers', 'many']]])(
    'exits 2 with the usage for %j (spawned)',
    async (args) => {
      const running = runCli(args);
      expect(await running.exited).toBe(2);
      expect(running.output()).toContain('Usage: callwire serve');
      expect(running.output()).toContain('--workers must be');
    },
  );

  it('exits 1 with one reason when the port is taken', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const running = runCli(['serve', '--host', '127.0.0.1', '--port', String(port), '--workers', '2']);
      expect(await running.exited).toBe(1);
      expect(running.output().match(/cannot start/g)).toHaveLength(1);
      expect(running.output()).toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
  });
});

describe('callwire serve --workers 2', () => {
  it('runs calls in both workers, echoes them, answers, hangs every call up on SIGTERM and exits 0, printing no secret', async () => {
    const authId = 'MACLUSTERTEST';
    const token = 'cluster-secret-token-0123456789';
    const api = await startFakePlivoApi({ authId, authToken: token });
    const running = runCli(
      // --drain-timeout 0: SIGTERM ends live calls at once (the drain itself is tested in drain.test.ts).
      [
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--bot',
        'echo',
        '--workers',
        '2',
        '--drain-timeout',
        '0',
      ],
      {
        PLIVO_AUTH_ID: authId,
        PLIVO_AUTH_TOKEN: token,
        PLIVO_API_BASE_URL: api.url,
        PUBLIC_URL: 'https://tunnel.example.test',
      },
    );
    try {
      const port = await bannerPort(running);
      const output = running.output();
      expect(output.match(/callwire: serving the echo bot/g)).toHaveLength(1);
      expect(output).toContain('answer URL:       https://tunnel.example.test/answer');
      // pino writes asynchronously, the banner synchronously: the second worker's line may trail the banner.
      const started = await eventually('both workers listening', running, () => {
        const lines = withMessage(running, 'worker listening');
        return lines.length >= 2 ? lines : undefined;
      });
      expect(new Set(started.map((entry) => entry.worker))).toEqual(new Set([1, 2]));
      expect(new Set(started.map((entry) => entry.workerPid)).size).toBe(2);

      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/answer`)).status).toBe(401);
      const nonce = '777';
      const signature =
        computePlivoSignatureV3({
          method: 'GET',
          url: 'https://tunnel.example.test/answer',
          nonce,
          authToken: token,
        }) ?? '';
      const answered = await fetch(`${base}/answer`, {
        headers: { 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': nonce },
      });
      expect(answered.status).toBe(200);
      expect(await answered.text()).toContain('<Stream bidirectional="true"');

      // Two concurrent calls, each with its own tone: the primary hands consecutive connections to
      // different workers, and each call hears only its own audio back.
      const echoes = new Map<string, number>();
      const call = (callId: string, frequencyHz: number): SimulatedCall =>
        startSimulatedCall({
          // Workers share the stream secret (CLI_STREAM_SECRET from runCli): a token works on either.
          url: withToken(`ws://127.0.0.1:${port}/stream`, 'plivo', callId),
          harness: plivoHarness,
          callId,
          streamId: `stream-${callId}`,
          audio: tone({ frequencyHz, durationMs: 1000, sampleRate: 8000, amplitude: 0.5 }),
          durationMs: 120_000, // the caller never hangs up: the shutdown does
          onEvent: (event) => {
            if (event.kind === 'received' && event.event === 'audio') {
              echoes.set(callId, (echoes.get(callId) ?? 0) + 1);
            }
          },
        });
      const calls = [call('call-a', 440), call('call-b', 1000)];
      await eventually('40 echoed frames on each call', running, () =>
        calls.every((c) => (echoes.get(c.callId) ?? 0) >= 40) ? true : undefined,
      );
      const callStarts = await eventually('both calls started', running, () => {
        const entries = withMessage(running, 'call started');
        return entries.length === 2 ? entries : undefined;
      });
      expect(new Set(callStarts.map((entry) => entry.worker))).toEqual(new Set([1, 2]));

      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      const [a, b] = await Promise.all(calls.map((c) => c.done));
      for (const [summary, frequencyHz] of [
        [a, 440],
        [b, 1000],
      ] as const) {
        expect(summary?.closedBy).toBe('server');
        expect(summary?.closeCode).toBe(1001);
        expect(summary?.errors).toEqual([]);
        const heard = summary?.receivedAudio ?? new Int16Array();
        expect(heard.length).toBeGreaterThanOrEqual(6400);
        expect(fitTone(heard.subarray(1600, 6400), frequencyHz, 8000).snrDb).toBeGreaterThan(25);
      }
      expect(api.requests.map((request) => [request.method, request.path]).sort()).toEqual([
        ['DELETE', `/v1/Account/${authId}/Call/call-a/`],
        ['DELETE', `/v1/Account/${authId}/Call/call-b/`],
      ]);
      const logs = running.logs();
      expect(withMessage(running, 'call ended')).toHaveLength(2);
      expect(new Set(withMessage(running, 'call server closed').map((entry) => entry.worker))).toEqual(
        new Set([1, 2]),
      );
      expect(withMessage(running, 'worker exited').map((entry) => entry.code)).toEqual([0, 0]);
      // Every line a worker wrote names it (the primary's lines name the worker they are about).
      for (const entry of logs.filter((line) => line.callId !== undefined)) {
        expect(entry.worker, JSON.stringify(entry)).toBeOneOf([1, 2]);
      }
      const all = running.output();
      expect(all).not.toContain(token);
      expect(all).not.toContain(signature);
      expect(all).not.toContain(Buffer.from(`${authId}:${token}`).toString('base64'));
    } finally {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
      await api.close();
    }
  }, 30_000);

  it('restarts a worker that dies, and still serves', async () => {
    const running = runCli([
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--workers',
      '2',
      '--log-level',
      'info',
    ]);
    try {
      const port = await bannerPort(running);
      const first = await eventually(
        'a worker listening',
        running,
        () => withMessage(running, 'worker listening')[0],
      );
      process.kill(Number(first?.workerPid), 'SIGKILL');
      const [exit] = await eventually('the unexpected exit', running, () => {
        const entries = withMessage(running, 'worker exited unexpectedly: restarting it');
        return entries.length > 0 ? entries : undefined;
      });
      expect(exit).toMatchObject({ worker: first?.worker, signal: 'SIGKILL', restartInMs: 1000, level: 50 });
      const restarted = await eventually('a new worker', running, () =>
        withMessage(running, 'worker listening').find((entry) => entry.worker === 3),
      );
      expect(restarted.port).toBe(port);
      expect(restarted.workerPid).not.toBe(first?.workerPid);
      for (let i = 0; i < 2; i++) expect((await fetch(`http://127.0.0.1:${port}/answer`)).status).toBe(200);
      expect(running.output().match(/callwire: serving/g)).toHaveLength(1);
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    } finally {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    }
  }, 30_000);
});

import { computePlivoSignatureV3 } from '@callwire/plivo';
import { describe, expect, it } from 'vitest';
import { parseServeArgs } from './flags.js';
import { type CliRun, runCli } from './test-support/cli-process.js';
import { connectPlivoLike } from './test-support/plivo-client.js';
import { withToken } from './test-support/stream-token.js';

async function waitForOutput(running: CliRun, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const match = running.output().match(pattern);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${pattern} in output:\n${running.output()}`);
}

describe('callwire serve flags', () => {
  it('parses flags with defaults', () => {
    expect(parseServeArgs(['serve'])).toEqual({
      port: 8765,
      bot: 'echo',
      path: '/stream',
      answerPath: '/answer',
      answerCarrier: 'plivo',
      logLevel: 'info',
      workers: 1,
      verifyUpgrade: false,
      streamAuth: 'on',
      drainTimeoutSeconds: 300,
      metrics: false,
    });
    expect(parseServeArgs(['serve', '--drain-timeout', '30', '--metrics'])).toMatchObject({
      drainTimeoutSeconds: 30,
      metrics: 'serve-port',
    });
    expect(parseServeArgs(['serve', '--metrics-port', '9464'])).toMatchObject({ metrics: { port: 9464 } });
    expect(parseServeArgs(['serve', '--verify-upgrade'])).toMatchObject({ verifyUpgrade: true });
    expect(parseServeArgs(['serve', '--stream-auth', 'off'])).toMatchObject({ streamAuth: 'off' });
    expect(parseServeArgs(['serve', '--stream-auth', 'maybe'])).toEqual({
      error: '--stream-auth must be on or off, got maybe',
    });
    expect(
      parseServeArgs(['serve', '--port', '0', '--bot', 'ivr', '--host', '127.0.0.1'], ['echo', 'ivr']),
    ).toMatchObject({ port: 0, bot: 'ivr', host: '127.0.0.1' });
    expect(parseServeArgs(['serve', '--bot', './bots/greeter.js'])).toMatchObject({
      bot: './bots/greeter.js',
    });
    expect(parseServeArgs(['serve', '--answer-carrier', 'twilio'])).toMatchObject({
      answerCarrier: 'twilio',
    });
  });

  it.each([
    [['serve', '--bogus']],
    [['serve', '--bot', 'chatty']],
    [['serve', '--bot', 'ivr']],
    [['serve', '--answer-carrier', 'Plivo XML']],
    [['serve', '--port', 'eighty']],
    [['serve', '--port', '70000']],
    [['serve', '--path', 'stream']],
    [['serve', '--log-level', 'loud']],
    [['serve', '--drain-timeout', '-1']],
    [['serve', '--drain-timeout', '5m']],
    [['serve', '--metrics-port', '99999']],
    [['serve', '--metrics', '--workers', '2']],
    [['listen']],
    [[]],
  ])('refuses %j with a reason', (args) => {
    expect(parseServeArgs(args)).toEqual({ error: expect.any(String) });
  });

  it('asks for help with --help', () => {
    expect(parseServeArgs(['--help'])).toEqual({ help: true });
  });

  it.each([[['serve', '--bogus']], [['serve', '--bot', 'chatty']]])(
    'exits 2 with the usage for %j (spawned)',
    async (args) => {
      const running = runCli(args);
      expect(await running.exited).toBe(2);
      expect(running.output()).toContain('Usage: callwire serve');
    },
  );
});

describe('callwire serve', () => {
  it('answers, echoes a Plivo-like call, refuses unsigned answers, never prints the token, and exits 0 on SIGTERM', async () => {
    const token = 'cli-secret-token-9876543210';
    // --drain-timeout 0: SIGTERM ends the live call at once (the drain itself is tested in drain.test.ts).
    const running = runCli(
      ['serve', '--port', '0', '--host', '127.0.0.1', '--bot', 'echo', '--drain-timeout', '0'],
      {
        PLIVO_AUTH_TOKEN: token,
        PUBLIC_URL: 'https://tunnel.example.test',
      },
    );
    const [, port] = await waitForOutput(running, /on port (\d+)/);
    expect(running.output()).toContain('answer URL:       https://tunnel.example.test/answer');
    // A carrier with no REST hang-up is not told to set credentials for one.
    expect(running.output()).toContain('exotel (hangs up by closing the stream)');
    expect(running.output()).not.toMatch(/exotel \(no hang-up/);
    // Start-up log lines (carriers without hang-up credentials, the server listening) follow the banner.
    await waitForOutput(running, /"msg":"call server listening"/);
    const [beforeBanner = ''] = running.output().split('callwire: serving');
    expect(beforeBanner).not.toContain('"level"');
    expect(running.output()).toContain(
      '"msg":"no credentials for hang-ups: calls run with auto hang-up off"',
    );
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/answer`, { method: 'POST', body: 'CallUUID=1' })).status).toBe(401);
    const nonce = '4242';
    const signature = computePlivoSignatureV3({
      method: 'POST',
      url: 'https://tunnel.example.test/answer',
      nonce,
      authToken: token,
      params: { CallUUID: '1' },
    });
    const answered = await fetch(`${base}/answer`, {
      method: 'POST',
      body: 'CallUUID=1',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-plivo-signature-v3': signature ?? '',
        'x-plivo-signature-v3-nonce': nonce,
      },
    });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('wss://tunnel.example.test/stream');

    const client = await connectPlivoLike(
      withToken(`ws://127.0.0.1:${port}/stream`, 'plivo', 'cli-call'),
      'cli-call',
      'cli-stream',
    );
    client.sendStart();
    client.sendMedia(10);
    expect(await client.waitFor((message) => message.event === 'playAudio')).toMatchObject({
      streamId: 'cli-stream',
    });
    await waitForOutput(running, /"msg":"call started"/);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect((await client.closed).code).toBe(1001);
    const output = running.output();
    expect(output).toContain('"msg":"call ended"');
    expect(output).toContain('"msg":"call server closed"');
    expect(output).not.toContain(token);
    expect(output).not.toContain(signature);
  });
});

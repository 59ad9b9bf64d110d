import { type ServeConfig, type Serving, startServing } from '@callwire/cli';
import { plivo } from '@callwire/plivo';
import { plivoHarness, startFakePlivoApi } from '@callwire/plivo/testing';
import { mintStreamToken, streamUrlWithToken } from '@callwire/server';
import { simulateAnsweredCall } from '@callwire/testing';

const STREAM_SECRET = 'examples-bots-test-stream-secret';

import { fitTone, tone } from '@callwire/testing/audio';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { echoBot } from './echo.js';
import { createIvrBot, IVR_TRANSFER_TO_ENV, ivrBot } from './ivr.js';
import { createMemoryLogger } from './test-support/memory-logger.js';
import { connectPlivoLike } from './test-support/plivo-client.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(config: Omit<ServeConfig, 'port' | 'logger'>) {
  const logger = createMemoryLogger();
  // Carriers passed, not discovered: a discovered carrier is imported natively, outside vitest's module
  // graph, and would see another copy of @callwire/core than the server does.
  const serving: Serving = await startServing({
    carriers: [plivo],
    ...config,
    // A shared stream secret, so a test can mint a call's stream token as its own answer handler would.
    env: { CALLWIRE_STREAM_SECRET: STREAM_SECRET, ...config.env },
    port: 0,
    host: '127.0.0.1',
    logger,
  });
  cleanups.push(() => serving.server.close());
  const base = `ws://127.0.0.1:${serving.port}/stream`;
  return {
    serving,
    logger,
    answerUrl: `http://127.0.0.1:${serving.port}/answer`,
    /** The stream URL with a token for Plivo call `callId`. */
    urlFor: (callId: string) =>
      streamUrlWithToken(base, mintStreamToken({ secret: STREAM_SECRET, carrier: 'plivo', callId })),
  };
}

const isPlayAudio = (message: Record<string, unknown>) => message.event === 'playAudio';

describe('echo bot', () => {
  it('plays the caller audio back as playAudio carrying the stream id', async () => {
    const { urlFor } = await serve({ handler: echoBot });
    const client = await connectPlivoLike(urlFor('call-echo'), 'call-echo', 'stream-echo');
    client.sendStart();
    client.sendMedia(50);
    await client.waitFor(isPlayAudio);
    const deadline = Date.now() + 5000;
    const bytes = () =>
      client.received
        .filter(isPlayAudio)
        .reduce(
          (sum, m) => sum + Buffer.from(String((m.media as { payload: string }).payload), 'base64').length,
          0,
        );
    while (bytes() < 40 * 160 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    for (const message of client.received.filter(isPlayAudio)) {
      expect(message).toMatchObject({
        streamId: 'stream-echo',
        media: { contentType: 'audio/x-mulaw', sampleRate: 8000 },
      });
    }
    expect(bytes()).toBeGreaterThanOrEqual(40 * 160);
    client.socket.close();
    await client.closed;
  });
});

describe('echo bot against a Plivo-like caller in real time', () => {
  it('returns 2 s of a 440 Hz tone as playAudio for its stream, clean after mu-law and resampling', async () => {
    const { answerUrl } = await serve({ handler: echoBot });
    const amplitude = 0.5;
    // As Plivo does: the answer URL first, then the stream its <Stream> names (with the call's token).
    const summary = await simulateAnsweredCall({
      answerUrl,
      harness: plivoHarness,
      streamId: 'stream-realtime',
      audio: tone({ frequencyHz: 440, durationMs: 2000, sampleRate: 8000, amplitude }),
      realTime: true,
      tailMs: 400,
    });
    expect(summary.sent.media).toBe(100);
    const playAudio = summary.messages.map((message) => JSON.parse(String(message))).filter(isPlayAudio);
    expect(playAudio.length).toBeGreaterThan(0);
    expect(new Set(playAudio.map((message) => message.streamId))).toEqual(new Set(['stream-realtime']));
    expect(summary.receivedAudio.length).toBeGreaterThanOrEqual(15_000);
    const middle = summary.receivedAudio.subarray(2000, 14_000);
    const fit = fitTone(middle, 440, 8000);
    expect(fit.snrDb).toBeGreaterThan(30);
    expect(fit.amplitude / (amplitude * 32767)).toBeCloseTo(1, 1);
  }, 15_000);
});

describe('ivr bot', () => {
  it('greets, beeps on 1, reports the checkpoint on 2 and hangs up on # through the REST API', async () => {
    const api = await startFakePlivoApi({ authId: 'MATEST', authToken: 'test-token-ivr' });
    cleanups.push(() => api.close());
    const { urlFor, logger } = await serve({
      handler: ivrBot,
      env: { PLIVO_AUTH_ID: 'MATEST', PLIVO_AUTH_TOKEN: 'test-token-ivr', PLIVO_API_BASE_URL: api.url },
    });
    const client = await connectPlivoLike(urlFor('call-ivr'), 'call-ivr', 'stream-ivr');
    client.sendStart();
    client.sendMedia(5);
    await client.waitFor(isPlayAudio);
    const greetingMessages = client.received.filter(isPlayAudio).length;
    client.sendDtmf('1');
    const beepAfter = greetingMessages;
    const waitForBeep = async () => {
      while (client.received.filter(isPlayAudio).length <= beepAfter) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await waitForBeep();
    client.sendDtmf('2');
    // The playback layer marks the greeting too (`callwire.play.*`): the bot's own checkpoint is named.
    const checkpoint = await client.waitFor(
      (message) => message.event === 'checkpoint' && message.name === 'checkpoint-1',
    );
    expect(checkpoint).toMatchObject({ streamId: 'stream-ivr', name: 'checkpoint-1' });
    client.sendPlayed('checkpoint-1');
    while (!logger.entries.some((entry) => entry.message === 'ivr: checkpoint acknowledged')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    client.sendDtmf('#');
    expect((await client.closed).code).toBe(1000);
    expect(api.requests.map((request) => [request.method, request.path])).toEqual([
      ['DELETE', '/v1/Account/MATEST/Call/call-ivr/'],
    ]);
    const acknowledged = logger.entries.find((entry) => entry.message === 'ivr: checkpoint acknowledged');
    expect(acknowledged?.fields).toMatchObject({ checkpoint: 'checkpoint-1', callId: 'call-ivr' });
    expect(JSON.stringify(logger.entries)).not.toContain('test-token-ivr');
  });

  it('greets by the custom parameter, and offers the menu once the carrier says the greeting was heard', async () => {
    const { answerUrl, logger } = await serve({ handler: ivrBot });
    const summary = await simulateAnsweredCall({
      answerUrl,
      harness: plivoHarness,
      metadata: { from: '+14155550100', customParameters: { name: 'Ada' }, raw: {} },
      dtmf: [{ digit: '#', afterReceived: 'checkpoint', delayMs: 1200 }],
      realTime: true,
      checkpoints: 'when-played',
      durationMs: 10_000,
    });
    expect(summary.closedBy).toBe('server');
    const greeting = logger.entries.find((entry) => entry.message === 'ivr: greeting the caller');
    expect(greeting?.fields).toMatchObject({ caller: 'Ada' });
    const heard = logger.entries.find((entry) => entry.message.startsWith('ivr: greeting heard'));
    // The chime is 560 ms; the simulated carrier acknowledged its last mark once it had played it all.
    expect(heard?.fields).toMatchObject({ heardMs: 560, exact: true });
    const lastMark = summary.checkpoints.at(-1);
    expect(lastMark?.ackedAtMs).toBeDefined();
  });

  it('transfers the caller on 0 through the carrier API, and the call ends without a hang-up', async () => {
    const api = await startFakePlivoApi({ authId: 'MATEST', authToken: 'test-token-ivr' });
    cleanups.push(() => api.close());
    const { urlFor, logger } = await serve({
      handler: createIvrBot({ transferTo: '+14155550123' }),
      publicUrl: 'https://bot.example.test',
      env: { PLIVO_AUTH_ID: 'MATEST', PLIVO_AUTH_TOKEN: 'test-token-ivr', PLIVO_API_BASE_URL: api.url },
    });
    const client = await connectPlivoLike(urlFor('call-operator'), 'call-operator', 'stream-operator');
    client.sendStart();
    await client.waitFor(isPlayAudio);
    client.sendDtmf('0');
    expect((await client.closed).code).toBe(1000);
    // One transfer request (Plivo's Transfer API: POST on the call), no hang-up.
    expect(api.requests.map((request) => [request.method, request.path])).toEqual([
      ['POST', '/v1/Account/MATEST/Call/call-operator/'],
    ]);
    // Plivo fetches the <Dial> from our public answer URL (aleg_url), which names the operator.
    const alegUrl = new URL(JSON.parse(api.requests[0]?.body ?? '{}').aleg_url);
    expect(alegUrl.origin).toBe('https://bot.example.test');
    expect(alegUrl.href).toContain(encodeURIComponent('+14155550123'));
    expect(logger.entries.map((entry) => entry.message)).toContain('ivr: caller transferred');
    expect(JSON.stringify(logger.entries)).not.toContain('test-token-ivr');
  });

  it('on 0 with no operator configured, says so and the menu goes on (# still hangs up)', async () => {
    const api = await startFakePlivoApi({ authId: 'MATEST', authToken: 'test-token-ivr' });
    cleanups.push(() => api.close());
    const { urlFor, logger } = await serve({
      handler: ivrBot,
      env: { PLIVO_AUTH_ID: 'MATEST', PLIVO_AUTH_TOKEN: 'test-token-ivr', PLIVO_API_BASE_URL: api.url },
    });
    const client = await connectPlivoLike(urlFor('call-nobody'), 'call-nobody', 'stream-nobody');
    client.sendStart();
    await client.waitFor(isPlayAudio);
    client.sendDtmf('0');
    client.sendDtmf('#');
    expect((await client.closed).code).toBe(1000);
    expect(api.requests.map((request) => request.method)).toEqual(['DELETE']);
    expect(logger.entries.some((entry) => entry.message.startsWith('ivr: no operator configured'))).toBe(
      true,
    );
  });

  it('refuses a transfer target that is not a number or sip: URI, naming the variable', async () => {
    expect(() => createIvrBot({ transferTo: 'operator' })).toThrow(IVR_TRANSFER_TO_ENV);
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof write;
    try {
      expect(await main(['serve', '--bot', 'ivr'], { [IVR_TRANSFER_TO_ENV]: 'operator' })).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(written.join('')).toContain(`cannot start: ${IVR_TRANSFER_TO_ENV}`);
  });

  it('runs without credentials: no hang-up request, call still ends on #', async () => {
    const api = await startFakePlivoApi();
    cleanups.push(() => api.close());
    const { urlFor } = await serve({ handler: ivrBot, env: { PLIVO_API_BASE_URL: api.url } });
    const client = await connectPlivoLike(urlFor('call-anon'), 'call-anon', 'stream-anon');
    client.sendStart();
    await client.waitFor(isPlayAudio);
    client.sendDtmf('#');
    expect((await client.closed).code).toBe(1000);
    expect(api.requests).toEqual([]);
  });
});

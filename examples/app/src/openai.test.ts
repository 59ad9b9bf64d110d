// The openai bot on a real call server, a simulated Plivo call and a fake Realtime API on 127.0.0.1
// (OPENAI_REALTIME_URL's use): it greets first, its audio reaches the caller, and its hang_up tool
// ends the call through Plivo's (fake) REST API.
import { fileURLToPath } from 'node:url';
import { mulawEncode } from '@callwire/codec';
import { createCallwireContainer, type Logger, registerCarrier } from '@callwire/core';
import { startFakeRealtimeServer } from '@callwire/openai-realtime/testing';
import { createCallServer, mintStreamToken, streamUrlWithToken } from '@callwire/server';
import { discoverCarriers, startSimulatedCall } from '@callwire/testing';
import { tone } from '@callwire/testing/audio';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.js';
import { createOpenAiBot, openAiBotSettings } from './openai.js';

const carriers = await discoverCarriers(fileURLToPath(new URL('../../../packages', import.meta.url)));
const streamSecret = 'openai-bot-test-secret-0123456789';
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the openai bot', () => {
  it('refuses to start without OPENAI_API_KEY, naming it', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['serve', '--bot', 'openai'], {})).toBe(1);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('OPENAI_API_KEY');
  });

  it('reads the key and OPENAI_REALTIME_URL from the environment', () => {
    expect(
      openAiBotSettings({ OPENAI_API_KEY: 'sk-x', OPENAI_REALTIME_URL: 'ws://127.0.0.1:1/v1/realtime' }),
    ).toEqual({
      apiKey: 'sk-x',
      url: 'ws://127.0.0.1:1/v1/realtime',
      model: undefined,
    });
  });

  it('greets, is heard, and hangs up through the carrier with its hang_up tool', async () => {
    const harness = carriers.find((carrier) => carrier.name === 'plivo')?.harnesses[0];
    if (!harness?.startApi || !harness.hangUpRequest) throw new Error('the plivo harness is missing');
    const api = await harness.startApi();
    const model = await startFakeRealtimeServer();
    const container = createCallwireContainer({ logger: quiet });
    registerCarrier(container, harness.plugin, harness.options({ apiUrl: api.url, hangUpTimeoutMs: 2000 }));
    const settings = openAiBotSettings({
      OPENAI_API_KEY: 'sk-test-0123456789',
      OPENAI_REALTIME_URL: model.url,
    });
    const server = createCallServer({
      container,
      logger: quiet,
      pipelineSampleRate: 8000,
      streamAuth: { secret: streamSecret },
      handler: createOpenAiBot(settings),
    });
    const port = await server.listen(0, '127.0.0.1');
    // The stream URL a real answer would carry: a token for this call (stream auth is on).
    const callId = 'call-openai-1';
    const token = mintStreamToken({ secret: streamSecret, carrier: 'plivo', callId });
    const simulated = startSimulatedCall({
      url: streamUrlWithToken(`ws://127.0.0.1:${port}/stream`, token),
      callId,
      harness,
      realTime: true,
      durationMs: 20_000,
    });
    try {
      await model.waitForEvent((event) => event.type === 'response.create');
      const greeting = mulawEncode(tone({ frequencyHz: 440, durationMs: 300, sampleRate: 8000 }));
      model.speak(greeting, { responseId: 'resp_greeting', itemId: 'item_greeting', chunkBytes: 400 });
      model.callFunction('hang_up', {}, { responseId: 'resp_bye', callId: 'call_bye' });
      const summary = await simulated.done;
      expect(summary.closedBy).toBe('server');
      // The goodbye was heard before the hang-up: all 300 ms of it.
      expect(summary.receivedAudio.length).toBeGreaterThanOrEqual(2400);
      expect(summary.playback.heardMs).toBeGreaterThan(290);
      const { method, path } = harness.hangUpRequest;
      expect(
        api.requests.some((request) => request.method === method && request.path === path(summary.callId)),
      ).toBe(true);
    } finally {
      simulated.hangUp();
      await server.close();
      await model.close();
      await api.close();
    }
  }, 30_000);
});

// The transport end to end, with the real @openai/agents-realtime SDK and no network: every discovered
// carrier's simulated call reaches a real call server whose handler runs a RealtimeSession on
// createRealtimeTransport, against a fake Realtime API on 127.0.0.1. What the caller heard is the
// simulated carrier's own playback clock (what it had played when the clear arrived), not a timer.
import { fileURLToPath } from 'node:url';
import { alawDecode, l16LeToPcm, mulawDecode, mulawEncode, pcmToL16Le } from '@callwire/codec';
import { createCallwireContainer, registerCarrier } from '@callwire/core';
import { createCallServer } from '@callwire/server';
import {
  type CarrierHarness,
  discoverCarriers,
  recordingLogger,
  startSimulatedCall,
} from '@callwire/testing';
import { fitTone, tone } from '@callwire/testing/audio';
import { RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { describe, expect, it } from 'vitest';
import { callTools } from './call-tools.js';
import { PCM16_RATE, PCMU_RATE } from './model-audio.js';
import { type FakeRealtimeServer, startFakeRealtimeServer } from './testing/fake-realtime-server.js';
import { type CallRealtimeTransport, createRealtimeTransport } from './transport.js';

const carriers = await discoverCarriers(fileURLToPath(new URL('../../', import.meta.url)));
/** The bar: the truncation within this of what the carrier played. */
const toleranceMs = 40;
const apiKey = 'sk-test-callwire-4f9c2a7e1b3d5f60';
const callerHz = 1000;
const modelHz = 440;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where `needle` starts in `haystack`, or -1. */
function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    for (let index = 0; index < needle.length; index += 1) {
      if (haystack[start + index] !== needle[index]) continue outer;
    }
    return start;
  }
  return -1;
}

/**
 * The sample a framer's padding decodes to: 0 in L16 and mu-law (0xFF), +8 in A-law (0xD5: A-law has
 * no zero).
 */
function silenceSample(codec: CarrierHarness<unknown, unknown>['wireCodec']): number {
  return codec === 'alaw' ? (alawDecode(Uint8Array.of(0xd5))[0] ?? 0) : 0;
}

/**
 * ms of digital silence (runs of at least 1 ms of the codec's `silence` sample) in the first `untilMs`
 * of `audio`: what a carrier's framing inserted into the model's tone (a padded chunk where a mark cut
 * the stream), heard by the caller but not part of the model's item. A tone has no such runs.
 */
function insertedSilenceMs(audio: Int16Array, untilMs: number, sampleRate: number, silence: number): number {
  const end = Math.min(audio.length, Math.round((untilMs * sampleRate) / 1000));
  const minRun = sampleRate / 1000;
  let silent = 0;
  let run = 0;
  for (let index = 0; index <= end; index += 1) {
    if (index < end && audio[index] === silence) {
      run += 1;
      continue;
    }
    if (run >= minRun) silent += run;
    run = 0;
  }
  return (silent * 1000) / sampleRate;
}

interface Seen {
  transport?: CallRealtimeTransport;
  dtmf: string[];
  interrupted: number;
}

async function runCall(harness: CarrierHarness<unknown, unknown>, model: FakeRealtimeServer) {
  // A mu-law carrier on an 8 kHz pipeline takes the pass-through path; every other one PCM16 at 24 kHz.
  const passThrough = harness.wireCodec === 'mulaw' && harness.wireSampleRate === PCMU_RATE;
  const pipelineRate = passThrough ? PCMU_RATE : 16_000;
  const api = harness.supports.hangUp ? await harness.startApi?.() : undefined;
  const logger = recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(
    container,
    harness.plugin,
    harness.options({ apiUrl: api?.url ?? 'http://127.0.0.1:9', hangUpTimeoutMs: 2000 }),
  );
  const seen: Seen = { dtmf: [], interrupted: 0 };
  const server = createCallServer({
    container,
    logger,
    pipelineSampleRate: pipelineRate,
    // This test is about the transport on every carrier, whatever its stream-auth kind (token, signed
    // upgrade, basic): describeCarrier checks each carrier's stream auth on its own.
    streamAuth: 'off',
    handler: async (call) => {
      const transport = createRealtimeTransport(call, { url: model.url });
      seen.transport = transport;
      const agent = new RealtimeAgent({
        name: 'Front desk',
        instructions: 'Answer the phone.',
        tools: callTools(call, { beforeHangUp: () => transport.playedOut() }),
      });
      const session = new RealtimeSession(agent, { transport });
      session.on('transport_event', (event) => {
        if (event.type === 'callwire_dtmf') seen.dtmf.push(String(event.digit));
      });
      session.on('audio_interrupted', () => {
        seen.interrupted += 1;
      });
      await session.connect({ apiKey });
      await call.closed;
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  const callerAudio = tone({ frequencyHz: callerHz, durationMs: 1500, sampleRate: harness.wireSampleRate });
  const simulated = startSimulatedCall({
    url: `ws://127.0.0.1:${port}/stream`,
    harness,
    audio: callerAudio,
    realTime: true,
    checkpoints: 'when-played',
    durationMs: 30_000,
  });
  return { passThrough, api, logger, server, seen, simulated, callerAudio };
}

describe.each(
  carriers.flatMap((carrier) =>
    carrier.harnesses.map((harness) => [harness.plugin.name, harness.wireCodec, harness] as const),
  ),
)('OpenAI Realtime on %s (%s)', (name, _codec, harness) => {
  // The call simulator is a WebSocket caller: a carrier that streams over plain TCP (AudioSocket) is
  // left to its own package's fake client.
  const overTcp = harness.plugin.streamFraming !== undefined;
  const test = overTcp ? it.skip : it;
  const title = overTcp
    ? `a call — skipped: ${name} streams over TCP, and the call simulator is a WebSocket caller`
    : 'caller audio reaches the model, the model is heard, a barge-in truncates at what was heard, DTMF reaches the agent, hang_up ends the call';
  test(title, async () => {
    const model = await startFakeRealtimeServer();
    const { passThrough, api, logger, server, seen, simulated, callerAudio } = await runCall(harness, model);
    try {
      // The session asks for the call's audio format.
      const expected = passThrough ? { type: 'audio/pcmu' } : { type: 'audio/pcm', rate: PCM16_RATE };
      const update = await model.waitForEvent(
        (event) => event.type === 'session.update' && JSON.stringify(event).includes('"output_modalities"'),
      );
      const audioConfig = (
        update.session as { audio: { input: { format: unknown }; output: { format: unknown } } }
      ).audio;
      expect(audioConfig.input.format).toEqual(expected);
      expect(audioConfig.output.format).toEqual(expected);
      expect(seen.transport?.modelAudio).toBe(passThrough ? 'pcmu' : 'pcm16');

      // 1. The caller's tone reaches the model: bit-exact on the pass-through path, as a clean tone otherwise.
      const modelRate = passThrough ? PCMU_RATE : PCM16_RATE;
      const bytesPerMs = passThrough ? 8 : 48;
      await model.waitForInputAudio(600 * bytesPerMs);
      const input = model.inputAudio();
      if (passThrough) {
        const sent = mulawEncode(callerAudio);
        const window = input.subarray(0, 400 * bytesPerMs);
        expect(
          indexOfBytes(sent, window),
          'the caller bytes reach the model unchanged',
        ).toBeGreaterThanOrEqual(0);
      }
      const heardByModel = passThrough ? mulawDecode(input) : l16LeToPcm(input);
      // Skip the resampler's start-up and the tone's edges.
      const steady = heardByModel.subarray(modelRate / 20, modelRate / 2);
      expect(fitTone(steady, callerHz, modelRate).snrDb).toBeGreaterThan(25);

      // 2. The model speaks 3 s (sent at once, as the API does); the caller hears it in real time.
      const speech = tone({ frequencyHz: modelHz, durationMs: 3000, sampleRate: modelRate });
      const speechBytes = passThrough ? mulawEncode(speech) : pcmToL16Le(speech);
      const events = simulated.events();
      model.speak(speechBytes, {
        responseId: 'resp_1',
        itemId: 'item_1',
        chunkBytes: 50 * bytesPerMs,
        done: false,
      });
      for await (const event of events) {
        if (event.kind === 'received' && event.event === 'audio') break;
      }
      void events.return?.();
      // 3. The caller talks over it ~700 ms in: the model's VAD says so, the transport barges in.
      await sleep(700);
      model.speechStarted();
      const truncate = await model.waitForEvent((event) => event.type === 'conversation.item.truncate');
      expect(model.events.some((event) => event.type === 'response.cancel')).toBe(true);
      expect(truncate).toMatchObject({ item_id: 'item_1', content_index: 0 });

      // 4. A key press reaches the agent: a transport event, and a user message naming the key.
      if (harness.supports.dtmf) {
        simulated.sendDtmf('5');
        const message = await model.waitForEvent(
          (event) => event.type === 'conversation.item.create' && JSON.stringify(event).includes('\\"5\\"'),
        );
        expect(message).toMatchObject({ item: { type: 'message', role: 'user' } });
        await model.waitForEvent(
          (event) =>
            event.type === 'response.create' && model.events.indexOf(event) > model.events.indexOf(message),
        );
        expect(seen.dtmf).toEqual(['5']);
      }

      // 5. The model calls hang_up: the call ends through the carrier.
      model.callFunction('hang_up', {}, { responseId: 'resp_2', callId: 'call_hang_up' });
      const summary = await simulated.done;
      expect(summary.errors).toEqual([]);
      expect(summary.closedBy).toBe('server');
      if (api && harness.hangUpRequest) {
        const { method, path } = harness.hangUpRequest;
        expect(
          api.requests.some((request) => request.method === method && request.path === path(summary.callId)),
          'the carrier API got the hang-up',
        ).toBe(true);
      }

      // The truncation is what the caller heard, on the simulated carrier's own clock.
      expect(summary.playback.clears).toHaveLength(1);
      // Carriers that frame their stream (Exotel, Vonage, Asterisk) pad a chunk with silence where a mark
      // cuts it: the caller hears it, but it is no part of the model's item, which is what is truncated.
      const wireRate = summary.sampleRate;
      const streamHeardMs = summary.playback.clears[0]?.heardMs ?? Number.NaN;
      const padding = insertedSilenceMs(
        summary.receivedAudio,
        streamHeardMs,
        wireRate,
        silenceSample(harness.wireCodec),
      );
      const truth = streamHeardMs - padding;
      const reported = Number(truncate.audio_end_ms);
      expect(
        Math.abs(reported - truth),
        `truncated at ${reported} ms, heard ${truth} ms of the item (${streamHeardMs} ms with ${padding} ms of padding)`,
      ).toBeLessThanOrEqual(toleranceMs);
      expect(padding, 'the padding a framed stream gets at the start of a response').toBeLessThan(100);
      expect(reported).toBeGreaterThan(300);
      expect(reported).toBeLessThan(3000);
      expect(seen.interrupted).toBe(1);

      // The model's tone reached the caller (in steady state: once the carrier has 300 ms queued, a framed
      // stream is no longer cut at each chunk).
      const played = summary.receivedAudio.subarray((wireRate * 4) / 10, (wireRate * 65) / 100);
      expect(fitTone(played, modelHz, wireRate).snrDb).toBeGreaterThan(20);

      // The session's usage was logged, with the call's fields; the API key never was.
      const usage = logger.lines.find((line) => line.message === 'openai: session usage');
      expect(usage?.fields).toMatchObject({ callId: summary.callId });
      expect(JSON.stringify(logger.lines)).not.toContain(apiKey);
      expect(model.handshakes[0]?.authorization).toBe(`Bearer ${apiKey}`);
    } finally {
      simulated.hangUp();
      await server.close();
      await model.close();
      await api?.close();
    }
  }, 60_000);
});

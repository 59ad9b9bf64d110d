// Playback truth end to end: a real server, every discovered carrier's simulated call playing the
// server's audio at real time, and a barge-in. What the server reports as heard is compared with the
// simulated carrier's own playback clock (what it had played when the clear arrived), not with a timer.
import { fileURLToPath } from 'node:url';
import {
  type CarrierPlugin,
  createCallwireContainer,
  type Logger,
  registerCarrier,
  type SerializerFactory,
  serializerFactoryToken,
  type WireSerializer,
} from '@callwire/core';
import type { InterruptResult, PlayedResult } from '@callwire/server';
import { createCallServer } from '@callwire/server';
import { type CarrierHarness, discoverCarriers, simulateCall } from '@callwire/testing';
import { tone } from '@callwire/testing/audio';
import { describe, expect, it } from 'vitest';

const carriers = await discoverCarriers(fileURLToPath(new URL('../../../packages', import.meta.url)));
const pipelineRate = 16_000;
/** The bar: reported heard ms within this of what the carrier played. */
const toleranceMs = 40;

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** What the server side of one barge-in call reported. */
interface Reported {
  first?: PlayedResult;
  second?: PlayedResult;
  interrupted?: InterruptResult;
  playedMs?: number;
}

/** `plugin` with its checkpoints dropped: a carrier that cannot mark (no playback acknowledgement). */
function withoutCheckpoints<Options, Resolved>(
  plugin: CarrierPlugin<Options, Resolved>,
): CarrierPlugin<Options, Resolved> {
  return {
    ...plugin,
    register(container, options) {
      plugin.register(container, options);
      const token = serializerFactoryToken(plugin.name);
      const factory: SerializerFactory = container.resolve(token);
      container.register(token, {
        useValue: (call, scope) => {
          const serializer = factory(call, scope);
          const wrapped: WireSerializer = Object.create(serializer);
          Object.assign(wrapped, {
            serialize: (frame: Parameters<WireSerializer['serialize']>[0]) =>
              frame.type === 'checkpoint' ? [] : serializer.serialize(frame),
          });
          return wrapped;
        },
      });
    },
  };
}

/**
 * A call whose bot plays a `firstMs` item (when not 0), waits for it to be played, plays a 1500 ms
 * one, and barges in `bargeInAfterMs` after that (on its own timer: the trigger only; the truth is the
 * simulator's clock).
 */
async function bargeIn(
  harness: CarrierHarness<unknown, unknown>,
  options: { checkpoints: boolean; firstMs: number; bargeInAfterMs: number },
) {
  const api = harness.supports.hangUp ? await harness.startApi?.() : undefined;
  const container = createCallwireContainer({ logger: quiet });
  const plugin = options.checkpoints ? harness.plugin : withoutCheckpoints(harness.plugin);
  registerCarrier(
    container,
    plugin,
    harness.options({ apiUrl: api?.url ?? 'http://127.0.0.1:9', hangUpTimeoutMs: 300 }),
  );
  const reported: Reported = {};
  const server = createCallServer({
    container,
    logger: quiet,
    pipelineSampleRate: pipelineRate,
    // This test is about playback timing on every carrier, whatever its stream-auth kind (token,
    // signed upgrade, basic): describeCarrier checks each carrier's stream auth on its own.
    streamAuth: 'off',
    handler: async (call) => {
      if (options.firstMs > 0) {
        const first = call.play(
          tone({ frequencyHz: 440, durationMs: options.firstMs, sampleRate: pipelineRate }),
          { id: 'first' },
        );
        reported.first = await first.played;
      }
      const second = call.play(tone({ frequencyHz: 660, durationMs: 1500, sampleRate: pipelineRate }), {
        id: 'second',
      });
      await new Promise((resolve) => setTimeout(resolve, options.bargeInAfterMs));
      reported.interrupted = await call.interrupt();
      reported.second = await second.played;
      reported.playedMs = call.playedMs;
      // Simulator and server share this process: let the clear reach the simulator before the hang-up's
      // work (a first REST request loads an HTTP client) holds the event loop.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  try {
    const summary = await simulateCall({
      url: `ws://127.0.0.1:${port}/stream`,
      harness,
      realTime: true,
      checkpoints: options.checkpoints ? 'when-played' : 'never',
      durationMs: 10_000,
    });
    return { summary, reported };
  } finally {
    await server.close();
    await api?.close();
  }
}

describe.each(
  carriers.flatMap((carrier) =>
    carrier.harnesses.map((harness) => [harness.plugin.name, harness.wireCodec, harness] as const),
  ),
)('playback truth on %s (%s)', (_name, _codec, harness) => {
  const title = harness.supports.checkpoint
    ? `a barge-in reports what the caller heard within ${toleranceMs} ms of the carrier's playback, exactly`
    : `a barge-in reports what the caller heard — skipped: carrier declares no checkpoint support`;
  (harness.supports.checkpoint ? it : it.skip)(
    title,
    async () => {
      const { summary, reported } = await bargeIn(harness, {
        checkpoints: true,
        firstMs: 300,
        bargeInAfterMs: 430,
      });
      expect(summary.errors).toEqual([]);
      expect(reported.first).toEqual({ heardMs: 300, exact: true });
      const clear = summary.playback.clears[0];
      expect(summary.playback.clears).toHaveLength(1);
      const heardOfSecond = reported.interrupted?.items[0]?.heardMs ?? Number.NaN;
      expect(reported.interrupted).toEqual({
        items: [{ id: 'second', heardMs: heardOfSecond }],
        exact: true,
      });
      expect(reported.second).toEqual({ heardMs: heardOfSecond, exact: true });
      const truth = clear?.heardMs ?? Number.NaN;
      expect(
        Math.abs(300 + heardOfSecond - truth),
        `reported ${300 + heardOfSecond} ms, played ${truth} ms`,
      ).toBeLessThanOrEqual(toleranceMs);
      expect(Math.abs((reported.playedMs ?? Number.NaN) - truth)).toBeLessThanOrEqual(toleranceMs);
      // The barge-in landed inside the second item, not in a gap the test could not see.
      expect(heardOfSecond).toBeGreaterThan(0);
      expect(heardOfSecond).toBeLessThan(1500);
    },
    30_000,
  );
});

describe('playback truth on a carrier without checkpoints', () => {
  const harness =
    carriers.find((carrier) => carrier.name === 'twilio')?.harnesses[0] ?? carriers[0]?.harnesses[0];
  it(`estimates from wall-clock pacing (exact: false), within ${toleranceMs} ms of the carrier's playback`, async () => {
    if (!harness) throw new Error('no carrier discovered');
    const { summary, reported } = await bargeIn(
      { ...harness, supports: { ...harness.supports, checkpoint: false } },
      // One item: the estimate starts when the audio is sent (an item played after another one the
      // estimate says has ended would carry that estimate's error too).
      { checkpoints: false, firstMs: 0, bargeInAfterMs: 430 },
    );
    expect(summary.checkpoints, 'the carrier was sent no checkpoint').toEqual([]);
    const heard = reported.interrupted?.items[0]?.heardMs ?? Number.NaN;
    expect(reported.interrupted).toEqual({ items: [{ id: 'second', heardMs: heard }], exact: false });
    expect(reported.second).toEqual({ heardMs: heard, exact: false });
    const truth = summary.playback.clears[0]?.heardMs ?? Number.NaN;
    expect(Math.abs(heard - truth), `reported ${heard} ms, played ${truth} ms`).toBeLessThanOrEqual(
      toleranceMs,
    );
  }, 30_000);
});

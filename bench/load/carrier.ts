import { outputAudioFrame } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { openSerializer } from '../carriers/carrier-paths.js';
import { type BenchHarness, discoverHarnesses, selectHarnesses } from '../carriers/harnesses.js';

/**
 * Frames of a sustained stream (20 s of 20 ms frames) a plain carrier must turn into audio alone: long
 * enough for a carrier's flow control to ask for something the load client does not answer (Asterisk's
 * chan_websocket sends GET_STATUS after 400 frames and holds media after 1000 unanswered).
 */
const SUSTAINED_FRAMES = 1000;

/**
 * True when `harness`'s carrier streams G.711 at 8 kHz and frames nothing on the way out: at the wire
 * rate each 20 ms frame becomes exactly one audio message carrying those 160 samples at once, for a
 * sustained stream (no flow-control messages the load client would have to answer).
 */
export function isPlainG711Harness(harness: CarrierHarness<unknown, unknown>): boolean {
  if (harness.wireCodec === 'l16' || harness.wireSampleRate !== 8000) return false;
  try {
    const { serializer } = openSerializer(harness, 8000);
    for (let frame = 0; frame < SUSTAINED_FRAMES; frame++) {
      const messages = serializer.serialize(outputAudioFrame(new Int16Array(160).fill(1000), 8000));
      if (messages.length !== 1 || harness.read.audio(messages[0]!)?.length !== 160) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The harness the load test drives: of the carrier (or label) `name`, else of the first carrier found
 * by convention whose harness streams G.711 at 8 kHz with no outbound framing (see `isPlainG711Harness`).
 */
export async function pickLoadHarness(name: string | undefined): Promise<BenchHarness> {
  const all = await discoverHarnesses();
  const candidates = name === undefined ? all : selectHarnesses(all, [name]);
  if (candidates.length === 0) {
    throw new Error(
      `--carrier ${name}: no such carrier; found ${[...new Set(all.map((entry) => entry.carrier))].join(', ')}`,
    );
  }
  const plain = candidates.find(({ harness }) => isPlainG711Harness(harness));
  if (plain) return plain;
  if (name === undefined)
    throw new Error('no carrier streams G.711 at 8 kHz without framing: pass --carrier');
  return candidates[0]!;
}

/** Every environment variable a discovered carrier reads its options from (removed from the server's). */
export function carrierEnvironmentVariables(harnesses: readonly BenchHarness[]): string[] {
  return [...new Set(harnesses.flatMap(({ harness }) => Object.values(harness.plugin.environment ?? {})))];
}

/** The environment that gives `harness`'s carrier its test options (pointing at `apiUrl`) in `callwire serve`. */
export function serverEnvironmentFor(
  harness: CarrierHarness<unknown, unknown>,
  apiUrl: string,
): Record<string, string> {
  const options = harness.options({ apiUrl, hangUpTimeoutMs: 2000 }) as Record<string, unknown>;
  const env: Record<string, string> = {};
  for (const [option, variable] of Object.entries(harness.plugin.environment ?? {})) {
    const value = options[option];
    if (typeof value === 'string' || typeof value === 'number') env[variable] = String(value);
  }
  return env;
}

/**
 * `harness` reading the load test's bare echo (bench/load/bare-echo-server.mjs) instead of its carrier:
 * an echoed text message `{"event":"media","payload":"<base64>"}` or an echoed binary frame, counted as
 * the samples the payload holds in the harness's wire coding.
 */
export function bareEchoHarness(harness: CarrierHarness<unknown, unknown>): CarrierHarness<unknown, unknown> {
  const bytesPerSample = harness.wireCodec === 'l16' ? 2 : 1;
  return {
    ...harness,
    read: {
      audio(message) {
        if (typeof message !== 'string')
          return new Int16Array(Math.floor(message.byteLength / bytesPerSample));
        let payload: unknown;
        try {
          payload = (JSON.parse(message) as { payload?: unknown }).payload;
        } catch {
          return undefined;
        }
        if (typeof payload !== 'string') return undefined;
        const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
        return new Int16Array(Math.floor(((payload.length * 3) / 4 - padding) / bytesPerSample));
      },
      isClear: () => false,
    },
  };
}

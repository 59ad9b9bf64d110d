import { alawDecode, alawEncode, createStreamResampler, mulawDecode, mulawEncode } from '@callwire/codec';
import { inputAudioFrame, outputAudioFrame } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { Bench } from 'tinybench';
import { polyphaseFilter } from '../../packages/codec/dist/polyphase-filter.js';
import { FRAMES_PER_ITERATION, longestStringPath, openSerializer, tone } from './carrier-paths.js';
import { cpuClock } from './cpu-clock.js';
import { type BenchHarness, discoverHarnesses, selectHarnesses } from './harnesses.js';
import { createSparsePolyphase } from './sparse-polyphase.js';

/** One step of a G.711 carrier's per-frame paths, timed alone, as a multiple of the inbound floor. */
export interface BreakdownRow {
  readonly step: string;
  readonly usPerFrame: number;
  readonly timesInboundFloor: number;
}

/** The harness the breakdown uses by default: the first one streaming G.711 at 8 kHz as JSON text. */
export function defaultBreakdownHarness(all: readonly BenchHarness[]): BenchHarness | undefined {
  return all.find(
    ({ harness }) =>
      harness.wireCodec !== 'l16' &&
      harness.wireSampleRate === 8000 &&
      typeof harness.wire.media(
        harness.call({ callId: 'c', streamId: 's', sampleRate: 8000, autoHangUp: false }),
        new Int16Array(160),
      ) === 'string',
  );
}

/**
 * Times each step of a G.711 8 kHz carrier's inbound and outbound paths alone (50 frames per
 * iteration), next to the floor, and a bench-only sparse-polyphase prototype of the resampler change
 * proposed for the codec: where the time goes, for the report.
 */
export async function runBreakdown(
  harness: CarrierHarness<unknown, unknown>,
  options: { timeMs?: number } = {},
): Promise<BreakdownRow[]> {
  const g711 =
    harness.wireCodec === 'alaw'
      ? { decode: alawDecode, encode: alawEncode }
      : { decode: mulawDecode, encode: mulawEncode };
  const frames8k = Array.from({ length: FRAMES_PER_ITERATION }, (_, i) => tone(8000, 160, i * 160));
  const frames16k = Array.from({ length: FRAMES_PER_ITERATION }, (_, i) => tone(16000, 320, i * 320));
  const { serializer, call } = openSerializer(harness, 8000);
  const messages = frames8k.map((pcm) => harness.wire.media(call, pcm) as string);
  const parsed = messages.map((message) => JSON.parse(message) as Record<string, unknown>);
  const payloadPath = longestStringPath(parsed[0]) ?? [];
  const payloadOf = (message: unknown): string => {
    let node = message as Record<string | number, unknown>;
    for (const key of payloadPath) node = node[key] as Record<string | number, unknown>;
    return node as unknown as string;
  };
  const g711Bytes = parsed.map((message) => new Uint8Array(Buffer.from(payloadOf(message), 'base64')));
  // The carrier's own outbound audio message at 8 kHz, as a template for the string step.
  const outbound = openSerializer(harness, 8000).serializer.serialize(
    outputAudioFrame(frames8k[0]!, 8000),
  )[0];
  const template = typeof outbound === 'string' ? (JSON.parse(outbound) as Record<string, unknown>) : {};
  const outboundPath = longestStringPath(template) ?? [];
  const setOutboundPayload = (value: string): void => {
    let node = template as Record<string | number, unknown>;
    for (const key of outboundPath.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = outboundPath[outboundPath.length - 1];
    if (last !== undefined) node[last] = value;
  };
  const upDefault = createStreamResampler(8000, 16000);
  const up60 = createStreamResampler(8000, 16000, { attenuationDb: 60 });
  // The codec's default attenuation (not exported): the prototype must run the same filter.
  const defaultDb = 100;
  const taps = (inRate: number, outRate: number, db: number) => polyphaseFilter(inRate, outRate, db).tapCount;
  const upSparse = createSparsePolyphase(polyphaseFilter(8000, 16000, defaultDb));
  const downDefault = createStreamResampler(16000, 8000);
  const down60 = createStreamResampler(16000, 8000, { attenuationDb: 60 });
  const downSparse = createSparsePolyphase(polyphaseFilter(16000, 8000, defaultDb));

  const steps: Record<string, () => void> = {
    'floor: JSON.parse + base64 decode': () => {
      for (const message of messages) Buffer.from(payloadOf(JSON.parse(message)), 'base64');
    },
    'JSON.parse': () => {
      for (const message of messages) JSON.parse(message);
    },
    'deserialize at 8 kHz (parse, validate, decode, frame; no resampling)': () => {
      for (const message of messages) serializer.deserialize(message);
    },
    'base64 decode': () => {
      for (const message of parsed) Buffer.from(payloadOf(message), 'base64');
    },
    [`${harness.wireCodec} decode 160 B`]: () => {
      for (const bytes of g711Bytes) g711.decode(bytes);
    },
    [`resample 8->16 kHz (codec default, ${defaultDb} dB, ${taps(8000, 16000, defaultDb)} taps)`]: () => {
      for (const pcm of frames8k) upDefault.process(pcm);
    },
    [`resample 8->16 kHz (codec, 60 dB, ${taps(8000, 16000, 60)} taps)`]: () => {
      for (const pcm of frames8k) up60.process(pcm);
    },
    [`resample 8->16 kHz (bench sparse prototype, ${defaultDb} dB, bit-exact)`]: () => {
      for (const pcm of frames8k) upSparse(pcm);
    },
    inputAudioFrame: () => {
      for (const pcm of frames16k) inputAudioFrame(pcm, 16000);
    },
    [`resample 16->8 kHz (codec default, ${defaultDb} dB, ${taps(16000, 8000, defaultDb)} taps)`]: () => {
      for (const pcm of frames16k) downDefault.process(pcm);
    },
    [`resample 16->8 kHz (codec, 60 dB, ${taps(16000, 8000, 60)} taps)`]: () => {
      for (const pcm of frames16k) down60.process(pcm);
    },
    [`resample 16->8 kHz (bench sparse prototype, ${defaultDb} dB, bit-exact)`]: () => {
      for (const pcm of frames16k) downSparse(pcm);
    },
    [`${harness.wireCodec} encode 160 samples`]: () => {
      for (const pcm of frames8k) g711.encode(pcm);
    },
    'base64 encode + the outbound audio message (JSON.stringify)': () => {
      for (const bytes of g711Bytes) {
        setOutboundPayload(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'));
        JSON.stringify(template);
      }
    },
  };
  const bench = new Bench({
    time: options.timeMs ?? 150,
    warmupTime: 30,
    throws: true,
    timestampProvider: cpuClock,
  });
  for (const [name, fn] of Object.entries(steps)) bench.add(name, fn);
  await bench.run();
  const usPerFrame = (name: string): number => {
    const result = bench.getTask(name)?.result;
    if (result?.state !== 'completed') throw new Error(`${name}: ${result?.state}`);
    return (result.latency.mean * 1000) / FRAMES_PER_ITERATION;
  };
  const floor = usPerFrame('floor: JSON.parse + base64 decode');
  return Object.keys(steps).map((step) => ({
    step,
    usPerFrame: usPerFrame(step),
    timesInboundFloor: usPerFrame(step) / floor,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // tsx carriers/breakdown.ts [carrier or label]
  const all = await discoverHarnesses();
  const chosen = process.argv[2] ? selectHarnesses(all, [process.argv[2]])[0] : defaultBreakdownHarness(all);
  if (!chosen) throw new Error('no G.711 8 kHz harness found (name one)');
  const rows = await runBreakdown(chosen.harness);
  console.log(`${chosen.label}\n\n| step (per 20 ms frame) | µs | × inbound floor |\n| --- | --- | --- |`);
  for (const row of rows)
    console.log(`| ${row.step} | ${row.usPerFrame.toFixed(2)} | ${row.timesInboundFloor.toFixed(2)} |`);
}

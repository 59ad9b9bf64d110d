import {
  createCallwireContainer,
  createWireSerializer,
  registerCarrier,
  silentLogger,
  startFrame,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import type { CarrierHarness } from '../harness.js';
import {
  type FuzzDeserializeOptions,
  type FuzzReport,
  formatFuzzInput,
  fuzzDeserialize,
} from './fuzz-deserialize.js';

const DTMF_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];
/** The call every fuzzed serializer and every seed belongs to. */
const FUZZ_CALL_IDS = { callId: 'fuzz-call-1', streamId: 'fuzz-stream-1' };
/** Pipeline rates (Hz) the fuzzed serializers are created with, in turn. */
const PIPELINE_RATES = [16000, 8000, 24000];

function tonePcm(samples: number, sampleRate: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, index) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / sampleRate)),
  );
}

/**
 * Valid inbound messages of the carrier, built with its harness: the opening message(s), media of
 * 20 ms, 1 sample and 161 samples (odd lengths), silence and full scale, every DTMF key, a checkpoint
 * acknowledgement, and the harness's own hostile messages.
 */
export function harnessSeeds(harness: CarrierHarness): WireMessage[] {
  const call = harness.call({
    ...FUZZ_CALL_IDS,
    sampleRate: 16000,
    autoHangUp: false,
  });
  const rate = harness.wireSampleRate;
  const media = [
    tonePcm(rate / 50, rate),
    tonePcm(1, rate),
    tonePcm(161, rate),
    new Int16Array(rate / 50),
    new Int16Array(rate / 50).fill(32767),
    new Int16Array(rate / 50).fill(-32768),
  ].map((pcm) => harness.wire.media(call, pcm));
  const dtmf =
    harness.supports.dtmf && harness.wire.dtmf ? DTMF_KEYS.map((key) => harness.wire.dtmf!(call, key)) : [];
  const checkpoint = harness.wire.checkpointReached
    ? [harness.wire.checkpointReached(call, 'fuzz-mark')]
    : [];
  return [
    ...(harness.wire.start?.(call) ?? []),
    ...media,
    ...dtmf,
    ...checkpoint,
    ...(harness.hostileMessages ?? []),
  ];
}

/**
 * `createSerializer` for the fuzzer: a fresh container per serializer (silent logger, no hang-up,
 * an API URL nothing listens on), the pipeline rate cycling through 16, 8 and 24 kHz, set up already.
 */
export function harnessSerializerFactory(harness: CarrierHarness): () => Promise<WireSerializer> {
  let made = 0;
  return async () => {
    const sampleRate = PIPELINE_RATES[made % PIPELINE_RATES.length]!;
    made += 1;
    const container = createCallwireContainer({ logger: silentLogger });
    registerCarrier(
      container,
      harness.plugin,
      harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 100 }),
    );
    const call = harness.call({
      // The seeds' ids: a carrier that drops messages of a foreign stream must still see its own.
      ...FUZZ_CALL_IDS,
      sampleRate,
      autoHangUp: false,
    });
    const serializer = createWireSerializer(container, harness.plugin.name, call);
    serializer.setup(startFrame({ audioInSampleRate: sampleRate }));
    return serializer;
  };
}

/** Cases per carrier in a test run: `CALLWIRE_FUZZ_RUNS` when set (as `pnpm fuzz` does), else `fallback`. */
export function fuzzRunsFromEnv(fallback = 2000): number {
  const configured = Number(process.env.CALLWIRE_FUZZ_RUNS);
  return Number.isInteger(configured) && configured > 0 ? configured : fallback;
}

/** Runs `fuzzDeserialize` on a carrier through its harness. */
export function fuzzCarrier(
  harness: CarrierHarness,
  options: Partial<Omit<FuzzDeserializeOptions, 'createSerializer'>> & {
    extraSeeds?: readonly WireMessage[];
  } = {},
): Promise<FuzzReport> {
  const { extraSeeds = [], ...rest } = options;
  return fuzzDeserialize({
    createSerializer: harnessSerializerFactory(harness),
    seeds: [...harnessSeeds(harness), ...extraSeeds],
    ...(harness.plugin.detect ? { detect: (message: unknown) => harness.plugin.detect!(message) } : {}),
    ...rest,
  });
}

/** One line per finding, for a failure message or a report. */
export function describeFindings(report: FuzzReport): string {
  return report.findings
    .map((finding) => `${finding.kind}: ${finding.detail}\n    input: ${formatFuzzInput(finding.input)}`)
    .join('\n');
}

/** With `CALLWIRE_FUZZ_REPORT` set, appends `report` there as one JSON line (inputs printable). */
export async function appendFuzzReport(carrier: string, report: FuzzReport): Promise<void> {
  const reportPath = process.env.CALLWIRE_FUZZ_REPORT;
  if (!reportPath) return;
  const { appendFileSync } = await import('node:fs');
  const findings = report.findings.map((finding) => ({
    ...finding,
    input: formatFuzzInput(finding.input, 400),
  }));
  appendFileSync(reportPath, `${JSON.stringify({ carrier, ...report, findings })}\n`);
}

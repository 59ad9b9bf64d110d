import type { WireMessage } from '@callwire/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import { tone } from '../audio/signals.js';
import { inboundFrameProblem } from '../fuzz/frame-problem.js';
import { appendFuzzReport, describeFindings, fuzzCarrier } from '../fuzz/fuzz-carrier.js';
import { hostileCorpus, hostileWireMessage, mutationsOf } from '../fuzz/hostile-input.js';
import type { CarrierHarness } from '../harness.js';
import type { ConformanceCall, ConformanceContext } from './context.js';

/** Pipeline rate (Hz) of the hostile-input calls. */
const RATE = 16000;
/** At most this many warnings for hundreds of bad messages: warn once per kind, never flood. */
export const MAX_WARNINGS_PER_CALL = 30;

function describeMessage(message: WireMessage): string {
  if (typeof message !== 'string') return `<${message.length} bytes>`;
  return JSON.stringify(message.length > 80 ? `${message.slice(0, 80)}…` : message);
}

/** Valid messages of the carrier: its start messages, a media message, a DTMF and a checkpoint ack. */
export function validMessages(context: ConformanceContext, call: ConformanceCall): WireMessage[] {
  const { harness } = context;
  const pcm = tone({ frequencyHz: 440, durationMs: 20, sampleRate: harness.wireSampleRate });
  return [
    ...(harness.wire.start?.(call.info) ?? []),
    harness.wire.media(call.info, pcm),
    ...(harness.wire.dtmf ? [harness.wire.dtmf(call.info, '5')] : []),
    ...(harness.wire.checkpointReached ? [harness.wire.checkpointReached(call.info, 'cp-1')] : []),
  ];
}

/** Feeds `messages` to `call`; returns a description of each throw or bad result. */
async function feed(
  call: ConformanceCall,
  messages: Iterable<readonly [string, WireMessage]>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [label, message] of messages) {
    let result: unknown[];
    try {
      result = await call.deserialize(message);
    } catch (error) {
      problems.push(
        `${label} ${describeMessage(message)}: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    if (!Array.isArray(result)) {
      problems.push(`${label} ${describeMessage(message)}: deserialize must return an array of frames`);
      continue;
    }
    for (const frame of result) {
      const problem = inboundFrameProblem(frame, call.sampleRate);
      if (problem) problems.push(`${label} ${describeMessage(message)}: ${problem}`);
    }
  }
  return problems;
}

/** After hostile input the call still works: a valid media message still gives audio, nothing is polluted. */
async function expectStillWorking(context: ConformanceContext, call: ConformanceCall): Promise<void> {
  const pcm = tone({ frequencyHz: 440, durationMs: 20, sampleRate: context.harness.wireSampleRate });
  // Twice: a resampler may hold back the first few samples.
  await call.deserialize(context.harness.wire.media(call.info, pcm));
  const [frame] = await call.deserialize(context.harness.wire.media(call.info, pcm));
  expect(frame?.type, 'a valid media message after hostile input gave no audio').toBe('input-audio');
  expect(inboundFrameProblem(frame, call.sampleRate)).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
  expect(
    call.logs.filter((entry) => entry.level === 'warn').length,
    `more than ${MAX_WARNINGS_PER_CALL} warnings: bad input must be warned about once per kind`,
  ).toBeLessThanOrEqual(MAX_WARNINGS_PER_CALL);
}

async function openStartedCall(context: ConformanceContext): Promise<ConformanceCall> {
  const call = await context.openCall({ sampleRate: RATE });
  for (const message of context.harness.wire.start?.(call.info) ?? []) await call.deserialize(message);
  return call;
}

/**
 * The shared corpus of malformed and hostile messages plus `harness.hostileMessages`: each gives
 * no frame or well-formed frames, never a throw.
 */
export async function checkHostileCorpus(context: ConformanceContext): Promise<void> {
  const call = await openStartedCall(context);
  const extra = (context.harness.hostileMessages ?? []).map(
    (message, index) => [`harness #${index}`, message] as const,
  );
  const problems = await feed(call, [...hostileCorpus(), ...extra]);
  expect(problems, 'hostile messages were not ignored').toEqual([]);
  await expectStillWorking(context, call);
}

/** Every field of every valid message deleted or given a wrong type, and truncations: never a throw. */
export async function checkMutatedMessages(context: ConformanceContext): Promise<void> {
  const call = await openStartedCall(context);
  const mutations = validMessages(context, call).flatMap((message, index) =>
    mutationsOf(message).map(([label, mutated]) => [`valid #${index}: ${label}`, mutated] as const),
  );
  expect(mutations.length).toBeGreaterThan(20);
  const problems = await feed(call, mutations);
  expect(problems, 'mutated messages were not ignored').toEqual([]);
  await expectStillWorking(context, call);
}

/** fast-check generated messages (the fuzzer's: random input, structural and byte edits of valid messages): never a throw. */
export async function checkGeneratedMessages(context: ConformanceContext, numRuns = 300): Promise<void> {
  const call = await openStartedCall(context);
  await fc.assert(
    fc.asyncProperty(hostileWireMessage(validMessages(context, call)), async (message) => {
      const problems = await feed(call, [['generated', message]]);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    }),
    // A fixed seed keeps CI reproducible; set CALLWIRE_FUZZ_SEED to explore others.
    { numRuns, seed: Number(process.env.CALLWIRE_FUZZ_SEED ?? 20261130) },
  );
  await expectStillWorking(context, call);
}

/**
 * The fuzzer on the carrier's `deserialize` (`runs` cases from its harness's valid messages): no throw,
 * no rejection, no invalid frame, no hang, no prototype pollution, no amplification, and its `detect`
 * never throws. Fails listing every finding with its input; the fuzzer must reach the audio path.
 * With `CALLWIRE_FUZZ_REPORT` set, appends the report as a JSON line there.
 */
export async function checkFuzzedDeserialize(
  harness: CarrierHarness<unknown, unknown>,
  options: { runs: number; seed?: number; extraSeeds?: readonly WireMessage[] },
): Promise<void> {
  const report = await fuzzCarrier(harness, {
    runs: options.runs,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.extraSeeds ? { extraSeeds: options.extraSeeds } : {}),
  });
  await appendFuzzReport(harness.plugin.name, report);
  expect(report.cases).toBe(options.runs);
  expect(report.findingCount, `seed ${report.seed}:\n${describeFindings(report)}`).toBe(0);
  expect(report.outcomes['input-audio'] ?? 0, 'no case produced input audio').toBeGreaterThan(0);
}

import { Bench } from 'tinybench';
import { type CarrierPaths, FRAMES_PER_ITERATION, openCarrierPaths, PIPELINE_RATE } from './carrier-paths.js';
import { cpuClock } from './cpu-clock.js';
import { discoverHarnesses, selectHarnesses } from './harnesses.js';

/** Target of issue 10: each path at most this many times its floor. */
export const CARRIER_PATH_TARGET_RATIO = 2.5;

/** One carrier path against its floor, per 20 ms frame. */
export interface CarrierPathResult {
  /** The carrier and the wire format of its harness (`acme mulaw/8k`). */
  readonly carrier: string;
  readonly path: 'inbound' | 'outbound';
  /** Pipeline rate, Hz: 16000 is the measure (resampling included); the wire rate shows the carrier's own cost. */
  readonly pipelineRate: number;
  readonly resampling: boolean;
  /** Mean time per frame of the carrier's path, µs. */
  readonly carrierUsPerFrame: number;
  /** Mean time per frame of the floor, µs. */
  readonly floorUsPerFrame: number;
  /** Median over rounds of carrier / floor. */
  readonly ratio: number;
  readonly target: number;
  readonly meetsTarget: boolean;
}

/** What the `carriers` section of bench/results.json holds. */
export interface CarrierSection {
  /** CPU time (process.cpuUsage) per iteration of 50 frames, so waiting for a core is not counted. */
  readonly clock: string;
  readonly floors: { readonly inbound: string; readonly outbound: string };
  readonly results: readonly CarrierPathResult[];
  /** Carriers not measured, with the reason. */
  readonly skipped: Readonly<Record<string, string>>;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function meanMs(bench: Bench, name: string): number {
  const result = bench.getTask(name)?.result;
  if (!result || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    throw new Error(
      `benchmark task ${name} did not complete (${result?.state}${'error' in (result ?? {}) ? `: ${String((result as { error?: unknown }).error)}` : ''})`,
    );
  }
  return result.latency.mean;
}

/**
 * Measures the inbound and outbound path of every harness of every carrier found by convention under
 * `packages/` (or of the carriers or labels `options.carriers` names), per 20 ms frame against its
 * floor, in `rounds` interleaved rounds of `timeMs` per task (the ratio is the median over rounds).
 */
export async function runCarrierBench(
  options: { carriers?: readonly string[]; timeMs?: number; rounds?: number } = {},
): Promise<CarrierSection> {
  const harnesses = selectHarnesses(await discoverHarnesses(), options.carriers);
  if (harnesses.length === 0) throw new Error(`no carrier harness matches ${options.carriers?.join(', ')}`);
  const rounds = options.rounds ?? 3;
  const skipped: Record<string, string> = {};
  const opened: CarrierPaths[] = [];
  for (const { label, harness } of harnesses) {
    const wireRate = harness.wireSampleRate;
    const rates = wireRate === PIPELINE_RATE ? [PIPELINE_RATE] : [PIPELINE_RATE, wireRate];
    for (const rate of rates) {
      try {
        const paths = openCarrierPaths(label, harness, rate);
        if (typeof paths === 'string') skipped[label] = paths;
        else opened.push(paths);
      } catch (error) {
        skipped[label] = `failed to open: ${(error as Error).message}`;
      }
      if (skipped[label]) break;
    }
  }
  const label = (paths: CarrierPaths): string => `${paths.carrier}@${paths.pipelineRate}`;

  const samples = new Map<string, { carrier: number[]; floor: number[]; ratio: number[] }>();
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({
      time: options.timeMs ?? 120,
      warmupTime: 30,
      throws: true,
      timestampProvider: cpuClock,
    });
    for (const paths of opened) {
      // Each path right next to its floor, so both see the same machine load.
      bench.add(`${label(paths)} inbound`, paths.inbound);
      bench.add(`${label(paths)} inbound floor`, paths.inboundFloor);
      bench.add(`${label(paths)} outbound`, paths.outbound);
      bench.add(`${label(paths)} outbound floor`, paths.outboundFloor);
    }
    await bench.run();
    for (const paths of opened) {
      for (const path of ['inbound', 'outbound'] as const) {
        const key = `${label(paths)} ${path}`;
        const carrierMs = meanMs(bench, key);
        const floorMs = meanMs(bench, `${key} floor`);
        const entry = samples.get(key) ?? { carrier: [], floor: [], ratio: [] };
        entry.carrier.push(carrierMs);
        entry.floor.push(floorMs);
        entry.ratio.push(carrierMs / floorMs);
        samples.set(key, entry);
      }
    }
  }

  const results: CarrierPathResult[] = [];
  for (const paths of opened) {
    for (const path of ['inbound', 'outbound'] as const) {
      const entry = samples.get(`${label(paths)} ${path}`)!;
      const ratio = median(entry.ratio);
      results.push({
        carrier: paths.carrier,
        path,
        pipelineRate: paths.pipelineRate,
        resampling: paths.pipelineRate !== paths.wireRate,
        carrierUsPerFrame: (median(entry.carrier) * 1000) / FRAMES_PER_ITERATION,
        floorUsPerFrame: (median(entry.floor) * 1000) / FRAMES_PER_ITERATION,
        ratio,
        target: CARRIER_PATH_TARGET_RATIO,
        meetsTarget: ratio <= CARRIER_PATH_TARGET_RATIO,
      });
    }
  }
  return {
    clock: 'process.cpuUsage (user + system), per 50-frame iteration',
    floors: {
      inbound:
        'JSON.parse + Buffer.from(payload, "base64") of the same message, the payload being its longest string (binary: a copy into an Int16Array)',
      outbound:
        'Buffer#toString("base64") of the same wire bytes into the longest string of the same message + JSON.stringify of it (binary: a byte copy)',
    },
    results,
    skipped,
  };
}

/** A Markdown table of the carrier section. */
export function formatCarrierTable(section: CarrierSection): string {
  const lines = [
    '| carrier | path | pipeline | carrier µs/frame | floor µs/frame | ratio | target | ok |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const result of section.results) {
    const pipeline = `${result.pipelineRate / 1000} kHz${result.resampling ? '' : ' (no resampling)'}`;
    lines.push(
      `| ${result.carrier} | ${result.path} | ${pipeline} | ${result.carrierUsPerFrame.toFixed(2)} | ${result.floorUsPerFrame.toFixed(2)} | ` +
        `${result.ratio.toFixed(2)}× | ≤ ${result.target}× | ${result.meetsTarget ? 'yes' : 'NO'} |`,
    );
  }
  for (const [carrier, reason] of Object.entries(section.skipped)) {
    lines.push(`| ${carrier} | skipped | ${reason} | | | | | |`);
  }
  return lines.join('\n');
}

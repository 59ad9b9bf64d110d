import type { LoadStepResult } from './run-load.js';

/** The p99 turnaround (ms) a step must stay under for its calls to count as carried. */
export const TURNAROUND_P99_TARGET_MS = 20;

/** A step's result, and how the server ran when the run compared settings. */
export type LoadStep = LoadStepResult & {
  readonly workers?: number;
  readonly metrics?: boolean;
  /** The server's pipeline sample rate (Hz), when the run compared rates (`--pipeline-rate`). */
  readonly pipelineRate?: number;
};

/** CPU per echoed frame pair at one pipeline rate, and as a multiple of the lowest rate's. */
export interface PipelineRateCost {
  readonly pipelineRate: number;
  readonly calls: number;
  /** Median over the rounds (steps of the rate's largest call count). */
  readonly cpuUsPerFramePair: number;
  /** Each round's CPU per frame pair, in run order. */
  readonly rounds: readonly number[];
  readonly vsLowestRate: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Per pipeline rate, the median CPU per frame pair of its heaviest steps (one per round, when the
 * rates ran in several rounds), and its ratio to the lowest rate's.
 */
export function pipelineRateCosts(steps: readonly LoadStep[]): PipelineRateCost[] {
  const heaviest = new Map<number, LoadStep[]>();
  for (const step of steps) {
    if (step.pipelineRate === undefined) continue;
    const best = heaviest.get(step.pipelineRate);
    if (!best || step.calls > best[0]!.calls) heaviest.set(step.pipelineRate, [step]);
    else if (step.calls === best[0]!.calls) best.push(step);
  }
  const rates = [...heaviest.keys()].sort((a, b) => a - b);
  const costOf = (rate: number) => median(heaviest.get(rate)!.map((step) => step.serverCpuUsPerFramePair));
  const lowest = rates.length > 0 ? costOf(rates[0]!) : Number.NaN;
  return rates.map((rate) => {
    const rateSteps = heaviest.get(rate)!;
    return {
      pipelineRate: rate,
      calls: rateSteps[0]!.calls,
      cpuUsPerFramePair: costOf(rate),
      rounds: rateSteps.map((step) => step.serverCpuUsPerFramePair),
      vsLowestRate: costOf(rate) / lowest,
    };
  });
}

/**
 * The order the rate pass runs its rates in: ascending, then descending, alternating for `rounds`
 * rounds, so that a machine getting busier or quieter during the pass does not favour one end.
 */
export function rateRoundOrder(rates: readonly number[], rounds: number): number[] {
  return Array.from({ length: rounds }, (_, round) =>
    round % 2 === 0 ? [...rates] : [...rates].reverse(),
  ).flat();
}

/** Calls one core can carry at `usPerFramePair` µs of CPU per echoed frame (50 frames/s each). */
export function callsPerCoreAt(usPerFramePair: number): number {
  return 1e6 / (usPerFramePair * 50);
}

/** Capacity of one server setting, from its steps. */
export interface Capacity {
  /** The most calls of a step whose p99 turnaround stayed under the target (0 when none did). */
  readonly callsUnderTarget: number;
  /** Calls one core carries by CPU alone, from the heaviest step's CPU per frame pair. */
  readonly callsPerCoreByCpu: number;
}

/** The capacity the steps show (steps of one setting: same workers, same metrics). */
export function capacityOf(steps: readonly LoadStep[]): Capacity | undefined {
  const heaviest = steps.reduce<LoadStep | undefined>(
    (best, step) => (best === undefined || step.calls > best.calls ? step : best),
    undefined,
  );
  if (!heaviest) return undefined;
  const under = steps.filter(
    (step) => step.turnaround.p99Ms < TURNAROUND_P99_TARGET_MS && step.framesLost === 0,
  );
  return {
    callsUnderTarget: Math.max(0, ...under.map((step) => step.calls)),
    callsPerCoreByCpu: callsPerCoreAt(heaviest.serverCpuUsPerFramePair),
  };
}

/**
 * The server CPU metrics add, in percent of the CPU without them, at the step with `calls` calls
 * (both settings must have run it); `undefined` when either is missing.
 */
export function metricsCpuOverheadPercent(steps: readonly LoadStep[], calls: number): number | undefined {
  const off = steps.find((step) => step.calls === calls && !step.metrics && (step.workers ?? 1) === 1);
  const on = steps.find((step) => step.calls === calls && step.metrics === true && (step.workers ?? 1) === 1);
  if (!off || !on) return undefined;
  return (on.serverCpuUsPerFramePair / off.serverCpuUsPerFramePair - 1) * 100;
}

import { Bench } from 'tinybench';

/** One A/B comparison: ours against a baseline, both timed in the same rounds. */
export interface Comparison {
  readonly name: string;
  readonly baseline: string;
  /** Median time per call over the rounds, ms. */
  readonly oursMs: number;
  readonly baselineMs: number;
  /** Median over rounds of baseline time / our time: above 1 means we are faster. */
  readonly speedup: number;
  /** Smallest and largest per-round speedup, to show how noisy the machine was. */
  readonly speedupRange: readonly [number, number];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Times `ours` and `baseline` in `rounds` short tinybench runs, alternating which goes
 * first, and compares per-round medians, so that load from other processes on a shared
 * machine hits both sides alike.
 */
export async function compare(
  name: string,
  ours: () => unknown,
  baselineName: string,
  baseline: () => unknown,
  { rounds = 5, timeMs = 150 } = {},
): Promise<Comparison> {
  const oursTimes: number[] = [];
  const baselineTimes: number[] = [];
  const speedups: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: timeMs, warmupTime: 30, warmupIterations: 5, iterations: 5 });
    if (round % 2 === 0) bench.add('ours', ours).add('baseline', baseline);
    else bench.add('baseline', baseline).add('ours', ours);
    await bench.run();
    const latency = (taskName: string): number => {
      const result = bench.getTask(taskName)?.result;
      if (result === undefined || !('latency' in result))
        throw new Error(`${name}: ${taskName} did not complete`);
      return result.latency.p50;
    };
    const oursMs = latency('ours');
    const baselineMs = latency('baseline');
    oursTimes.push(oursMs);
    baselineTimes.push(baselineMs);
    speedups.push(baselineMs / oursMs);
  }
  return {
    name,
    baseline: baselineName,
    oursMs: median(oursTimes),
    baselineMs: median(baselineTimes),
    speedup: median(speedups),
    speedupRange: [Math.min(...speedups), Math.max(...speedups)],
  };
}

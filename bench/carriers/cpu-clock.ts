import type { BenchOptions } from 'tinybench';

/**
 * A tinybench clock reading this process's CPU time (user + system, µs resolution) instead of
 * the wall clock: on a shared, overloaded machine the time a benchmark spends waiting for a core
 * is not charged to it. GC threads' time counts too, so allocation stays visible.
 */
export const cpuClock: NonNullable<BenchOptions['timestampProvider']> = {
  name: 'process.cpuUsage',
  fn: () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  },
  fromMs: (ms: number) => ms,
  toMs: (value: number | bigint) => Number(value),
};

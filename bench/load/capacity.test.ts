import { describe, expect, it } from 'vitest';
import {
  capacityOf,
  type LoadStep,
  metricsCpuOverheadPercent,
  pipelineRateCosts,
  rateRoundOrder,
} from './capacity.js';

function step(calls: number, p99Ms: number, usPerFramePair: number, extra: Partial<LoadStep> = {}): LoadStep {
  return {
    calls,
    turnaround: { p50Ms: 1, p99Ms, maxMs: p99Ms, count: 1 },
    serverCpuUsPerFramePair: usPerFramePair,
    framesLost: 0,
    ...extra,
  } as LoadStep;
}

describe('capacity', () => {
  it('is the largest step under the p99 target, and calls per core from the heaviest step', () => {
    const capacity = capacityOf([step(100, 5, 100), step(300, 19, 80), step(1000, 400, 50)]);
    expect(capacity).toEqual({ callsUnderTarget: 300, callsPerCoreByCpu: 400 });
  });

  it('does not count a step that lost frames, and is 0 when no step met the target', () => {
    expect(capacityOf([step(100, 5, 100, { framesLost: 3 })])?.callsUnderTarget).toBe(0);
    expect(capacityOf([])).toBeUndefined();
  });

  it('compares CPU per frame pair with metrics on and off at the same size, single process only', () => {
    const steps = [
      step(100, 5, 100),
      step(100, 5, 104, { metrics: true }),
      step(100, 5, 200, { workers: 2, metrics: true }),
    ];
    expect(metricsCpuOverheadPercent(steps, 100)).toBeCloseTo(4);
    expect(metricsCpuOverheadPercent(steps, 300)).toBeUndefined();
  });

  it('gives CPU per frame pair per pipeline rate (its heaviest step) as a multiple of the lowest rate', () => {
    const costs = pipelineRateCosts([
      step(100, 5, 60, { pipelineRate: 24_000 }),
      step(100, 5, 50, { pipelineRate: 8000 }),
      step(300, 5, 45, { pipelineRate: 8000 }),
      step(100, 5, 99),
    ]);
    expect(costs.map((cost) => [cost.pipelineRate, cost.calls, cost.cpuUsPerFramePair])).toEqual([
      [8000, 300, 45],
      [24_000, 100, 60],
    ]);
    expect(costs[1]?.vsLowestRate).toBeCloseTo(60 / 45);
    expect(pipelineRateCosts([step(100, 5, 50)])).toEqual([]);
  });

  it('takes the median over rounds of a rate, and alternates the order of the rates between rounds', () => {
    const costs = pipelineRateCosts([
      step(100, 5, 50, { pipelineRate: 8000 }),
      step(100, 5, 70, { pipelineRate: 24_000 }),
      step(100, 5, 56, { pipelineRate: 24_000 }),
      step(100, 5, 40, { pipelineRate: 8000 }),
      step(100, 5, 48, { pipelineRate: 8000 }),
      step(100, 5, 60, { pipelineRate: 24_000 }),
    ]);
    expect(costs.map((cost) => [cost.pipelineRate, cost.cpuUsPerFramePair, cost.rounds])).toEqual([
      [8000, 48, [50, 40, 48]],
      [24_000, 60, [70, 56, 60]],
    ]);
    expect(costs[1]?.vsLowestRate).toBeCloseTo(60 / 48);
    expect(rateRoundOrder([8000, 16_000, 24_000], 3)).toEqual([
      8000, 16_000, 24_000, 24_000, 16_000, 8000, 8000, 16_000, 24_000,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseLoadOptions } from './options.js';
import { paceFrames } from './pacer.js';
import { collectTurnarounds } from './simulator-step.js';
import { createSampleList, summarizeLatencies } from './stats.js';

describe('summarizeLatencies', () => {
  it('gives nearest-rank percentiles of the first count values', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
    const summary = summarizeLatencies(values);
    expect(summary).toEqual({ count: 100, p50Ms: 50, p90Ms: 90, p99Ms: 99, maxMs: 100 });
    expect(summarizeLatencies(Float64Array.of(5, 1, 3, 99), 3).maxMs).toBe(5);
    expect(Number.isNaN(summarizeLatencies(new Float64Array(0)).p99Ms)).toBe(true);
  });

  it('grows a sample list past its initial capacity without losing values', () => {
    const list = createSampleList(2);
    for (let i = 0; i < 5; i++) list.push(i);
    expect([...list.values()]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('collectTurnarounds', () => {
  const summary = (sent: number[], audio: { atMs: number; samples: number }[]) =>
    ({
      timings: { startSentAtMs: 0, mediaSentAtMs: sent, audio },
    }) as unknown as Parameters<typeof collectTurnarounds>[0];

  it('matches returned audio to sent frames by sample count', () => {
    const turnarounds: number[] = [];
    const returned = collectTurnarounds(
      summary(
        [0, 20, 40],
        [
          { atMs: 3, samples: 150 }, // the resamplers' delay: a little short of one frame
          { atMs: 24, samples: 160 },
        ],
      ),
      160,
      0,
      (ms) => turnarounds.push(ms),
    );
    expect(returned).toBe(2);
    expect(turnarounds).toEqual([3, 4]);
  });

  it('counts frames at the wire rate (16 kHz: 320 samples) and skips warm-up frames', () => {
    const turnarounds: number[] = [];
    const returned = collectTurnarounds(summary([0, 20], [{ atMs: 30, samples: 640 }]), 320, 1, (ms) =>
      turnarounds.push(ms),
    );
    expect(returned).toBe(2);
    expect(turnarounds).toEqual([10]);
  });
});

describe('parseLoadOptions', () => {
  it('reads the call counts and ignores a bare --', () => {
    const options = parseLoadOptions(['--', '--calls', '100,300,1000', '--seconds', '2', '--no-write']);
    expect(options.calls).toEqual([100, 300, 1000]);
    expect(options.seconds).toBe(2);
    expect(options.write).toBe(false);
  });

  it('reads --carrier', () => {
    expect(parseLoadOptions([]).carrier).toBeUndefined();
    expect(parseLoadOptions(['--carrier', 'acme']).carrier).toBe('acme');
  });

  it('names a bad flag', () => {
    expect(() => parseLoadOptions(['--calls', 'ten'])).toThrow(/--calls/);
    expect(() => parseLoadOptions(['--frobnicate'])).toThrow(/--frobnicate/);
    expect(() => parseLoadOptions(['--server-cmd', 'node x.js'])).toThrow(/\{port\}/);
  });

  it('reads worker counts for callwire serve --workers (--cluster N is the same)', () => {
    expect(parseLoadOptions([]).pipelineRates).toEqual([8000, 16_000, 24_000, 48_000]);
    expect(parseLoadOptions([]).ratesOnly).toBe(false);
    expect(parseLoadOptions(['--pipeline-rate', '8000,24000']).pipelineRates).toEqual([8000, 24_000]);
    expect(parseLoadOptions(['--pipeline-rate', 'off']).pipelineRates).toBeUndefined();
    expect(() => parseLoadOptions(['--pipeline-rate', 'fast'])).toThrow(/--pipeline-rate/);
    expect(parseLoadOptions(['--rate-calls', '50,100']).rateCalls).toEqual([50, 100]);
    expect(parseLoadOptions(['--rates-only']).ratesOnly).toBe(true);
    expect(parseLoadOptions([]).rateRounds).toBe(2);
    expect(parseLoadOptions(['--rate-rounds', '3']).rateRounds).toBe(3);
    expect(() => parseLoadOptions(['--pipeline-rate', 'off', '--rates-only'])).toThrow(/--rates-only/);
    expect(parseLoadOptions([]).workers).toBeUndefined();
    expect(parseLoadOptions(['--workers', '1,2']).workers).toEqual([1, 2]);
    expect(parseLoadOptions(['--cluster', '2']).workers).toEqual([2]);
    expect(() => parseLoadOptions(['--workers', 'two'])).toThrow(/--workers/);
  });
});

describe('paceFrames', () => {
  it('sends every frame of every call once, calls interleaved', async () => {
    const sent: number[] = [];
    await paceFrames({
      calls: 3,
      framesPerCall: 2,
      periodMs: 2,
      startAtMs: performance.now(),
      send: (i) => sent.push(i),
    });
    expect(sent).toEqual([0, 1, 2, 0, 1, 2]);
  });
});

import { createStreamResampler } from '@callwire/codec';
import { G711_ATTENUATION_DB } from '@callwire/kit';
import { Bench } from 'tinybench';
import { FRAMES_PER_ITERATION, openCarrierPaths } from './carrier-paths.js';
import { cpuClock } from './cpu-clock.js';
import { type BenchHarness, discoverHarnesses, selectHarnesses } from './harnesses.js';

/** What a carrier's 16 kHz paths cost beyond its 8 kHz paths plus a resampler run alone, µs per 20 ms frame. */
export interface ResamplingOverheadRow {
  readonly carrier: string;
  readonly path: 'inbound' | 'outbound';
  readonly at16kUs: number;
  readonly at8kUs: number;
  readonly resamplerUs: number;
  /** The 16 kHz path minus (8 kHz path + resampler); inbound also minus the 8 kHz frame's own array, which 16 kHz does not allocate. */
  readonly overheadUs: number;
}

function tone(sampleRate: number, samples: number, offset: number): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++)
    pcm[i] = Math.round(6000 * Math.sin((2 * Math.PI * 440 * (offset + i)) / sampleRate));
  return pcm;
}

/**
 * Measures, in one process and one tinybench run, each 8 kHz harness's paths at 16 and 8 kHz next to a
 * resampler with the carrier's settings (the kit's G.711 attenuation, the codec's default for L16) run
 * alone on the same frames: what the carrier adds around the resampler when it resamples.
 */
export async function runResamplingOverhead(
  harnesses: readonly BenchHarness[],
  timeMs = 300,
): Promise<ResamplingOverheadRow[]> {
  const eightKHz = harnesses.filter(({ harness }) => harness.wireSampleRate === 8000);
  const carriers = eightKHz.map(({ label }) => label);
  const bench = new Bench({ time: timeMs, warmupTime: 50, throws: true, timestampProvider: cpuClock });
  const frames8k = Array.from({ length: FRAMES_PER_ITERATION }, (_, i) => tone(8000, 160, i * 160));
  const frames16k = Array.from({ length: FRAMES_PER_ITERATION }, (_, i) => tone(16000, 320, i * 320));
  bench.add('new Int16Array(160)', () => {
    for (let i = 0; i < FRAMES_PER_ITERATION; i++) new Int16Array(160);
  });
  for (const { label: carrier, harness } of eightKHz) {
    const at16k = openCarrierPaths(carrier, harness, 16000);
    const at8k = openCarrierPaths(carrier, harness, 8000);
    if (typeof at16k === 'string' || typeof at8k === 'string') throw new Error(`${carrier}: cannot open`);
    const options = harness.wireCodec === 'l16' ? {} : { attenuationDb: G711_ATTENUATION_DB };
    const up = createStreamResampler(8000, 16000, options);
    const down = createStreamResampler(16000, 8000, options);
    bench.add(`${carrier} inbound 16k`, at16k.inbound);
    bench.add(`${carrier} inbound 8k`, at8k.inbound);
    bench.add(`${carrier} resampler 8->16`, () => {
      for (const frame of frames8k) up.process(frame);
    });
    bench.add(`${carrier} outbound 16k`, at16k.outbound);
    bench.add(`${carrier} outbound 8k`, at8k.outbound);
    bench.add(`${carrier} resampler 16->8`, () => {
      for (const frame of frames16k) down.process(frame);
    });
  }
  await bench.run();
  const us = (name: string): number => {
    const result = bench.getTask(name)?.result;
    if (result?.state !== 'completed') throw new Error(`${name}: ${result?.state}`);
    return (result.latency.mean * 1000) / FRAMES_PER_ITERATION;
  };
  const frameArrayUs = us('new Int16Array(160)');
  return carriers.flatMap((carrier) => {
    const row = (path: 'inbound' | 'outbound', resampler: string, frameArray: number) => {
      const at16kUs = us(`${carrier} ${path} 16k`);
      const at8kUs = us(`${carrier} ${path} 8k`);
      const resamplerUs = us(`${carrier} ${resampler}`);
      return {
        carrier,
        path,
        at16kUs,
        at8kUs,
        resamplerUs,
        overheadUs: at16kUs - (at8kUs - frameArray + resamplerUs),
      };
    };
    return [row('inbound', 'resampler 8->16', frameArrayUs), row('outbound', 'resampler 16->8', 0)];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // tsx carriers/resampling-overhead.ts [carrier,...] (default: every discovered harness at 8 kHz)
  const rows = await runResamplingOverhead(
    selectHarnesses(await discoverHarnesses(), process.argv[2]?.split(',')),
  );
  console.log(
    '| carrier | path | 16 kHz µs | 8 kHz µs | resampler alone µs | overhead µs |\n| --- | --- | --- | --- | --- | --- |',
  );
  for (const r of rows)
    console.log(
      `| ${r.carrier} | ${r.path} | ${r.at16kUs.toFixed(2)} | ${r.at8kUs.toFixed(2)} | ${r.resamplerUs.toFixed(2)} | ${r.overheadUs.toFixed(2)} |`,
    );
}

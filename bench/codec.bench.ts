/**
 * @callwire/codec against its baselines, measured in the same run:
 * G.711 against alawmulaw on 80,000-sample buffers; the resampler's WebAssembly SIMD kernel against
 * its JS kernel; the streaming resampler against libsamplerate-js (SRC_SINC_FASTEST) on one second of
 * audio fed in 20 ms frames, with the quality (THD+N of a 1 kHz tone at -6 dBFS) and delay of both;
 * and the quality goals of issue 20 for every pair of the common rates.
 * Run: pnpm bench (or pnpm --filter @callwire/bench codec after pnpm build).
 */
import LibSampleRate from '@alexanderolsen/libsamplerate-js';

const firstUseStart = performance.now();

import * as codec from '@callwire/codec';
import alawmulaw from 'alawmulaw';
import { type Comparison, compare } from './codec/compare.js';
import {
  measurePairQuality,
  meetsGoals,
  missedGoals,
  type PairQuality,
  QUALITY_GOALS,
} from './codec/quality.js';
import { tone, toneLagSamples, toneSnrDb } from './codec/tone-quality.js';
import { writeResultsSection } from './results-file.js';

// Import and first use (which builds the 64 Ki-entry tables), before anything is warm.
codec.mulawEncode(Int16Array.of(0));
codec.alawEncode(Int16Array.of(0));
codec.mulawDecode(Uint8Array.of(0));
codec.alawDecode(Uint8Array.of(0));
const firstUseMs = performance.now() - firstUseStart;

const SAMPLES = 80_000;
const pcm = Int16Array.from({ length: SAMPLES }, (_, n) =>
  Math.round(12000 * Math.sin(n * 0.031) + 6000 * Math.sin(n * 0.173) + 3000 * Math.sin(n * 1.37)),
);
const mulawBytes = codec.mulawEncode(pcm);
const alawBytes = codec.alawEncode(pcm);
const codeBuffer = new Uint8Array(SAMPLES);
const sampleBuffer = new Int16Array(SAMPLES);

/** Runs `convert` on each 20 ms frame (160 samples at 8 kHz) of `buffer`, as a call does. */
function eachFrame<T extends Int16Array | Uint8Array>(buffer: T, convert: (frame: T) => unknown): void {
  for (let start = 0; start < buffer.length; start += 160) convert(buffer.subarray(start, start + 160) as T);
}

const g711: Comparison[] = [
  await compare(
    'mulawEncode',
    () => codec.mulawEncode(pcm),
    'alawmulaw.mulaw.encode',
    () => alawmulaw.mulaw.encode(pcm),
  ),
  await compare(
    'mulawDecode',
    () => codec.mulawDecode(mulawBytes),
    'alawmulaw.mulaw.decode',
    () => alawmulaw.mulaw.decode(mulawBytes),
  ),
  await compare(
    'alawEncode',
    () => codec.alawEncode(pcm),
    'alawmulaw.alaw.encode',
    () => alawmulaw.alaw.encode(pcm),
  ),
  await compare(
    'alawDecode',
    () => codec.alawDecode(alawBytes),
    'alawmulaw.alaw.decode',
    () => alawmulaw.alaw.decode(alawBytes),
  ),
  await compare(
    'mulawEncodeInto',
    () => codec.mulawEncodeInto(pcm, codeBuffer),
    'alawmulaw.mulaw.encode',
    () => alawmulaw.mulaw.encode(pcm),
  ),
  await compare(
    'mulawDecodeInto',
    () => codec.mulawDecodeInto(mulawBytes, sampleBuffer),
    'alawmulaw.mulaw.decode',
    () => alawmulaw.mulaw.decode(mulawBytes),
  ),
  await compare(
    'mulawEncode, 500 frames of 160',
    () => eachFrame(pcm, codec.mulawEncode),
    'alawmulaw.mulaw.encode',
    () => eachFrame(pcm, alawmulaw.mulaw.encode),
  ),
  await compare(
    'mulawDecode, 500 frames of 160',
    () => eachFrame(mulawBytes, codec.mulawDecode),
    'alawmulaw.mulaw.decode',
    () => eachFrame(mulawBytes, alawmulaw.mulaw.decode),
  ),
];

interface ResamplerRow extends Comparison {
  readonly oursSnrDb: number;
  readonly baselineSnrDb: number;
  readonly oursDelayMs: number;
  readonly baselineDelayMs: number;
  /** Time to design (and cache) our filter for the pair, ms: paid once per process. */
  readonly designMs: number;
}

/** The pairs issue 20 sets speed goals for: SIMD >= 3x JS, Callwire >= 8x libsamplerate-js. */
const GOAL_PAIRS: readonly (readonly [number, number])[] = [
  [8000, 16000],
  [16000, 8000],
  [8000, 24000],
  [24000, 8000],
  [8000, 48000],
  [48000, 8000],
  [16000, 48000],
  [48000, 16000],
];
const SIMD_GOAL = 3;
const LIBSAMPLERATE_GOAL = 8;
const PAIRS: readonly (readonly [number, number])[] = [
  ...GOAL_PAIRS,
  [16000, 24000],
  [24000, 16000],
  [44100, 16000],
  [16000, 44100],
];
/** `[inRate, outRate]` from a row name holding `IN->OUT`. */
const pairRates = (name: string): [number, number] => {
  const match = /(\d+)->(\d+)/.exec(name);
  return [Number(match?.[1]), Number(match?.[2])];
};
const isGoalPair = (inRate: number, outRate: number) =>
  GOAL_PAIRS.some(([a, b]) => a === inRate && b === outRate);

/** Feeds `input` to `process` in 20 ms frames and concatenates what comes out. */
function streamFrames<T extends Int16Array | Float32Array>(
  input: T,
  inRate: number,
  process: (frame: T) => ArrayLike<number>,
): number[] {
  const frame = Math.round(inRate / 50);
  const out: number[] = [];
  for (let start = 0; start < input.length; start += frame) {
    const produced = process(input.subarray(start, start + frame) as T);
    for (let i = 0; i < produced.length; i++) out.push(produced[i]!);
  }
  return out;
}

/** Float sample to 16-bit, rounded and clipped: both sides are judged on what a call carries. */
function toInt16(sample: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(sample * 32768)));
}

/** Streams one second of `second` through `resampler` in 20 ms frames (what one timed call does). */
function oneSecond(resampler: codec.StreamResampler, second: Int16Array, frame: number): void {
  for (let start = 0; start < second.length; start += frame)
    resampler.process(second.subarray(start, start + frame));
}

const resampling: ResamplerRow[] = [];
for (const [inRate, outRate] of PAIRS) {
  const second = Int16Array.from(tone(inRate, 1000, 16384, inRate), Math.round);
  const secondFloat = Float32Array.from(second, (sample) => sample / 32768);
  const frame = Math.round(inRate / 50);
  const src = await LibSampleRate.create(1, inRate, outRate, {
    converterType: LibSampleRate.ConverterType.SRC_SINC_FASTEST,
  });
  const designStart = performance.now();
  const ours = codec.createStreamResampler(inRate, outRate); // first for this pair: designs the filter
  const designMs = performance.now() - designStart;
  const outFloat = new Float32Array(Math.ceil((frame * outRate) / inRate) + 256);

  // Quality and delay, each side on its own fresh stream (ours: the default kernel and attenuation).
  const margin = Math.round(outRate * 0.02);
  const oursTone = streamFrames(second, inRate, (chunk) => ours.process(chunk));
  ours.reset();
  const theirsTone = streamFrames(secondFloat, inRate, (chunk) => Array.from(src.full(chunk), toInt16));
  src.destroy();
  const lowTone = Int16Array.from(tone(inRate, 100, 16384, inRate), Math.round);
  const oursLag = toneLagSamples(
    streamFrames(lowTone, inRate, (chunk) => ours.process(chunk)),
    outRate,
    margin,
  );
  ours.reset();
  const lagSrc = await LibSampleRate.create(1, inRate, outRate, {
    converterType: LibSampleRate.ConverterType.SRC_SINC_FASTEST,
  });
  const theirsLowTone = streamFrames(
    Float32Array.from(lowTone, (x) => x / 32768),
    inRate,
    (chunk) => Array.from(lagSrc.full(chunk), toInt16),
  );
  // libsamplerate emits nothing until its filter is primed: add what it held back.
  const heldBack = Math.round((lowTone.length * outRate) / inRate) - theirsLowTone.length;
  const theirsLag = toneLagSamples(theirsLowTone, outRate, margin) + heldBack;
  lagSrc.destroy();

  const timedSrc = await LibSampleRate.create(1, inRate, outRate, {
    converterType: LibSampleRate.ConverterType.SRC_SINC_FASTEST,
  });
  const comparison = await compare(
    `resample ${inRate}->${outRate} (1 s in 20 ms frames)`,
    () => oneSecond(ours, second, frame),
    'libsamplerate-js SRC_SINC_FASTEST full()',
    () => {
      for (let start = 0; start < secondFloat.length; start += frame) {
        timedSrc.full(secondFloat.subarray(start, start + frame), outFloat);
      }
    },
    { rounds: 3 },
  );
  timedSrc.destroy();
  resampling.push({
    ...comparison,
    oursSnrDb: toneSnrDb(oursTone, outRate, margin),
    baselineSnrDb: toneSnrDb(theirsTone, outRate, margin),
    oursDelayMs: (oursLag / outRate) * 1000,
    designMs,
    baselineDelayMs: (theirsLag / outRate) * 1000,
  });
}

// The two kernels against each other, per pair, in the same rounds.
const kernels: Comparison[] = [];
for (const [inRate, outRate] of GOAL_PAIRS) {
  const second = Int16Array.from(tone(inRate, 1000, 16384, inRate), Math.round);
  const frame = Math.round(inRate / 50);
  const simd = codec.createStreamResampler(inRate, outRate, { kernel: 'simd' });
  const js = codec.createStreamResampler(inRate, outRate, { kernel: 'js' });
  kernels.push(
    await compare(
      `${inRate}->${outRate}`,
      () => oneSecond(simd, second, frame),
      'js kernel',
      () => oneSecond(js, second, frame),
      { rounds: 5 },
    ),
  );
}

// Quality is deterministic: every supported pair of the common rates.
const RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
const quality: PairQuality[] = RATES.flatMap((inRate) =>
  RATES.filter((outRate) => outRate !== inRate).map((outRate) => measurePairQuality(inRate, outRate)),
);

const fixed = (value: number, digits = 2) => value.toFixed(digits);
console.log(`@callwire/codec first use (import + 4 tables): ${fixed(firstUseMs)} ms\n`);
console.log('G.711, 80,000-sample buffers (speedup = baseline time / ours; median of rounds)');
console.table(
  g711.map((row) => ({
    ours: row.name,
    'ours ms': fixed(row.oursMs, 3),
    baseline: row.baseline,
    'baseline ms': fixed(row.baselineMs, 3),
    speedup: `${fixed(row.speedup)}x`,
    range: `${fixed(row.speedupRange[0])}-${fixed(row.speedupRange[1])}`,
    'Msamples/s': fixed(SAMPLES / row.oursMs / 1000, 0),
  })),
);
const mark = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const goal = (value: number, target: number) => `${fixed(value)}x ${mark(value >= target)}`;
const microsPerFrame = (msPerSecond: number) => fixed(msPerSecond * 20, 2); // 50 frames a second

console.log(
  `Resampler kernels, 1 s of a 1 kHz tone in 20 ms frames (default kernel here: ${codec.resamplerKernel()}; goal: SIMD >= ${SIMD_GOAL}x JS)`,
);
console.table(
  kernels.map((row) => ({
    pair: row.name,
    'simd us/frame': microsPerFrame(row.oursMs),
    'js us/frame': microsPerFrame(row.baselineMs),
    'simd vs js': goal(row.speedup, SIMD_GOAL),
    range: `${fixed(row.speedupRange[0])}-${fixed(row.speedupRange[1])}`,
  })),
);
console.log(
  `Callwire (default kernel) vs libsamplerate-js SRC_SINC_FASTEST, same signal (goal: >= ${LIBSAMPLERATE_GOAL}x on the first ${GOAL_PAIRS.length} pairs)`,
);
console.table(
  resampling.map((row) => {
    const [inRate, outRate] = pairRates(row.name);
    return {
      pair: `${inRate}->${outRate}`,
      'ours us/frame': microsPerFrame(row.oursMs),
      'lsr us/frame': microsPerFrame(row.baselineMs),
      speedup: isGoalPair(inRate, outRate) ? goal(row.speedup, LIBSAMPLERATE_GOAL) : `${fixed(row.speedup)}x`,
      'ours SNR dB': fixed(row.oursSnrDb, 1),
      'lsr SNR dB': fixed(row.baselineSnrDb, 1),
      'ours delay ms': fixed(row.oursDelayMs),
      'lsr delay ms': fixed(row.baselineDelayMs),
      'ours design ms': fixed(row.designMs),
    };
  }),
);
console.log(
  `Quality per pair (default design; goals: THD+N >= ${QUALITY_GOALS.snrDb} dB for 1 kHz at -6 dBFS, aliases/images from 1.25 x the lower Nyquist >= ${QUALITY_GOALS.rejectionDb} dB down, flat within ${QUALITY_GOALS.flatnessDb} dB to 0.85 x Nyquist, delay <= ${QUALITY_GOALS.delayMs} ms)`,
);
console.table(
  quality.map((row) => ({
    pair: `${row.inRate}->${row.outRate}`,
    'THD+N dB': fixed(row.snrDb, 1),
    'rejection dB':
      row.rejectionDb === null
        ? 'n/a (none)'
        : Number.isFinite(row.rejectionDb)
          ? fixed(row.rejectionDb, 1)
          : 'all < 1/2 LSB',
    'flatness dB': fixed(row.flatnessDb, 3),
    'delay ms': fixed(row.delayMs),
    result: mark(meetsGoals(row)),
    missed: missedGoals(row).join(', '),
  })),
);
console.log(`${quality.filter(meetsGoals).length} of ${quality.length} pairs meet every quality goal`);

// One line per goal of issue 20, with the worst pair of this run.
const worst = <T>(rows: readonly T[], value: (row: T) => number, lowest: boolean): T =>
  rows.reduce((a, b) => ((lowest ? value(b) < value(a) : value(b) > value(a)) ? b : a));
const pairOf = (row: { readonly inRate: number; readonly outRate: number }) =>
  `${row.inRate}->${row.outRate}`;
const goalResampling = resampling.filter((row) => isGoalPair(...pairRates(row.name)));
const slowestKernel = worst(kernels, (row) => row.speedup, true);
const slowestVsLsr = worst(goalResampling, (row) => row.speedup, true);
const lowestSnr = worst(quality, (row) => row.snrDb, true);
const withRejection = quality.filter((row) => row.rejectionDb !== null);
const lowestRejection = worst(withRejection, (row) => row.rejectionDb!, true);
const leastFlat = worst(quality, (row) => row.flatnessDb, false);
const longestDelay = worst(quality, (row) => row.delayMs, false);
const summary: readonly (readonly [boolean, string])[] = [
  [
    kernels.every((row) => row.speedup >= SIMD_GOAL),
    `SIMD kernel >= ${SIMD_GOAL}x the JS kernel on ${kernels.length} pairs (lowest ${fixed(slowestKernel.speedup)}x, ${slowestKernel.name})`,
  ],
  [
    goalResampling.every((row) => row.speedup >= LIBSAMPLERATE_GOAL),
    `Callwire >= ${LIBSAMPLERATE_GOAL}x libsamplerate-js SRC_SINC_FASTEST on ${goalResampling.length} pairs (lowest ${fixed(slowestVsLsr.speedup)}x, ${pairRates(slowestVsLsr.name).join('->')})`,
  ],
  [
    quality.every((row) => row.snrDb >= QUALITY_GOALS.snrDb),
    `THD+N >= ${QUALITY_GOALS.snrDb} dB (1 kHz, -6 dBFS) on ${quality.length} pairs (lowest ${fixed(lowestSnr.snrDb, 1)} dB, ${pairOf(lowestSnr)})`,
  ],
  [
    withRejection.every((row) => row.rejectionDb! >= QUALITY_GOALS.rejectionDb),
    `aliases/images from 1.25 x Nyquist >= ${QUALITY_GOALS.rejectionDb} dB down on ${withRejection.length} pairs (lowest ${fixed(lowestRejection.rejectionDb!, 1)} dB, ${pairOf(lowestRejection)})`,
  ],
  [
    quality.every((row) => row.flatnessDb <= QUALITY_GOALS.flatnessDb),
    `flat within ${QUALITY_GOALS.flatnessDb} dB to 0.85 x Nyquist on ${quality.length} pairs (largest ${fixed(leastFlat.flatnessDb, 4)} dB, ${pairOf(leastFlat)})`,
  ],
  [
    quality.every((row) => row.delayMs <= QUALITY_GOALS.delayMs),
    `delay <= ${QUALITY_GOALS.delayMs} ms on ${quality.length} pairs (longest ${fixed(longestDelay.delayMs, 3)} ms, ${pairOf(longestDelay)})`,
  ],
];
console.log('\nIssue 20 goals, this run:');
for (const [pass, line] of summary) console.log(`${mark(pass)}  ${line}`);

await writeResultsSection('codec', {
  measuredAt: new Date().toISOString(),
  node: process.version,
  firstUseMs,
  g711: g711.map((row) => ({ ...row, samples: SAMPLES })),
  kernel: codec.resamplerKernel(),
  kernels,
  resampling,
  quality,
});
console.log('wrote bench/results.json section "codec"');

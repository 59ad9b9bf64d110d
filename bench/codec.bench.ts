/**
 * @callwire/codec against its baselines, measured in the same run:
 * G.711 against alawmulaw on 80,000-sample buffers, and the streaming resampler against
 * libsamplerate-js (SRC_SINC_FASTEST) on one second of audio fed in 20 ms frames, with the
 * quality (THD+N of a 1 kHz tone at -6 dBFS) and delay of both.
 * Run: pnpm bench (or pnpm --filter @callwire/bench codec after pnpm build).
 */
import LibSampleRate from '@alexanderolsen/libsamplerate-js';

const firstUseStart = performance.now();

import * as codec from '@callwire/codec';
import alawmulaw from 'alawmulaw';
import { type Comparison, compare } from './codec/compare.js';
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

const PAIRS: readonly (readonly [number, number])[] = [
  [8000, 16000],
  [16000, 8000],
  [8000, 24000],
  [24000, 8000],
  [8000, 48000],
  [48000, 8000],
  [16000, 24000],
  [24000, 16000],
  [44100, 16000],
  [16000, 44100],
];

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

  // Quality and delay, each side on its own fresh stream.
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
    () => {
      for (let start = 0; start < second.length; start += frame)
        ours.process(second.subarray(start, start + frame));
    },
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
console.log('Resampling 1 s of a 1 kHz tone at -6 dBFS in 20 ms frames vs libsamplerate-js SRC_SINC_FASTEST');
console.table(
  resampling.map((row) => ({
    pair: row.name.split(' ')[1],
    'ours ms': fixed(row.oursMs, 3),
    'lsr ms': fixed(row.baselineMs, 3),
    speedup: `${fixed(row.speedup)}x`,
    'ours SNR dB': fixed(row.oursSnrDb, 1),
    'lsr SNR dB': fixed(row.baselineSnrDb, 1),
    'ours delay ms': fixed(row.oursDelayMs),
    'lsr delay ms': fixed(row.baselineDelayMs),
    'ours design ms': fixed(row.designMs),
  })),
);

await writeResultsSection('codec', {
  measuredAt: new Date().toISOString(),
  node: process.version,
  firstUseMs,
  g711: g711.map((row) => ({ ...row, samples: SAMPLES })),
  resampling,
});
console.log('wrote bench/results.json section "codec"');

/**
 * The resampler's quality per rate pair against the goals of issue 20, measured on what a call
 * carries (16-bit output): THD+N of a 1 kHz tone at -6 dBFS, stopband rejection from 1.25 x the
 * lower Nyquist frequency (aliases when downsampling, images when upsampling), passband flatness to
 * 0.85 x the lower Nyquist frequency, and the delay.
 */
import { createStreamResampler, resample } from '@callwire/codec';
import { fit, tone } from './tone-quality.js';

export const QUALITY_GOALS = { snrDb: 89, rejectionDb: 80, flatnessDb: 0.1, delayMs: 2.5 } as const;

export interface PairQuality {
  readonly inRate: number;
  readonly outRate: number;
  /** THD+N of a 1 kHz tone at -6 dBFS, dB below the tone (1 s, streamed in 20 ms frames). */
  readonly snrDb: number;
  /**
   * Smallest rejection (dB) of any alias or image from 1.25 x the lower Nyquist frequency up;
   * infinite when every one rounds to silence in 16 bits; null when the pair has none (24 -> 22.05
   * and 48 -> 44.1 kHz: no input frequency lies above 1.25 x the output Nyquist).
   */
  readonly rejectionDb: number | null;
  /** Largest gain error (dB) for tones up to 0.85 x the lower Nyquist frequency. */
  readonly flatnessDb: number;
  /** The resampler's delay (ms). */
  readonly delayMs: number;
}

/**
 * Amplitudes of sinusoids at `frequenciesHz` (plus a constant) fitted together, by least squares, to
 * `samples[from..to)`: a weak image next to a strong tone needs a joint fit, or the tone's leakage
 * over a finite window swamps it.
 */
function jointAmplitudes(
  samples: ArrayLike<number>,
  rate: number,
  frequenciesHz: readonly number[],
  from: number,
  to: number,
): number[] {
  const size = 2 * frequenciesHz.length + 1;
  const matrix = Array.from({ length: size }, () => new Float64Array(size + 1));
  const basis = new Float64Array(size);
  for (let n = from; n < to; n++) {
    frequenciesHz.forEach((frequency, k) => {
      const angle = (2 * Math.PI * frequency * n) / rate;
      basis[2 * k] = Math.sin(angle);
      basis[2 * k + 1] = Math.cos(angle);
    });
    basis[size - 1] = 1;
    for (let i = 0; i < size; i++) {
      const row = matrix[i]!;
      for (let j = 0; j < size; j++) row[j]! += basis[i]! * basis[j]!;
      row[size]! += basis[i]! * samples[n]!;
    }
  }
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let row = col + 1; row < size; row++) {
      if (Math.abs(matrix[row]![col]!) > Math.abs(matrix[pivot]![col]!)) pivot = row;
    }
    [matrix[col], matrix[pivot]] = [matrix[pivot]!, matrix[col]!];
    for (let row = 0; row < size; row++) {
      if (row === col) continue;
      const factor = matrix[row]![col]! / matrix[col]![col]!;
      for (let k = col; k <= size; k++) matrix[row]![k]! -= factor * matrix[col]![k]!;
    }
  }
  const coefficient = (i: number) => matrix[i]![size]! / matrix[i]![i]!;
  return frequenciesHz.map((_, k) => Math.hypot(coefficient(2 * k), coefficient(2 * k + 1)));
}

function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/** `frequencyHz` after sampling at `rate`: where an image or alias lands in [0, rate / 2]. */
function folded(frequencyHz: number, rate: number): number {
  const wrapped = frequencyHz % rate;
  return Math.min(wrapped, rate - wrapped);
}

/** Measures one pair with the default kernel and attenuation. */
export function measurePairQuality(inRate: number, outRate: number): PairQuality {
  const resampler = createStreamResampler(inRate, outRate);
  const delay = resampler.delaySamples;
  const lowerNyquist = Math.min(inRate, outRate) / 2;
  const settle = delay + Math.ceil(outRate * 0.004);
  const shortTone = Math.round(inRate * 0.1);
  const run = (frequencyHz: number, amplitude: number, length: number) =>
    resample(Int16Array.from(tone(inRate, frequencyHz, amplitude, length), Math.round), inRate, outRate);

  // THD+N: 1 s in 20 ms frames, as a call streams it.
  const second = Int16Array.from(tone(inRate, 1000, 16384, inRate), Math.round);
  const frame = inRate / 50;
  const streamed: number[] = [];
  for (let start = 0; start < second.length; start += frame) {
    for (const sample of resampler.process(second.subarray(start, start + frame))) streamed.push(sample);
  }
  const margin = Math.round(outRate * 0.02);
  const snrDb = fit(streamed, outRate, 1000, margin, streamed.length - margin).snrDb;

  // Stopband: a tone whose alias (down) or image (up) lies from 1.25 x the lower Nyquist frequency up.
  let rejectionDb = Number.POSITIVE_INFINITY;
  let measured = 0;
  const steps = 12;
  for (let i = 0; i <= steps; i++) {
    // Downsampling: input tones from 1.25 x the output Nyquist to just below the input Nyquist.
    // Upsampling: input tones up to 0.75 x the input Nyquist, whose first image is at 1.25 x or above.
    const frequency =
      outRate < inRate
        ? 1.25 * lowerNyquist + ((0.995 * (inRate / 2) - 1.25 * lowerNyquist) * i) / steps
        : 0.02 * lowerNyquist + ((0.75 - 0.02) * lowerNyquist * i) / steps;
    // (24 -> 22.05 and 48 -> 44.1 kHz have no input above 1.25 x the output Nyquist to alias.)
    if (outRate < inRate && (frequency < 1.25 * lowerNyquist - 1e-6 || frequency >= inRate / 2)) continue;
    const output = run(frequency, 32000, shortTone);
    let level: number;
    if (outRate < inRate) {
      // Only the alias is left in the output.
      level = fit(output, outRate, folded(frequency, outRate), settle, output.length - settle).amplitude;
    } else {
      // The tone passes; its image must be fitted beside it (unless it lands on the tone itself).
      const image = folded(inRate - frequency, outRate);
      level =
        Math.abs(image - frequency) < 1
          ? 0
          : jointAmplitudes(output, outRate, [frequency, image], settle, output.length - settle)[1]!;
    }
    measured++;
    rejectionDb = Math.min(rejectionDb, -db(level / 32000));
  }

  let flatnessDb = 0;
  for (const fraction of [0.02, 0.1, 0.25, 0.5, 0.7, 0.8, 0.85]) {
    const frequency = fraction * lowerNyquist;
    const output = run(frequency, 16384, shortTone);
    const gain = fit(output, outRate, frequency, settle, output.length - settle).amplitude / 16384;
    flatnessDb = Math.max(flatnessDb, Math.abs(db(gain)));
  }

  return {
    inRate,
    outRate,
    snrDb,
    rejectionDb: measured > 0 ? rejectionDb : null,
    flatnessDb,
    delayMs: (delay / outRate) * 1000,
  };
}

/** The goals a pair misses, by name (`THD+N`, `rejection`, `flatness`, `delay`); empty when it meets all. */
export function missedGoals(quality: PairQuality): string[] {
  return [
    ...(quality.snrDb >= QUALITY_GOALS.snrDb ? [] : ['THD+N']),
    ...(quality.rejectionDb === null || quality.rejectionDb >= QUALITY_GOALS.rejectionDb
      ? []
      : ['rejection']),
    ...(quality.flatnessDb <= QUALITY_GOALS.flatnessDb ? [] : ['flatness']),
    ...(quality.delayMs <= QUALITY_GOALS.delayMs ? [] : ['delay']),
  ];
}

/** Whether a pair meets every goal. */
export function meetsGoals(quality: PairQuality): boolean {
  return missedGoals(quality).length === 0;
}

/** Tone measurements for resampler outputs: THD+N after a least-squares sinusoid fit, and lag. */

/** `length` samples of `amplitude * sin(2π f n / rate)`. */
export function tone(rate: number, frequencyHz: number, amplitude: number, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let n = 0; n < length; n++) out[n] = amplitude * Math.sin((2 * Math.PI * frequencyHz * n) / rate);
  return out;
}

interface Fit {
  /** Amplitude of the fitted sinusoid (sample units). */
  readonly amplitude: number;
  readonly phase: number;
  readonly snrDb: number;
}

/** Fits `a sin(ωn) + b cos(ωn) + c` to `samples[from..to)` and reports the amplitude, phase and tone-to-residual ratio. */
export function fit(
  samples: ArrayLike<number>,
  rate: number,
  frequencyHz: number,
  from: number,
  to: number,
): Fit {
  const omega = (2 * Math.PI * frequencyHz) / rate;
  const m = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  for (let n = from; n < to; n++) {
    const basis = [Math.sin(omega * n), Math.cos(omega * n), 1];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) m[i]![j]! += basis[i]! * basis[j]!;
      m[i]![3]! += basis[i]! * samples[n]!;
    }
  }
  for (let col = 0; col < 3; col++) {
    for (let row = 0; row < 3; row++) {
      if (row === col) continue;
      const factor = m[row]![col]! / m[col]![col]!;
      for (let k = col; k < 4; k++) m[row]![k]! -= factor * m[col]![k]!;
    }
  }
  const [a, b, c] = [0, 1, 2].map((i) => m[i]![3]! / m[i]![i]!) as [number, number, number];
  let signal = 0;
  let residual = 0;
  for (let n = from; n < to; n++) {
    const fitted = a * Math.sin(omega * n) + b * Math.cos(omega * n);
    signal += fitted * fitted;
    residual += (samples[n]! - fitted - c) ** 2;
  }
  return { amplitude: Math.hypot(a, b), phase: Math.atan2(b, a), snrDb: 10 * Math.log10(signal / residual) };
}

/** THD+N of a 1 kHz tone in `output` (dB below the tone), ignoring `marginSamples` at each end. */
export function toneSnrDb(output: ArrayLike<number>, rate: number, marginSamples: number): number {
  return fit(output, rate, 1000, marginSamples, output.length - marginSamples).snrDb;
}

/** Lag (output samples, within ±5 ms) of a 100 Hz sine that started at phase 0. */
export function toneLagSamples(output: ArrayLike<number>, rate: number, marginSamples: number): number {
  const { phase } = fit(output, rate, 100, marginSamples, output.length - marginSamples);
  return (-phase / (2 * Math.PI)) * (rate / 100);
}

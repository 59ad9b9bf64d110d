/** Test-only signal generators and measurements (least-squares sinusoid fits). */

/** `length` samples of `amplitude * sin(2π f t + phase)` at `rate` Hz, rounded to 16-bit. */
export function sineWave(
  rate: number,
  frequencyHz: number,
  amplitude: number,
  length: number,
  phase = 0,
): Int16Array {
  const out = new Int16Array(length);
  const step = (2 * Math.PI * frequencyHz) / rate;
  for (let i = 0; i < length; i++) out[i] = Math.round(amplitude * Math.sin(step * i + phase));
  return out;
}

/** Deterministic white-ish noise (xorshift32) in [-amplitude, amplitude]. */
export function noise(length: number, amplitude: number, seed = 1): Int16Array {
  const out = new Int16Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = Math.round(((state / 0xffffffff) * 2 - 1) * amplitude);
  }
  return out;
}

export interface SinusoidFit {
  /** Fitted amplitude (sample units). */
  readonly amplitude: number;
  /** Phase θ of `amplitude * sin(ω k + θ)` at k = 0, radians in (-π, π]. */
  readonly phase: number;
  /** Mean square of the fitted sinusoid. */
  readonly signalPower: number;
  /** Mean square of what the fit (sinusoid + DC) leaves: noise and distortion. */
  readonly residualPower: number;
}

/** Least-squares fit of `a sin(ωk) + b cos(ωk) + c` to `samples[from..to)` at a known frequency. */
export function fitSinusoid(
  samples: ArrayLike<number>,
  rate: number,
  frequencyHz: number,
  from: number,
  to: number,
): SinusoidFit {
  const omega = (2 * Math.PI * frequencyHz) / rate;
  // Normal equations for the basis [sin, cos, 1].
  let ss = 0;
  let sc = 0;
  let s1 = 0;
  let cc = 0;
  let c1 = 0;
  let n = 0;
  let ys = 0;
  let yc = 0;
  let y1 = 0;
  for (let k = from; k < to; k++) {
    const s = Math.sin(omega * k);
    const c = Math.cos(omega * k);
    const y = samples[k]!;
    ss += s * s;
    sc += s * c;
    s1 += s;
    cc += c * c;
    c1 += c;
    n += 1;
    ys += y * s;
    yc += y * c;
    y1 += y;
  }
  const [a, b, dc] = solve3(
    [
      [ss, sc, s1],
      [sc, cc, c1],
      [s1, c1, n],
    ],
    [ys, yc, y1],
  );
  let residual = 0;
  let signal = 0;
  for (let k = from; k < to; k++) {
    const fitted = a * Math.sin(omega * k) + b * Math.cos(omega * k);
    signal += fitted * fitted;
    const error = samples[k]! - fitted - dc;
    residual += error * error;
  }
  return {
    amplitude: Math.hypot(a, b),
    phase: Math.atan2(b, a),
    signalPower: signal / n,
    residualPower: residual / n,
  };
}

function solve3(matrix: number[][], rhs: number[]): [number, number, number] {
  const m = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let row = col + 1; row < 3; row++)
      if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = 0; row < 3; row++) {
      if (row === col) continue;
      const factor = m[row]![col]! / m[col]![col]!;
      for (let k = col; k < 4; k++) m[row]![k]! -= factor * m[col]![k]!;
    }
  }
  return [m[0]![3]! / m[0]![0]!, m[1]![3]! / m[1]![1]!, m[2]![3]! / m[2]![2]!];
}

/** Root mean square of `samples[from..to)`. */
export function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let k = from; k < to; k++) sum += samples[k]! * samples[k]!;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Concatenates Int16Array chunks. */
export function concat(chunks: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

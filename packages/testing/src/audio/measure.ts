/** Root mean square of `pcm`, in sample units (0 for empty input). */
export function rms(pcm: Int16Array): number {
  if (pcm.length === 0) return 0;
  let sum = 0;
  for (const sample of pcm) sum += sample * sample;
  return Math.sqrt(sum / pcm.length);
}

/**
 * Signal-to-noise ratio (dB) of `measured` against `reference`, sample by sample over the shorter
 * length: `10·log10(Σref² / Σ(ref − measured)²)`. `Infinity` when they are identical.
 */
export function snrDb(reference: Int16Array, measured: Int16Array): number {
  const length = Math.min(reference.length, measured.length);
  let signal = 0;
  let error = 0;
  for (let i = 0; i < length; i += 1) {
    const r = reference[i] ?? 0;
    const d = r - (measured[i] ?? 0);
    signal += r * r;
    error += d * d;
  }
  if (error === 0) return signal === 0 ? 0 : Number.POSITIVE_INFINITY;
  return 10 * Math.log10(signal / error);
}

/** The sinusoid that best fits a signal (least squares), and what is left over. */
export interface ToneFit {
  /** Peak amplitude of the fitted sine, in sample units. */
  readonly amplitude: number;
  /** Phase (radians) of the fitted sine at the first sample, as in `sin(ωn + phase)`. */
  readonly phaseRad: number;
  /** Fitted DC offset, in sample units. */
  readonly offset: number;
  /** Energy ratio of the fitted sine to the residual, in dB (`Infinity` for a perfect fit). */
  readonly snrDb: number;
}

/**
 * Fits `A·sin(ωn) + B·cos(ωn) + C` with ω = 2π·frequencyHz/sampleRate to `pcm` by least squares.
 * The fit finds the phase itself, so it measures a tone that went through a resampler or filter
 * with an unknown delay; skip the resampler's start-up before calling it.
 */
export function fitTone(pcm: Int16Array, frequencyHz: number, sampleRate: number): ToneFit {
  const omega = (2 * Math.PI * frequencyHz) / sampleRate;
  // Normal equations for the basis [sin, cos, 1].
  let ss = 0;
  let sc = 0;
  let s1 = 0;
  let cc = 0;
  let c1 = 0;
  const n = pcm.length;
  let ys = 0;
  let yc = 0;
  let y1 = 0;
  for (let i = 0; i < n; i += 1) {
    const s = Math.sin(omega * i);
    const c = Math.cos(omega * i);
    const y = pcm[i] ?? 0;
    ss += s * s;
    sc += s * c;
    s1 += s;
    cc += c * c;
    c1 += c;
    ys += y * s;
    yc += y * c;
    y1 += y;
  }
  const [a, b, offset] = solve3(
    [
      [ss, sc, s1],
      [sc, cc, c1],
      [s1, c1, n],
    ],
    [ys, yc, y1],
  );
  let toneEnergy = 0;
  let residualEnergy = 0;
  for (let i = 0; i < n; i += 1) {
    const fitted = a * Math.sin(omega * i) + b * Math.cos(omega * i);
    const residual = (pcm[i] ?? 0) - fitted - offset;
    toneEnergy += fitted * fitted;
    residualEnergy += residual * residual;
  }
  const snr =
    residualEnergy === 0
      ? toneEnergy === 0
        ? 0
        : Number.POSITIVE_INFINITY
      : 10 * Math.log10(toneEnergy / residualEnergy);
  return { amplitude: Math.hypot(a, b), phaseRad: Math.atan2(b, a), offset, snrDb: snr };
}

/** SNR (dB) of the `frequencyHz` tone in `pcm` against everything else (see `fitTone`). */
export function toneSnrDb(pcm: Int16Array, frequencyHz: number, sampleRate: number): number {
  return fitTone(pcm, frequencyHz, sampleRate).snrDb;
}

// Gaussian elimination with partial pivoting; a singular system (no samples) gives zeros.
function solve3(matrix: number[][], vector: number[]): [number, number, number] {
  const m = matrix.map((row, i) => [...row, vector[i] ?? 0]);
  for (let col = 0; col < 3; col += 1) {
    let pivot = col;
    for (let row = col + 1; row < 3; row += 1) {
      if (Math.abs(m[row]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = row;
    }
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const head = m[col] as number[];
    if (Math.abs(head[col] ?? 0) < 1e-12) return [0, 0, 0];
    for (let row = 0; row < 3; row += 1) {
      if (row === col) continue;
      const target = m[row] as number[];
      const factor = (target[col] ?? 0) / (head[col] ?? 1);
      for (let k = col; k < 4; k += 1) target[k] = (target[k] ?? 0) - factor * (head[k] ?? 0);
    }
  }
  return [0, 1, 2].map((i) => (m[i]?.[3] ?? 0) / (m[i]?.[i] ?? 1)) as [number, number, number];
}

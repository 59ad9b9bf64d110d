/** Full scale of 16-bit PCM. */
export const FULL_SCALE = 32767;

/** Level of a generated signal: give one of `amplitude` or `dbfs`. */
export interface SignalLevel {
  /** Peak as a fraction of full scale, 0..1 (default 0.5, i.e. about -6 dBFS). */
  readonly amplitude?: number;
  /** Peak in dBFS (0 = full scale, -6 = half); wins over `amplitude` when both are given. */
  readonly dbfs?: number;
}

function peak(level: SignalLevel): number {
  const fraction = level.dbfs !== undefined ? 10 ** (level.dbfs / 20) : (level.amplitude ?? 0.5);
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new RangeError(`signal level must be within full scale, got ${String(fraction)}`);
  }
  return fraction * FULL_SCALE;
}

/** Samples in `durationMs` at `sampleRate` Hz, rounded to the nearest sample. */
export function sampleCount(durationMs: number, sampleRate: number): number {
  return Math.round((durationMs * sampleRate) / 1000);
}

function toInt16(values: Float64Array): Int16Array {
  const out = new Int16Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    out[i] = Math.max(-32768, Math.min(32767, Math.round(values[i] ?? 0)));
  }
  return out;
}

/** A sine tone: `frequencyHz`, `durationMs` long at `sampleRate` Hz, starting at phase `phaseRad`. */
export function tone(
  options: { frequencyHz: number; durationMs: number; sampleRate: number; phaseRad?: number } & SignalLevel,
): Int16Array {
  const length = sampleCount(options.durationMs, options.sampleRate);
  const amplitude = peak(options);
  const step = (2 * Math.PI * options.frequencyHz) / options.sampleRate;
  const values = new Float64Array(length);
  for (let i = 0; i < length; i += 1) values[i] = amplitude * Math.sin(step * i + (options.phaseRad ?? 0));
  return toInt16(values);
}

/** A linear sweep from `startHz` to `endHz` over `durationMs` at `sampleRate` Hz. */
export function chirp(
  options: { startHz: number; endHz: number; durationMs: number; sampleRate: number } & SignalLevel,
): Int16Array {
  const length = sampleCount(options.durationMs, options.sampleRate);
  const amplitude = peak(options);
  const seconds = options.durationMs / 1000;
  const rate = (options.endHz - options.startHz) / seconds; // Hz per second
  const values = new Float64Array(length);
  for (let i = 0; i < length; i += 1) {
    const t = i / options.sampleRate;
    values[i] = amplitude * Math.sin(2 * Math.PI * (options.startHz * t + (rate * t * t) / 2));
  }
  return toInt16(values);
}

/** `durationMs` of digital silence at `sampleRate` Hz. */
export function silence(options: { durationMs: number; sampleRate: number }): Int16Array {
  return new Int16Array(sampleCount(options.durationMs, options.sampleRate));
}

/** Deterministic white noise (uniform, xorshift32) of `length` samples with the given peak level. */
export function noise(options: { length: number; seed?: number } & SignalLevel): Int16Array {
  const amplitude = peak(options);
  let state = (options.seed ?? 1) >>> 0 || 1;
  const values = new Float64Array(options.length);
  for (let i = 0; i < options.length; i += 1) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    values[i] = amplitude * ((state / 0xffffffff) * 2 - 1);
  }
  return toInt16(values);
}

import { DTMF_HIGH_HZ, DTMF_KEYPAD, DTMF_LOW_HZ, dbm0ToPeak } from './dtmf-tones.js';

/** Finds DTMF keys in a stream of 16-bit mono PCM, whatever the chunk sizes. */
export interface DtmfDetector {
  /** Sample rate, Hz. */
  readonly sampleRate: number;
  /** The keys whose press was confirmed within `pcm`, in order (a held key counts once). */
  process(pcm: Int16Array): string;
  /** Forgets everything heard so far (a new stream). */
  reset(): void;
}

/**
 * Analysis window, s: 205 samples at 8 kHz, the classic Goertzel block. Its ~39 Hz resolution keeps the
 * Q.23 frequencies (at least 73 Hz apart) more than 20 dB apart from each other's leakage.
 */
const WINDOW_SECONDS = 205 / 8000;
/** Each tone must be at least this loud (Q.24 receivers work down to about -25 dBm0 per tone). */
const MIN_LEVEL_DBM0 = -30;
/** High tone over low tone, at most 8 dB (normal twist); low over high at most 4 dB (reverse twist). */
const MAX_NORMAL_TWIST = 10 ** (8 / 10);
const MAX_REVERSE_TWIST = 10 ** (4 / 10);
/** The strongest row (and column) frequency must beat the next by 8 dB: a chord or speech does not. */
const MIN_PEAK_RATIO = 10 ** (8 / 10);
/**
 * The two tones must hold this share of the window's energy. Speech and noise spread theirs over the
 * band; G.711's quantization noise at these levels is some 35 dB down, so a true key holds ~99 %.
 */
const MIN_TONE_SHARE = 0.7;

/**
 * A streaming DTMF detector at `sampleRate` Hz (4000..192000): Goertzel filters at the eight Q.23
 * frequencies over 25.6 ms windows every 12.8 ms. A window holds a key when each of its two tones is
 * at least -30 dBm0, their twist is within +8/-4 dB, each beats its group's runner-up by 8 dB and
 * together they hold 70 % of the window's energy. A key is reported once two windows in a row hold it,
 * and may repeat after two windows without it: tones and gaps of 55 ms or more are always resolved.
 */
export function createDtmfDetector(sampleRate: number): DtmfDetector {
  if (!Number.isInteger(sampleRate) || sampleRate < 4000 || sampleRate > 192_000) {
    throw new RangeError(`sampleRate must be an integer number of Hz in 4000..192000, got ${sampleRate}`);
  }
  const size = Math.round(WINDOW_SECONDS * sampleRate);
  const hop = Math.floor(size / 2);
  const frequencies = [...DTMF_LOW_HZ, ...DTMF_HIGH_HZ];
  const coefficients = frequencies.map((hz) => 2 * Math.cos((2 * Math.PI * hz) / sampleRate));
  const minPeak = dbm0ToPeak(MIN_LEVEL_DBM0);
  // Goertzel power |X(f)|² of a sine of peak A is about (A·size/2)².
  const minPower = (minPeak * size) ** 2 / 4;
  const ring = new Float64Array(size);
  const powers = new Float64Array(frequencies.length);
  let written = 0;
  let lastWindowKey: string | undefined;
  let streak = 0;
  let held: string | undefined;
  let misses = 0;

  function strongest(from: number): { index: number; power: number; runnerUp: number } {
    let index = from;
    let power = -1;
    let runnerUp = 0;
    for (let i = from; i < from + 4; i++) {
      const value = powers[i] ?? 0;
      if (value > power) {
        runnerUp = Math.max(runnerUp, power);
        power = value;
        index = i;
      } else if (value > runnerUp) {
        runnerUp = value;
      }
    }
    return { index, power, runnerUp };
  }

  /** The key the window ending at `written` holds, or `undefined`. */
  function windowKey(): string | undefined {
    const start = written % size;
    let energy = 0;
    for (let f = 0; f < coefficients.length; f++) {
      const coefficient = coefficients[f] ?? 0;
      let s1 = 0;
      let s2 = 0;
      for (let n = 0; n < size; n++) {
        const x = ring[(start + n) % size] ?? 0;
        if (f === 0) energy += x * x;
        const s0 = x + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      powers[f] = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }
    const row = strongest(0);
    const column = strongest(4);
    if (row.power < minPower || column.power < minPower) return undefined;
    if (column.power > row.power * MAX_NORMAL_TWIST || row.power > column.power * MAX_REVERSE_TWIST) {
      return undefined;
    }
    if (row.power < row.runnerUp * MIN_PEAK_RATIO || column.power < column.runnerUp * MIN_PEAK_RATIO) {
      return undefined;
    }
    // A sine's window energy is about 2·|X|²/size.
    if ((2 * (row.power + column.power)) / size < MIN_TONE_SHARE * energy) return undefined;
    return DTMF_KEYPAD[row.index]?.[column.index - 4];
  }

  /** Debounces one window's verdict; returns a key when its press is confirmed. */
  function step(key: string | undefined): string {
    streak = key !== undefined && key === lastWindowKey ? streak + 1 : 1;
    lastWindowKey = key;
    if (held !== undefined) {
      misses = key === held ? 0 : misses + 1;
      if (misses >= 2) held = undefined;
    }
    if (key !== undefined && key !== held && streak >= 2) {
      held = key;
      misses = 0;
      return key;
    }
    return '';
  }

  return {
    sampleRate,
    process(pcm) {
      let keys = '';
      for (let i = 0; i < pcm.length; i++) {
        ring[written % size] = pcm[i] ?? 0;
        written += 1;
        if (written >= size && (written - size) % hop === 0) keys += step(windowKey());
      }
      return keys;
    },
    reset() {
      ring.fill(0);
      written = 0;
      lastWindowKey = undefined;
      streak = 0;
      held = undefined;
      misses = 0;
    },
  };
}

/** The DTMF keys heard in `pcm` (16-bit mono at `sampleRate` Hz), in order; a held key counts once. */
export function detectDtmf(pcm: Int16Array, sampleRate: number): string {
  return createDtmfDetector(sampleRate).process(pcm);
}

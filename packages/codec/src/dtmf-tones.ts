/**
 * The DTMF keypad (ITU-T Q.23): each key is one low-group (row) frequency plus one high-group (column)
 * frequency, in Hz.
 */
export const DTMF_LOW_HZ = [697, 770, 852, 941] as const;
export const DTMF_HIGH_HZ = [1209, 1336, 1477, 1633] as const;

/** The keys by row (low frequency) and column (high frequency), as Q.23 lays them out. */
export const DTMF_KEYPAD: readonly (readonly string[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

/** Options of `dtmfTones`. */
export interface DtmfToneOptions {
  /**
   * Length of each key's tone, ms. Q.24 receivers must accept 40 ms and more; 100 ms is what
   * telephones and most gateways send.
   * @default 100
   */
  readonly toneMs?: number;
  /**
   * Silence after each key's tone, ms (also after the last, so that two calls in a row never run two
   * equal keys into one long one). Q.24 receivers must accept 40 ms and more.
   * @default 100
   */
  readonly gapMs?: number;
  /**
   * Level of the low-group (row) tone, dBm0.
   * @default -11
   */
  readonly lowLevelDbm0?: number;
  /**
   * Level of the high-group (column) tone, dBm0. The high tone is sent 2 dB louder than the low one
   * ("pre-emphasis" or normal twist), since lines attenuate higher frequencies more.
   * @default -9
   */
  readonly highLevelDbm0?: number;
}

/**
 * Peak amplitude (16-bit sample units) of a 0 dBm0 sine. G.711 puts its largest sine at +3.17 dBm0
 * (mu-law; +3.14 for A-law), i.e. a full-scale sine peaks 3.17 dB above the 0 dBm0 reference.
 */
const ZERO_DBM0_PEAK = 32767 * 10 ** (-3.17 / 20);

/** Fade in and out of each tone, ms: no click at its edges (a click spreads energy over every band). */
const RAMP_MS = 2;

const keyFrequencies = new Map<string, readonly [number, number]>();
DTMF_KEYPAD.forEach((row, rowIndex) => {
  row.forEach((key, columnIndex) => {
    keyFrequencies.set(key, [DTMF_LOW_HZ[rowIndex] ?? 0, DTMF_HIGH_HZ[columnIndex] ?? 0]);
  });
});

/** The [low, high] frequencies (Hz) of a DTMF key, or `undefined` for anything but 0-9 * # A-D. */
export function dtmfFrequencies(key: string): readonly [number, number] | undefined {
  return keyFrequencies.get(key);
}

/** Peak amplitude (16-bit sample units) of a sine at `levelDbm0` dBm0. */
export function dbm0ToPeak(levelDbm0: number): number {
  return ZERO_DBM0_PEAK * 10 ** (levelDbm0 / 20);
}

function checkedMs(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 10_000) {
    throw new RangeError(`${name} must be a number of ms in 0..10000, got ${value}`);
  }
  return value;
}

function checkedLevel(name: string, value: number): number {
  // Two tones at 0 dBm0 each still fit in 16 bits (2 × 22.7k would not above that).
  if (!Number.isFinite(value) || value > -3 || value < -60) {
    throw new RangeError(`${name} must be a level in -60..-3 dBm0, got ${value}`);
  }
  return value;
}

/**
 * In-band DTMF for `digits` (0-9 * # A-D) as 16-bit mono PCM at `sampleRate` Hz: per key, the two
 * Q.23 frequencies for `toneMs` (default 100 ms) at -11/-9 dBm0, then `gapMs` (default 100 ms) of
 * silence. Throws `RangeError` for another character, a rate outside 4000..192000 Hz, or bad options.
 */
export function dtmfTones(digits: string, sampleRate: number, options: DtmfToneOptions = {}): Int16Array {
  if (!Number.isInteger(sampleRate) || sampleRate < 4000 || sampleRate > 192_000) {
    throw new RangeError(`sampleRate must be an integer number of Hz in 4000..192000, got ${sampleRate}`);
  }
  const toneSamples = Math.round((checkedMs('toneMs', options.toneMs ?? 100) * sampleRate) / 1000);
  const gapSamples = Math.round((checkedMs('gapMs', options.gapMs ?? 100) * sampleRate) / 1000);
  const lowPeak = dbm0ToPeak(checkedLevel('lowLevelDbm0', options.lowLevelDbm0 ?? -11));
  const highPeak = dbm0ToPeak(checkedLevel('highLevelDbm0', options.highLevelDbm0 ?? -9));
  const keys = [...digits].map((key) => {
    const frequencies = keyFrequencies.get(key);
    if (frequencies === undefined) {
      throw new RangeError(`DTMF key ${JSON.stringify(key)} is not one of 0-9 * # A-D`);
    }
    return frequencies;
  });
  const rampSamples = Math.min(Math.round((RAMP_MS * sampleRate) / 1000), Math.floor(toneSamples / 2));
  const out = new Int16Array(keys.length * (toneSamples + gapSamples));
  keys.forEach(([low, high], index) => {
    const start = index * (toneSamples + gapSamples);
    const lowStep = (2 * Math.PI * low) / sampleRate;
    const highStep = (2 * Math.PI * high) / sampleRate;
    for (let n = 0; n < toneSamples; n++) {
      const edge = Math.min(n, toneSamples - 1 - n);
      const gain = edge < rampSamples ? 0.5 - 0.5 * Math.cos((Math.PI * (edge + 0.5)) / rampSamples) : 1;
      out[start + n] = Math.round(
        gain * (lowPeak * Math.sin(lowStep * n) + highPeak * Math.sin(highStep * n)),
      );
    }
  });
  return out;
}

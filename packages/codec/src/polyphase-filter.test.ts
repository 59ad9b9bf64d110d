import { describe, expect, it } from 'vitest';
import { polyphaseFilter } from './polyphase-filter.js';

const RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
const PAIRS = RATES.flatMap((inRate) =>
  RATES.filter((outRate) => outRate !== inRate).map((outRate) => [inRate, outRate] as const),
);

/** Magnitude response (dB) of the prototype filter behind the phase rows, at `frequencyHz`. */
function responseDb(inRate: number, outRate: number, attenuationDb: number, frequencyHz: number): number {
  const { up, tapCount, pastTaps, coefficients } = polyphaseFilter(inRate, outRate, attenuationDb);
  const virtualRate = inRate * up;
  let real = 0;
  let imaginary = 0;
  for (let phase = 0; phase < up; phase++) {
    for (let tap = 0; tap < tapCount; tap++) {
      const weight = coefficients[phase * tapCount + tap]! / up;
      if (weight === 0) continue;
      const angle = (2 * Math.PI * frequencyHz * (phase + (pastTaps - tap) * up)) / virtualRate;
      real += weight * Math.cos(angle);
      imaginary -= weight * Math.sin(angle);
    }
  }
  return 20 * Math.log10(Math.hypot(real, imaginary));
}

describe('polyphaseFilter', () => {
  const designs = [
    ...PAIRS.map(([inRate, outRate]) => [inRate, outRate, 100] as const),
    ...(
      [
        [8000, 48000],
        [48000, 8000],
        [16000, 44100],
      ] as const
    ).map(([inRate, outRate]) => [inRate, outRate, 70] as const),
  ];

  it.each(designs)(
    '%i Hz -> %i Hz at %i dB: rows sum to 1, delay within 2.5 ms, response inside the mask',
    (inRate, outRate, target) => {
      const filter = polyphaseFilter(inRate, outRate, target);
      // The target, unless the 2.5 ms delay budget caps it (94 dB when 8 kHz is involved).
      const { attenuationDb } = filter;
      if (Math.min(inRate, outRate) === 8000 && target === 100) {
        expect(attenuationDb).toBeGreaterThan(93.5);
        expect(attenuationDb).toBeLessThan(target);
      } else {
        expect(attenuationDb).toBeGreaterThanOrEqual(target);
      }
      expect(filter.tapCount % 4).toBe(0);
      for (let phase = 0; phase < filter.up; phase++) {
        let sum = 0;
        for (let tap = 0; tap < filter.tapCount; tap++)
          sum += filter.coefficients[phase * filter.tapCount + tap]!;
        expect(Math.abs(sum - 1)).toBeLessThan(10 ** (-attenuationDb / 20) * 4);
      }
      expect(filter.delaySamples / outRate).toBeLessThanOrEqual(0.0025);
      const lowerNyquist = Math.min(inRate, outRate) / 2;
      for (let i = 0; i <= 20; i++) {
        expect(Math.abs(responseDb(inRate, outRate, target, (0.85 * lowerNyquist * i) / 20))).toBeLessThan(
          0.01,
        );
      }
      // Stopband from 1.15 x the lower Nyquist up to the higher Nyquist (images and aliases live there).
      // (None exists for 22050 <-> 24000 and 44100 <-> 48000, where it starts above both Nyquists.)
      const edge = 1.15 * lowerNyquist;
      const top = Math.max(inRate, outRate) / 2;
      for (let i = 0; i <= 24 && edge < top; i++) {
        const frequency = edge + ((top - edge) * i) / 24;
        expect(responseDb(inRate, outRate, target, frequency), `${frequency.toFixed(0)} Hz`).toBeLessThan(
          -attenuationDb + 1,
        );
      }
    },
  );

  it('caches one design per rate pair and attenuation', () => {
    expect(polyphaseFilter(8000, 16000, 90)).toBe(polyphaseFilter(8000, 16000, 90));
    expect(polyphaseFilter(8000, 16000, 80)).not.toBe(polyphaseFilter(8000, 16000, 90));
  });

  it('spends more taps and delay for more attenuation', () => {
    const low = polyphaseFilter(48000, 8000, 70);
    const high = polyphaseFilter(48000, 8000, 100);
    expect(high.tapCount).toBeGreaterThan(low.tapCount);
    expect(high.delaySamples).toBeGreaterThan(low.delaySamples);
    expect(high.delaySamples / 8000).toBeLessThanOrEqual(0.0025);
  });
});

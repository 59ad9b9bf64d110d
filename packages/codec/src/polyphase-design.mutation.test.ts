// Pins the polyphase filter design against its documented recipe (mutation testing found the mask
// tests too loose to notice a wrong tap layout, an edge tap lost or a delay one sample too long):
// the ratio in lowest terms, the band edges, the smallest whole delay that reaches the target
// attenuation, the minimal lookahead and padding, and every weight against a Kaiser-windowed sinc
// written out independently (exact zeros where the sinc is zero, nothing beyond the span).
import { describe, expect, it } from 'vitest';
import { besselI0, kaiserAttenuationDb, kaiserBeta } from './kaiser-window.js';
import { polyphaseFilter } from './polyphase-filter.js';

// 8 -> 16 and 48 -> 8 kHz at 100 dB hit the 2.5 ms delay budget; the others reach their target.
const DESIGNS = [
  [8000, 16000, 100],
  [16000, 8000, 80],
  [8000, 48000, 70],
  [48000, 8000, 100],
  [44100, 16000, 60],
  [24000, 22050, 90],
  [22050, 24000, 90],
] as const;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The prototype weight at `offset` virtual samples from the centre, before normalisation. */
function prototypeWeight(offset: number, halfWidth: number, cycles: number, beta: number): number {
  if (Math.abs(offset) > halfWidth) return 0;
  const x = offset * cycles;
  const sinc = x === 0 ? 1 : Number.isInteger(x) ? 0 : Math.sin(Math.PI * x) / (Math.PI * x);
  const position = offset / halfWidth;
  return (sinc * besselI0(beta * Math.sqrt(1 - position * position))) / besselI0(beta);
}

describe('polyphaseFilter: the design recipe', () => {
  it.each(DESIGNS)('%i Hz -> %i Hz at %i dB', (inRate, outRate, target) => {
    const filter = polyphaseFilter(inRate, outRate, target);
    const { up, down, delaySamples, tapCount, pastTaps, coefficients } = filter;
    expect([filter.inRate, filter.outRate]).toEqual([inRate, outRate]);

    // outRate / inRate = up / down in lowest terms.
    expect(outRate * down).toBe(inRate * up);
    expect(gcd(up, down)).toBe(1);

    // Flat to 0.85 x the lower Nyquist frequency, attenuated from 1.15 x.
    const lowerNyquist = Math.min(inRate, outRate) / 2;
    expect(filter.passbandHz).toBeCloseTo(0.85 * lowerNyquist, 9);
    expect(filter.stopbandHz).toBeCloseTo(1.15 * lowerNyquist, 9);

    // The delay is the smallest whole number of output samples whose span reaches the target, or
    // the whole 2.5 ms budget when the target needs more (100 dB with 8 kHz involved).
    const virtualRate = inRate * up;
    const transitionHz = 0.3 * lowerNyquist;
    const reached = (delay: number) => kaiserAttenuationDb((2 * delay * down) / virtualRate, transitionHz);
    const budget = Math.floor(0.0025 * outRate + 1e-9);
    if (reached(budget) >= target) {
      expect(reached(delaySamples)).toBeGreaterThanOrEqual(target - 1e-9);
      expect(reached(delaySamples - 1)).toBeLessThan(target);
    } else {
      expect(delaySamples).toBe(budget);
      expect(budget / outRate).toBeGreaterThan(0.0025 - 1 / outRate);
    }
    expect(filter.attenuationDb).toBeCloseTo(reached(delaySamples), 9);

    // Taps: a multiple of 4, lookahead exactly what the span needs, at most 3 padding taps in front.
    const halfWidth = delaySamples * down;
    const futureTaps = tapCount - 1 - pastTaps;
    expect(tapCount % 4).toBe(0);
    expect(futureTaps).toBe(Math.ceil(halfWidth / up));
    const padding = pastTaps - Math.floor(halfWidth / up);
    expect(padding).toBeGreaterThanOrEqual(0);
    expect(padding).toBeLessThan(4);
    expect(coefficients.length).toBe(up * tapCount);

    // Every weight: row p, tap t sits `p + (pastTaps - t) * up` virtual samples from the centre.
    const beta = kaiserBeta(filter.attenuationDb);
    const cycles = Math.min(inRate, outRate) / virtualRate; // cutoff at the lower Nyquist frequency
    let total = 0;
    const expected = new Float64Array(coefficients.length);
    for (let phase = 0; phase < up; phase++) {
      for (let tap = 0; tap < tapCount; tap++) {
        const weight = prototypeWeight(phase + (pastTaps - tap) * up, halfWidth, cycles, beta);
        expected[phase * tapCount + tap] = weight;
        total += weight;
      }
    }
    let worst = 0;
    for (let i = 0; i < expected.length; i++) {
      const want = (expected[i]! * up) / total;
      const got = coefficients[i]!;
      if (want === 0) expect(got, `coefficient ${i}`).toBe(0);
      else worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('reaches the span edges: the outermost taps are non-zero where the sinc is', () => {
    // Upsampling 22050 -> 24000: the edge offsets (21 output samples from the centre) are not
    // sinc zeros, so they carry the window's edge value.
    const filter = polyphaseFilter(22050, 24000, 90);
    const { up, tapCount, pastTaps, delaySamples, down, coefficients } = filter;
    const halfWidth = delaySamples * down;
    const at = (offset: number) => {
      const phase = ((offset % up) + up) % up;
      return coefficients[phase * tapCount + pastTaps - (offset - phase) / up]!;
    };
    expect(at(halfWidth)).not.toBe(0);
    expect(at(-halfWidth)).not.toBe(0);
    expect(at(halfWidth)).toBe(at(-halfWidth));
  });

  it('allows 2048 phases and refuses 2049, naming the rates and the limit', () => {
    // 5005 -> 10240 Hz reduces to 2048/1001; 1000 -> 2049 Hz to 2049/1000.
    expect(polyphaseFilter(5005, 10240, 60).up).toBe(2048);
    expect(() => polyphaseFilter(1000, 2049, 60)).toThrow(
      'resampler: 1000 Hz -> 2049 Hz needs 2049 filter phases (max 2048); use rates with a larger common divisor',
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStreamResampler, resample, type StreamResamplerOptions } from './resampler.js';
import { concat, fitSinusoid, noise, rms, sineWave } from './test-support/signals.js';

const RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
const PAIRS = RATES.flatMap((inRate) =>
  RATES.filter((outRate) => outRate !== inRate).map((outRate) => [inRate, outRate] as const),
);
const HALF_SCALE = 16384; // -6 dBFS

function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}

/** Streams `pcm` through a fresh resampler in chunks of the given sizes (cycled), then flushes. */
function streamInChunks(
  pcm: Int16Array,
  inRate: number,
  outRate: number,
  sizes: readonly number[],
  options: StreamResamplerOptions = {},
): Int16Array {
  const resampler = createStreamResampler(inRate, outRate, options);
  const outputs: Int16Array[] = [];
  let offset = 0;
  for (let i = 0; offset < pcm.length; i++) {
    const size = sizes[i % sizes.length]!;
    outputs.push(resampler.process(pcm.subarray(offset, offset + size)));
    offset += size;
  }
  outputs.push(resampler.flush());
  return concat(outputs);
}

describe('createStreamResampler', () => {
  it('passes samples through unchanged when the rates are equal', () => {
    const resampler = createStreamResampler(16000, 16000);
    const input = noise(320, 20000);
    const output = resampler.process(input);
    expect(output).toEqual(input);
    expect(output).not.toBe(input);
    expect(resampler.flush().length).toBe(0);
    expect(resampler.delaySamples).toBe(0);
  });

  it('defaults to 100 dB of attenuation', () => {
    const byDefault = resample(noise(500, 20000), 8000, 16000);
    expect(byDefault).toEqual(resample(noise(500, 20000), 8000, 16000, { attenuationDb: 100 }));
    expect(byDefault).not.toEqual(resample(noise(500, 20000), 8000, 16000, { attenuationDb: 90 }));
  });

  it('rejects rates and options it cannot honour', () => {
    expect(() => createStreamResampler(0, 8000)).toThrow(RangeError);
    expect(() => createStreamResampler(8000, 16000.5)).toThrow(/outRate/);
    expect(() => createStreamResampler(8000, 16000, { attenuationDb: 20 })).toThrow(/attenuationDb/);
    expect(() => createStreamResampler(44100, 47999)).toThrow(/phases/);
    expect(() => createStreamResampler(999, 8000)).toThrow(
      /inRate must be an integer number of Hz in 1000..384000, got 999/,
    );
    expect(() => createStreamResampler(8000, 384001)).toThrow(RangeError);
    expect(createStreamResampler(1000, 384000).outRate).toBe(384000);
    expect(() => createStreamResampler(8000, 16000, { attenuationDb: 59.9 })).toThrow(RangeError);
    expect(() => createStreamResampler(8000, 16000, { attenuationDb: 100.1 })).toThrow(RangeError);
    expect(() => createStreamResampler(8000, 16000, { attenuationDb: Number.NaN })).toThrow(RangeError);
    expect(createStreamResampler(8000, 16000, { attenuationDb: 60 }).delaySamples).toBeLessThan(
      createStreamResampler(8000, 16000, { attenuationDb: 100 }).delaySamples,
    );
  });

  it.each(PAIRS)('%i Hz -> %i Hz: length law, delay budget and no empty 20 ms frames', (inRate, outRate) => {
    const resampler = createStreamResampler(inRate, outRate);
    expect(resampler.inRate).toBe(inRate);
    expect(resampler.outRate).toBe(outRate);
    expect(resampler.delaySamples).toBeGreaterThan(0);
    expect(resampler.delaySamples / outRate).toBeLessThanOrEqual(0.0025);
    const frame = noise(inRate / 50, 8000, 7); // 20 ms: a whole number of samples at every listed rate
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const output = resampler.process(frame);
      expect(output.length).toBeGreaterThan(0);
      total += output.length;
      // Nothing is held back beyond the filter's reach: latency is the delay, give or take one input sample.
      expect(total).toBeGreaterThanOrEqual(
        Math.floor(((i + 1) * frame.length * outRate) / inRate - outRate / inRate) - 1,
      );
    }
    total += resampler.flush().length;
    expect(total).toBe(Math.round((10 * frame.length * outRate) / inRate));
  });

  it('keeps the delay within 2.5 ms for every pair even at the strongest attenuation (100 dB)', () => {
    for (const [inRate, outRate] of PAIRS) {
      const resampler = createStreamResampler(inRate, outRate, { attenuationDb: 100 });
      expect(resampler.delaySamples / outRate, `${inRate} -> ${outRate}`).toBeLessThanOrEqual(0.0025);
    }
  });

  it('obeys the length law for any input length and chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAIRS),
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }),
        ([inRate, outRate], length, sizes) => {
          const output = streamInChunks(noise(length, 1000, length + 1), inRate, outRate, sizes);
          expect(output.length).toBe(Math.round((length * outRate) / inRate));
        },
      ),
      { numRuns: 60, seed: 4 },
    );
  });

  it('gives bit-identical output whether the input comes whole, in 20 ms frames or in random chunks, with either kernel (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAIRS),
        fc.integer({ min: 1, max: 6000 }), // crosses the 2048-sample blocks
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        ([inRate, outRate], length, sizes, seed) => {
          const input = noise(length, 32767, seed);
          for (const kernel of ['js', 'simd'] as const) {
            const whole = resample(input, inRate, outRate, { kernel });
            expect(streamInChunks(input, inRate, outRate, sizes, { kernel })).toEqual(whole);
            expect(streamInChunks(input, inRate, outRate, [Math.round(inRate / 50)], { kernel })).toEqual(
              whole,
            );
          }
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('reproduces any mix of passband tones, delayed by exactly delaySamples, to within -80 dB (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAIRS),
        fc.array(
          fc.record({
            fraction: fc.double({ min: 0.01, max: 0.85, noNaN: true }),
            phase: fc.double({ min: 0, max: 6.28, noNaN: true }),
          }),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        ([inRate, outRate], tones) => {
          const lowerNyquist = Math.min(inRate, outRate) / 2;
          const amplitude = 24000 / tones.length;
          const signal = (seconds: number) =>
            tones.reduce(
              (sum, tone) =>
                sum + amplitude * Math.sin(2 * Math.PI * tone.fraction * lowerNyquist * seconds + tone.phase),
              0,
            );
          const input = Int16Array.from({ length: Math.round(inRate * 0.05) }, (_, j) =>
            Math.round(signal(j / inRate)),
          );
          const resampler = createStreamResampler(inRate, outRate);
          const output = concat([resampler.process(input), resampler.flush()]);
          const delay = resampler.delaySamples;
          let errorPower = 0;
          let signalPower = 0;
          // Skip the onset (the tones start abruptly) and the end, where the input stops.
          for (let k = 3 * delay; k < output.length - delay; k++) {
            const expected = signal((k - delay) / outRate);
            errorPower += (output[k]! - expected) ** 2;
            signalPower += expected ** 2;
          }
          expect(10 * Math.log10(errorPower / signalPower)).toBeLessThan(-80);
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });

  it('starts afresh after reset() and after flush()', () => {
    const input = sineWave(16000, 440, HALF_SCALE, 1600);
    const fresh = resample(input, 16000, 8000);
    const resampler = createStreamResampler(16000, 8000);
    resampler.process(noise(1234, 30000));
    resampler.reset();
    expect(concat([resampler.process(input), resampler.flush()])).toEqual(fresh);
    resampler.process(noise(999, 30000));
    resampler.flush();
    expect(concat([resampler.process(input), resampler.flush()])).toEqual(fresh);
  });

  it('clips instead of wrapping on full-scale square waves', () => {
    const square = Int16Array.from({ length: 800 }, (_, i) =>
      Math.floor(i / 20) % 2 === 0 ? 32767 : -32768,
    );
    const output = resample(square, 8000, 48000);
    // Gibbs overshoot would exceed 16 bits; a wrapped sample would flip sign next to a peak.
    let maximum = 0;
    for (const sample of output) maximum = Math.max(maximum, Math.abs(sample));
    expect(maximum).toBe(32768);
    for (let k = 1; k < output.length; k++) expect(Math.abs(output[k]! - output[k - 1]!)).toBeLessThan(30000);
  });
});

describe.each(PAIRS)('resampling %i Hz -> %i Hz', (inRate, outRate) => {
  const resampler = createStreamResampler(inRate, outRate);
  const delay = resampler.delaySamples;
  const lowerNyquist = Math.min(inRate, outRate) / 2;
  const settle = delay + Math.ceil(outRate * 0.004); // skip the onset transient
  const toneLength = Math.round(inRate * 0.1); // 100 ms

  it('keeps a 1 kHz tone at -6 dBFS clean with either kernel: THD+N at least 89 dB below the tone', () => {
    // 16-bit rounding of the input and of the output alone limits this to about 89-92 dB.
    for (const kernel of ['js', 'simd'] as const) {
      const output = resample(sineWave(inRate, 1000, HALF_SCALE, toneLength), inRate, outRate, { kernel });
      const fit = fitSinusoid(output, outRate, 1000, settle, output.length - settle);
      expect(10 * Math.log10(fit.signalPower / fit.residualPower), kernel).toBeGreaterThanOrEqual(89);
    }
  });

  it('passes a constant through exactly once the filter has filled (rounding, unit gain, full scale)', () => {
    for (const level of [5000, -5000, 32767, -32768]) {
      const output = resample(new Int16Array(Math.round(inRate * 0.02)).fill(level), inRate, outRate);
      const steady = output.subarray(2 * delay);
      expect(steady.length).toBeGreaterThan(0);
      expect(
        steady.every((sample) => sample === level),
        `level ${level}`,
      ).toBe(true);
    }
  });

  it('delays the output by exactly delaySamples (tone phase and tone burst)', () => {
    // A 100 Hz tone has a 10 ms period, so its phase names the lag unambiguously.
    const output = resample(sineWave(inRate, 100, HALF_SCALE, toneLength * 2), inRate, outRate);
    const fit = fitSinusoid(output, outRate, 100, settle, output.length - settle);
    const lag = (-fit.phase / (2 * Math.PI)) * (outRate / 100);
    expect(lag).toBeCloseTo(delay, 2);

    // A Hann-windowed 1 kHz burst, 10 ms long, starting 5 ms in; the output lines up with
    // the same burst sampled at the output rate best at a shift of exactly delaySamples.
    const burst = (t: number) =>
      t < 0.005 || t > 0.015
        ? 0
        : 0.5 * (1 - Math.cos((2 * Math.PI * (t - 0.005)) / 0.01)) * Math.sin(2 * Math.PI * 1000 * t);
    const input = Int16Array.from({ length: Math.round(inRate * 0.03) }, (_, j) =>
      Math.round(HALF_SCALE * burst(j / inRate)),
    );
    const burstOutput = resample(input, inRate, outRate);
    let bestShift = -1;
    let bestError = Number.POSITIVE_INFINITY;
    for (let shift = 0; shift <= Math.ceil(outRate * 0.005); shift++) {
      let error = 0;
      for (let k = 0; k < burstOutput.length; k++)
        error += (burstOutput[k]! - HALF_SCALE * burst((k - shift) / outRate)) ** 2;
      if (error < bestError) {
        bestError = error;
        bestShift = shift;
      }
    }
    expect(bestShift).toBe(delay);
  });

  it('is flat within 0.1 dB up to 0.85 x the lower Nyquist frequency', () => {
    for (const fraction of [0.02, 0.25, 0.5, 0.7, 0.8, 0.85]) {
      const frequency = fraction * lowerNyquist;
      const output = resample(sineWave(inRate, frequency, HALF_SCALE, toneLength), inRate, outRate);
      const fit = fitSinusoid(output, outRate, frequency, settle, output.length - settle);
      expect(Math.abs(db(fit.amplitude / HALF_SCALE)), `${frequency} Hz`).toBeLessThan(0.1);
    }
  });
});

// Downsampling pairs; for 24000 -> 22050 and 48000 -> 44100 no tone lies between 1.25 x the
// output Nyquist and the input Nyquist (their designed filters are checked in polyphase-filter.test.ts).
const DOWNSAMPLING_PAIRS = PAIRS.filter(([inRate, outRate]) => 1.25 * outRate < inRate);

describe.each(DOWNSAMPLING_PAIRS)('downsampling %i Hz -> %i Hz', (inRate, outRate) => {
  const settle = createStreamResampler(inRate, outRate).delaySamples + Math.ceil(outRate * 0.004);
  const toneLength = Math.round(inRate * 0.1); // 100 ms

  it('rejects tones from 1.25 x the output Nyquist frequency up to the input Nyquist by 80 dB', () => {
    const outNyquist = outRate / 2;
    const inNyquist = inRate / 2;
    const steps = 8;
    for (let i = 0; i <= steps; i++) {
      const frequency = 1.25 * outNyquist + ((0.995 * inNyquist - 1.25 * outNyquist) * i) / steps;
      const input = sineWave(inRate, frequency, 32000, toneLength, 0.3);
      const output = resample(input, inRate, outRate);
      const rejection = db(rms(output, settle, output.length - settle) / rms(input));
      expect(rejection, `${frequency.toFixed(0)} Hz`).toBeLessThanOrEqual(-80);
    }
  });
});

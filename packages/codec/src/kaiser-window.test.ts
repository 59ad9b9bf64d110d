import { describe, expect, it } from 'vitest';
import {
  besselI0,
  kaiserAttenuationDb,
  kaiserBeta,
  kaiserSpanSeconds,
  kaiserWindow,
} from './kaiser-window.js';

describe('Kaiser window design helpers', () => {
  it('evaluates I0 to double precision (reference values from Abramowitz & Stegun table 9.8)', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 15);
    expect(besselI0(5) / 27.239871823604442).toBeCloseTo(1, 14);
    expect(besselI0(10) / 2815.716628466254).toBeCloseTo(1, 14);
    expect(besselI0(-3)).toBe(besselI0(3));
  });

  it("follows Kaiser's beta formula in each of its three ranges", () => {
    expect(kaiserBeta(100)).toBeCloseTo(0.1102 * 91.3, 12);
    expect(kaiserBeta(60)).toBeCloseTo(0.1102 * 51.3, 12);
    expect(kaiserBeta(50.5)).toBeCloseTo(0.1102 * 41.8, 12);
    expect(kaiserBeta(30)).toBeCloseTo(0.5842 * 9 ** 0.4 + 0.07886 * 9, 12);
    expect(kaiserBeta(21)).toBe(0);
    expect(kaiserBeta(15)).toBe(0);
  });

  it('is 1 at the centre, 1 / I0(beta) at the edges, symmetric, and 0 outside', () => {
    const beta = 9.6;
    expect(kaiserWindow(0, beta)).toBe(1);
    expect(kaiserWindow(1, beta)).toBeCloseTo(1 / besselI0(beta), 15);
    expect(kaiserWindow(-1, beta)).toBe(kaiserWindow(1, beta));
    expect(kaiserWindow(0.4, beta)).toBe(kaiserWindow(-0.4, beta));
    expect(kaiserWindow(0.4, beta)).toBeLessThan(1);
    expect(kaiserWindow(0.4, beta)).toBeGreaterThan(kaiserWindow(0.8, beta));
    expect(kaiserWindow(1.0001, beta)).toBe(0);
  });

  it('converts between span, transition width and attenuation consistently', () => {
    // 100 dB over a 1.2 kHz transition (8 kHz telephony) needs about 5.3 ms of filter.
    expect(kaiserSpanSeconds(100, 1200)).toBeCloseTo((100 - 7.95) / (14.36 * 1200), 15);
    expect(kaiserSpanSeconds(100, 1200)).toBeCloseTo(0.00534, 5);
    expect(kaiserAttenuationDb(kaiserSpanSeconds(87, 3000), 3000)).toBeCloseTo(87, 10);
  });
});

// Pins the Kaiser-window helpers on their own (mutation testing found them only indirectly covered):
// Bessel I0 against reference values (Python's power series, matching numpy.i0), Kaiser's beta on
// both sides of its 21 dB and 50 dB breakpoints, and the window's edges.
import { describe, expect, it } from 'vitest';
import { besselI0, kaiserBeta, kaiserWindow } from './kaiser-window.js';

describe('besselI0', () => {
  it.each([
    [0, 1],
    [1, 1.2660658777520082],
    [5, 27.23987182360445],
    [10, 2815.716628466255],
  ])('I0(%d) = %d', (x, expected) => {
    expect(besselI0(x)).toBeCloseTo(expected, 10);
  });
});

describe('kaiserBeta', () => {
  it.each([
    [60, 5.65326],
    [50, 4.533514120981248],
    [30, 2.1166248611409806],
    [21, 0],
    [20, 0],
  ])('at %d dB is %d', (attenuationDb, beta) => {
    expect(kaiserBeta(attenuationDb)).toBeCloseTo(beta, 10);
  });
});

describe('kaiserWindow', () => {
  it('is 1 at the centre, 1/I0(beta) at both edges and 0 outside', () => {
    expect(kaiserWindow(0, 5)).toBeCloseTo(1, 12);
    expect(kaiserWindow(1, 5)).toBeCloseTo(1 / 27.23987182360445, 12);
    expect(kaiserWindow(-1, 5)).toBeCloseTo(1 / 27.23987182360445, 12);
    expect(kaiserWindow(1.5, 5)).toBe(0);
    expect(kaiserWindow(-2, 5)).toBe(0);
  });
});

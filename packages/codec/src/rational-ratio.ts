/** An output/input sample-rate ratio in lowest terms: `outRate / inRate = up / down`. */
export interface RationalRatio {
  /** Interpolation factor L (output rate / gcd). */
  readonly up: number;
  /** Decimation factor M (input rate / gcd). */
  readonly down: number;
}

function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const rest = x % y;
    x = y;
    y = rest;
  }
  return x;
}

/** Reduces `outRate / inRate` (both in Hz, positive integers) to lowest terms. */
export function rationalRatio(inRate: number, outRate: number): RationalRatio {
  const divisor = greatestCommonDivisor(inRate, outRate);
  return { up: outRate / divisor, down: inRate / divisor };
}

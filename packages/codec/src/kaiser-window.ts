/** Modified Bessel function of the first kind, order 0 (power series; exact to double precision for x < 50). */
export function besselI0(x: number): number {
  const quarterSquare = (x * x) / 4;
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 200; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's beta for a stopband attenuation in dB (Kaiser 1974). */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/**
 * Seconds of filter span (first to last tap) a Kaiser-windowed sinc needs for a given
 * stopband attenuation (dB) and transition width (Hz): Kaiser's `(A - 7.95) / (14.36 * df)`.
 */
export function kaiserSpanSeconds(attenuationDb: number, transitionHz: number): number {
  return (attenuationDb - 7.95) / (14.36 * transitionHz);
}

/** The attenuation (dB) a Kaiser-windowed sinc reaches over a span (s) and transition width (Hz). */
export function kaiserAttenuationDb(spanSeconds: number, transitionHz: number): number {
  return 14.36 * transitionHz * spanSeconds + 7.95;
}

/** The Kaiser window at relative position `position` in [-1, 1] (0 = centre); 0 outside. */
export function kaiserWindow(position: number, beta: number): number {
  const inside = 1 - position * position;
  if (inside < 0) return 0;
  return besselI0(beta * Math.sqrt(inside)) / besselI0(beta);
}

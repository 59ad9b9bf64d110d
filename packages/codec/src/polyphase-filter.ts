import { kaiserAttenuationDb, kaiserBeta, kaiserSpanSeconds, kaiserWindow } from './kaiser-window.js';
import { rationalRatio } from './rational-ratio.js';

/**
 * A rational L/M polyphase low-pass (Kaiser-windowed sinc) for one rate pair.
 *
 * The prototype filter runs at the virtual rate `inRate * up = outRate * down` and is
 * centred `delaySamples * down` virtual samples late, so output `k` estimates the input
 * at time `(k - delaySamples) / outRate`. Output `k` reads the `tapCount` input samples
 * starting at `floor((k * down - centre) / up) - pastTaps`, weighted by phase row
 * `(k * down - centre) mod up` of `coefficients`.
 */
export interface PolyphaseFilter {
  readonly inRate: number;
  readonly outRate: number;
  /** L: the interpolation factor. */
  readonly up: number;
  /** M: the decimation factor. */
  readonly down: number;
  /** Output-rate samples between an input event and the same event in the output. */
  readonly delaySamples: number;
  /** Input samples each output reads (a multiple of 4). */
  readonly tapCount: number;
  /** Input samples before the phase anchor `floor(n / up)` that the first tap reads. */
  readonly pastTaps: number;
  /** `up` rows of `tapCount` weights (row `p` for phase `p`), in input order; each row sums to about 1. */
  readonly coefficients: Float64Array;
  /** The stopband attenuation the design reaches (dB), from Kaiser's formula. */
  readonly attenuationDb: number;
  /** Edges of the transition band (Hz): flat below `passbandHz`, attenuated above `stopbandHz`. */
  readonly passbandHz: number;
  readonly stopbandHz: number;
}

/** Passband edge as a fraction of the lower Nyquist frequency (0.85: 3.4 kHz at 8 kHz). */
const PASSBAND_FRACTION = 0.85;
/** Stopband edge as a fraction of the lower Nyquist frequency; symmetric about Nyquist. */
const STOPBAND_FRACTION = 1.15;
/**
 * The longest delay a design may have (s). A call hears it twice (in and out), and a telephony
 * user would rather keep the half millisecond than the last 6 dB of stopband below 90 dB, far under
 * the 16-bit noise floor (libsamplerate's SINC_FASTEST has about 2.5 ms too).
 */
const MAX_DELAY_SECONDS = 0.0025;
/** Phase rows above this would need megabytes of weights (rates with no small common divisor). */
const MAX_PHASES = 2048;

const designs = new Map<string, PolyphaseFilter>();

/** Designs (or returns the cached) polyphase filter for `inRate` → `outRate` (Hz) at `attenuationDb`. */
export function polyphaseFilter(inRate: number, outRate: number, attenuationDb: number): PolyphaseFilter {
  const key = `${inRate}:${outRate}:${attenuationDb}`;
  let design = designs.get(key);
  if (design === undefined) {
    design = designPolyphaseFilter(inRate, outRate, attenuationDb);
    designs.set(key, design);
  }
  return design;
}

/** sin(pi x) / (pi x), exactly 0 at the non-zero integers (so zero taps are skipped, not summed as 1e-17). */
function sinc(x: number): number {
  if (x === 0) return 1;
  if (Number.isInteger(x)) return 0;
  const angle = Math.PI * x;
  return Math.sin(angle) / angle;
}

function designPolyphaseFilter(
  inRate: number,
  outRate: number,
  targetAttenuationDb: number,
): PolyphaseFilter {
  const { up, down } = rationalRatio(inRate, outRate);
  if (up > MAX_PHASES) {
    throw new RangeError(
      `resampler: ${inRate} Hz -> ${outRate} Hz needs ${up} filter phases (max ${MAX_PHASES}); use rates with a larger common divisor`,
    );
  }
  const virtualRate = inRate * up; // = outRate * down
  const lowerNyquistHz = Math.min(inRate, outRate) / 2;
  const passbandHz = PASSBAND_FRACTION * lowerNyquistHz;
  const stopbandHz = STOPBAND_FRACTION * lowerNyquistHz;
  const transitionHz = stopbandHz - passbandHz;
  const cutoffHz = (passbandHz + stopbandHz) / 2;

  // The delay is a whole number of output samples; the filter spans twice that, so it reaches at
  // least the target attenuation, unless that would take more than MAX_DELAY_SECONDS: then the
  // filter spans twice the budget and reaches what that allows (94 dB when 8 kHz is involved).
  const halfSpanSeconds = kaiserSpanSeconds(targetAttenuationDb, transitionHz) / 2;
  const delaySamples = Math.min(
    Math.ceil(halfSpanSeconds * outRate - 1e-9),
    Math.floor(MAX_DELAY_SECONDS * outRate + 1e-9),
  );
  const halfWidth = delaySamples * down; // virtual-rate samples from centre to edge
  const attenuationDb = kaiserAttenuationDb((2 * halfWidth) / virtualRate, transitionHz);
  const beta = kaiserBeta(attenuationDb);

  // Output anchor j0 = floor(n / up), phase p = n - j0 * up; input j0 - i sits at virtual
  // offset p + i * up from the filter centre, and |offset| <= halfWidth for some phase when
  // -futureTaps <= i <= pastTaps.
  // The tap count is padded to a multiple of 4 with leading zero weights (older samples,
  // so no extra lookahead) for the resampler's four-accumulator inner loop.
  const futureTaps = Math.floor((halfWidth + up - 1) / up);
  const neededPastTaps = Math.floor(halfWidth / up);
  const tapCount = Math.ceil((neededPastTaps + futureTaps + 1) / 4) * 4;
  const pastTaps = tapCount - 1 - futureTaps;
  const coefficients = new Float64Array(up * tapCount);
  const gain = (2 * cutoffHz) / inRate; // ideal low-pass at the virtual rate, times `up`
  let total = 0;
  for (let phase = 0; phase < up; phase++) {
    for (let tap = 0; tap < tapCount; tap++) {
      const offset = phase + (pastTaps - tap) * up; // virtual samples from the tap to the output
      let weight = 0;
      if (Math.abs(offset) <= halfWidth) {
        weight = gain * sinc((2 * cutoffHz * offset) / virtualRate) * kaiserWindow(offset / halfWidth, beta);
      }
      coefficients[phase * tapCount + tap] = weight;
      total += weight;
    }
  }
  // Unit DC gain on average over the rows. Normalising each row on its own would make a
  // constant input exactly constant, but it modulates the filter with period `up` and puts a
  // copy of the passband, about 85 dB down, into the stopband.
  for (let i = 0; i < coefficients.length; i++) coefficients[i]! *= up / total;
  return {
    inRate,
    outRate,
    up,
    down,
    delaySamples,
    tapCount,
    pastTaps,
    coefficients,
    attenuationDb,
    passbandHz,
    stopbandHz,
  };
}

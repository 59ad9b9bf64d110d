import { z } from 'zod/v4';

/** Lowest and highest pipeline rate (Hz) the codec's resamplers accept. */
export const PIPELINE_RATE_BOUNDS = { min: 1000, max: 384_000 } as const;

/**
 * The `sampleRate` call param: the pipeline rate (Hz) of caller audio, bounded exactly as the codec
 * accepts it, so a bad rate fails at `createSerializer`, never later in `setup`.
 * By default the start frame's `audioInSampleRate`.
 */
export const pipelineSampleRateParam = z
  .number()
  .int()
  .min(PIPELINE_RATE_BOUNDS.min)
  .max(PIPELINE_RATE_BOUNDS.max)
  .optional();

/**
 * The `autoHangUp` call param: hang the call up through the carrier's `CallControl` when it ends
 * (needs the call id and the carrier's credentials).
 * @default true
 */
export const autoHangUpParam = z.boolean().default(true);

/**
 * The `autoHangUp` call param of a carrier that has no way to end a call but closing its socket:
 * `false`, and `true` refused with `reason`.
 */
export function noAutoHangUpParam(reason: string) {
  return z
    .boolean()
    .default(false)
    .refine((value) => value === false, { message: reason });
}

/**
 * The `hangUpTimeoutMs` option: the budget for one hang-up, every retry included, in ms.
 * @default 5000
 */
export const hangUpTimeoutMsOption = z.number().int().min(1).max(60_000).default(5000);

/** The `apiBaseUrl` option: the carrier's REST API (tests point it at a fake server); a trailing `/` is dropped. */
export function apiBaseUrlOption(defaultUrl: string) {
  return z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(defaultUrl)
    .transform((url) => url.replace(/\/+$/, ''));
}

import {
  apiBaseUrlOption,
  autoHangUpParam,
  hangUpTimeoutMsOption,
  pipelineSampleRateParam,
} from '@callwire/kit';
import { z } from 'zod/v4';

/** Plivo's REST API, where calls are hung up. */
export const PLIVO_API_BASE_URL = 'https://api.plivo.com';

/** Options for `registerCarrier(container, plivo, options)`. Credentials are only needed to hang up. */
export const PlivoOptionsSchema = z.strictObject({
  /**
   * Plivo Auth ID (`MA…` or `SA…`): the account in the hang-up URL and the basic-auth user.
   * Letters and digits only, so it is always one URL path segment.
   */
  authId: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'must be 1-64 letters and digits')
    .optional(),
  /** Plivo Auth Token: the basic-auth password and the signature key. Never logged. */
  authToken: z.string().min(1).optional(),
  /**
   * Base URL of Plivo's REST API (tests point it at a fake server); a trailing `/` is dropped.
   * @default 'https://api.plivo.com'
   */
  apiBaseUrl: apiBaseUrlOption(PLIVO_API_BASE_URL),
  /**
   * Budget for one hang-up, every retry included, in ms.
   * @default 5000
   */
  hangUpTimeoutMs: hangUpTimeoutMsOption,
});

/** What users pass to `registerCarrier`. */
export type PlivoOptions = z.input<typeof PlivoOptionsSchema>;
/** The options with defaults filled in. */
export type ResolvedPlivoOptions = z.output<typeof PlivoOptionsSchema>;

/** Plivo's stream encodings (`<Stream contentType>` and `playAudio`'s `media.contentType`). */
export const PlivoContentTypeSchema = z.enum(['audio/x-mulaw', 'audio/x-l16']);
export type PlivoContentType = z.infer<typeof PlivoContentTypeSchema>;

/** Plivo's stream rates, Hz. */
export const PlivoSampleRateSchema = z.union([z.literal(8000), z.literal(16000)]);
export type PlivoSampleRate = z.infer<typeof PlivoSampleRateSchema>;

/** Per-call params for `createSerializer(container, 'plivo', { streamId, callId, params })`. */
export const PlivoCallParamsSchema = z
  .strictObject({
    /** Pipeline rate in Hz for caller audio; by default the start frame's `audioInSampleRate`. */
    sampleRate: pipelineSampleRateParam,
    /**
     * Rate of the audio on the wire, Hz: 8000, or 16000 with `audio/x-l16`.
     * @default 8000
     */
    plivoSampleRate: PlivoSampleRateSchema.default(8000),
    /**
     * Encoding on the wire; must match the `<Stream contentType>` of the call.
     * @default 'audio/x-mulaw'
     */
    contentType: PlivoContentTypeSchema.default('audio/x-mulaw'),
    /**
     * Hang the call up over REST on the first `end` or `cancel` frame (needs `callId`,
     * `authId` and `authToken`).
     * @default true
     */
    autoHangUp: autoHangUpParam,
  })
  .superRefine((params, context) => {
    // Plivo carries mu-law at 8 kHz only (docs: <Stream contentType>, playAudio).
    if (params.contentType === 'audio/x-mulaw' && params.plivoSampleRate !== 8000) {
      context.addIssue({
        code: 'custom',
        path: ['plivoSampleRate'],
        message: 'audio/x-mulaw is 8000 Hz only (use audio/x-l16 for 16000)',
      });
    }
  });

/** Per-call params as users pass them. */
export type PlivoCallParams = z.input<typeof PlivoCallParamsSchema>;
/** Per-call params with defaults filled in. */
export type ResolvedPlivoCallParams = z.output<typeof PlivoCallParamsSchema>;

import { noAutoHangUpParam, pipelineSampleRateParam } from '@callwire/kit';
import { z } from 'zod/v4';
import { JambonzMixTypeSchema } from './events.js';

/**
 * The rates (Hz) of the listen verb's `sampleRate` and `bidirectionalAudio.sampleRate`, as the
 * listen docs list them (docs.jambonz.org/verbs/verbs/listen); jambonz's default is 8000.
 */
export const JAMBONZ_SAMPLE_RATES = [8000, 16000, 24000, 48000, 64000] as const;
export type JambonzSampleRate = (typeof JAMBONZ_SAMPLE_RATES)[number];
export const JambonzSampleRateSchema = z.literal(JAMBONZ_SAMPLE_RATES);

/** True when `value` is a rate jambonz streams at. */
export function isJambonzSampleRate(value: unknown): value is JambonzSampleRate {
  return (JAMBONZ_SAMPLE_RATES as readonly unknown[]).includes(value);
}

/**
 * Options of `registerCarrier(container, jambonz, options)`. jambonz needs no credentials: the
 * stream ends in the protocol itself (`disconnect`).
 */
export const JambonzOptionsSchema = z.strictObject({
  /**
   * Rate (Hz) of the audio sent back, for every call: the listen verb's
   * `bidirectionalAudio.sampleRate`, which jambonz does not repeat in its opening message. A call's
   * `bidirectionalSampleRate` param wins over it.
   * @default the call's `sampleRate` (set `bidirectionalAudio.sampleRate` to the same value)
   */
  bidirectionalSampleRate: JambonzSampleRateSchema.optional(),
  /**
   * The user name the listen verb's `wsAuth` sends (HTTP basic auth on the upgrade). With
   * `wsPassword`, the server refuses jambonz upgrades that do not present both; without them it
   * refuses every jambonz stream (a stream token cannot reach jambonz: it has no answer webhook here).
   */
  wsUsername: z.string().min(1).optional(),
  /** The password the listen verb's `wsAuth` sends. */
  wsPassword: z.string().min(1).optional(),
});

/** What users pass to `registerCarrier`. */
export type JambonzOptions = z.input<typeof JambonzOptionsSchema>;
/** The options with defaults filled in. */
export type ResolvedJambonzOptions = z.output<typeof JambonzOptionsSchema>;

/** Per-call params of `createSerializer(container, 'jambonz', { streamId, callId?, params })`. */
export const JambonzCallParamsSchema = z.strictObject({
  /** Pipeline rate in Hz for caller audio; by default the start frame's `audioInSampleRate`. */
  sampleRate: pipelineSampleRateParam,
  /**
   * Rate (Hz) of the caller audio jambonz sends: the listen verb's `sampleRate`, which its opening
   * message announces (and the server reads from there).
   * @default 8000
   */
  jambonzSampleRate: JambonzSampleRateSchema.default(8000),
  /**
   * Rate (Hz) of the audio sent back: the verb's `bidirectionalAudio.sampleRate`.
   * @default the carrier option, else `jambonzSampleRate`
   */
  bidirectionalSampleRate: JambonzSampleRateSchema.optional(),
  /**
   * How the caller audio is mixed: `mono` (the caller), `mixed` (caller and what is played to them,
   * in one channel) or `stereo` (two interleaved channels; the caller's, the first, is kept).
   * @default 'mono'
   */
  mixType: JambonzMixTypeSchema.default('mono'),
  /**
   * jambonz has no hang-up the stream can trigger but `disconnect`, which the `end` frame sends: auto
   * hang-up (a REST call) stays `false`. What happens next is the application's next verb.
   * @default false
   */
  autoHangUp: noAutoHangUpParam(
    'jambonz ends a listen stream in the protocol (the end frame sends disconnect); set autoHangUp to false',
  ),
});

/** Per-call params as users pass them. */
export type JambonzCallParams = z.input<typeof JambonzCallParamsSchema>;
/** Per-call params with defaults filled in. */
export type ResolvedJambonzCallParams = z.output<typeof JambonzCallParamsSchema>;

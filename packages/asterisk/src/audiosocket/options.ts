import { noAutoHangUpParam, pipelineSampleRateParam } from '@callwire/kit';
import { z } from 'zod/v4';
import { audioKindFor } from './frames.js';

/** Options for `registerCarrier(container, audioSocket, {})`: AudioSocket has no credentials. */
export const AudioSocketOptionsSchema = z.strictObject({});

/** What users pass to `registerCarrier`. */
export type AudioSocketOptions = z.input<typeof AudioSocketOptionsSchema>;
/** The options with defaults filled in. */
export type ResolvedAudioSocketOptions = z.output<typeof AudioSocketOptionsSchema>;

/** Per-call params for `createSerializer(container, 'audiosocket', { streamId, params })`. */
export const AudioSocketCallParamsSchema = z.strictObject({
  /** Pipeline rate in Hz for caller audio; by default the start frame's `audioInSampleRate`. */
  sampleRate: pipelineSampleRateParam,
  /**
   * Rate of the audio on the wire until Asterisk's first audio message says otherwise, Hz: 8000 for the
   * `AudioSocket()` application (always slin), or the channel driver's `c(slin16)` ... rate.
   * @default 8000
   */
  audioSocketSampleRate: z
    .number()
    .default(8000)
    .refine((rate) => audioKindFor(rate) !== undefined, {
      message:
        'must be an AudioSocket slin rate: 8000, 12000, 16000, 24000, 32000, 44100, 48000, 96000 or 192000',
    }),
  /** Calls end with the in-protocol hang-up message (an `end` frame), never over REST. */
  autoHangUp: noAutoHangUpParam(
    'audiosocket ends calls with its hang-up message (an end frame), not over REST',
  ),
});

/** Per-call params as users pass them. */
export type AudioSocketCallParams = z.input<typeof AudioSocketCallParamsSchema>;
/** Per-call params with defaults filled in. */
export type ResolvedAudioSocketCallParams = z.output<typeof AudioSocketCallParamsSchema>;

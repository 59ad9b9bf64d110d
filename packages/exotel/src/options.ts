import { noAutoHangUpParam, pipelineSampleRateParam } from '@callwire/kit';
import { z } from 'zod/v4';

/**
 * Exotel's outbound chunk window for the Voicebot applet: at least 3.2 KB (100 ms at 8 kHz), at
 * most 100 KB, always a multiple of 320 bytes, else the caller hears gaps or the stream times out.
 * Source: developer.exotel.com/docs/agentstream/websocket-protocol ("Chunk size 3 200-100 000 bytes,
 * multiple of 320") and support.exotel.com article 3000108630 ("Chunk size window for Bidirectional
 * streaming"). "100k" is read as 100 000 bytes; the largest grid size below it is 99 840 (312 x 320).
 */
export const EXOTEL_CHUNK_GRID_BYTES = 320;
/** Smallest chunk Exotel accepts without jitter problems, bytes. */
export const EXOTEL_MIN_CHUNK_BYTES = 3200;
/** Largest chunk on the 320-byte grid under Exotel's 100 KB limit, bytes. */
export const EXOTEL_MAX_CHUNK_BYTES = 99_840;

/** The sample rates Exotel streams at (Hz): 8000 by default, 16000 or 24000 via `?sample-rate=` on the URL. */
export const EXOTEL_SAMPLE_RATES = [8000, 16000, 24000] as const;
export type ExotelSampleRate = (typeof EXOTEL_SAMPLE_RATES)[number];

/** Options of `registerCarrier(container, exotel, options)`. Exotel needs no credentials: it has no hang-up API. */
export const ExotelOptionsSchema = z.strictObject({
  /**
   * Outbound audio is held until this many bytes are buffered, then sent in one `media` message.
   * A multiple of 320 in 3200..99840; larger adds latency, smaller is not allowed by Exotel.
   * @default 3200
   */
  minChunkBytes: z
    .number()
    .int()
    .min(EXOTEL_MIN_CHUNK_BYTES)
    .max(EXOTEL_MAX_CHUNK_BYTES)
    .multipleOf(EXOTEL_CHUNK_GRID_BYTES)
    .default(EXOTEL_MIN_CHUNK_BYTES),
});

/** What users pass to `registerCarrier`. */
export type ExotelOptions = z.input<typeof ExotelOptionsSchema>;
/** The options with defaults filled in. */
export type ResolvedExotelOptions = z.output<typeof ExotelOptionsSchema>;

/** Per-call params of `createSerializer(container, 'exotel', { streamId, callId?, params })`. */
export const ExotelCallParamsSchema = z.strictObject({
  /** Pipeline rate in Hz for caller audio; by default the start frame's `audioInSampleRate`. */
  sampleRate: pipelineSampleRateParam,
  /**
   * Rate (Hz) of the PCM on the wire; must match the `?sample-rate=` of the applet URL.
   * @default 8000
   */
  exotelSampleRate: z.literal(EXOTEL_SAMPLE_RATES).default(8000),
  /**
   * Exotel has no documented REST API that ends a Voicebot call by its `call_sid` (see README):
   * hang-up is not supported, so this must stay `false`. End the call by closing the WebSocket
   * (the flow then moves to the next applet: put a Hangup applet after the Voicebot applet).
   * @default false
   */
  autoHangUp: noAutoHangUpParam(
    'Exotel has no REST API that ends a Voicebot call; set autoHangUp to false and close the WebSocket instead',
  ),
  /** The Exotel account sid from `start`, kept for logs. */
  accountSid: z.string().optional(),
  /** The applet URL's custom query parameters (up to 3), as `start.custom_parameters` carried them. */
  customParameters: z.record(z.string(), z.unknown()).optional(),
});

/** Per-call params as users pass them. */
export type ExotelCallParams = z.input<typeof ExotelCallParamsSchema>;
/** Per-call params with defaults filled in. */
export type ResolvedExotelCallParams = z.output<typeof ExotelCallParamsSchema>;

/** True when `value` is a sample rate Exotel streams at. */
export function isExotelSampleRate(value: unknown): value is ExotelSampleRate {
  return (EXOTEL_SAMPLE_RATES as readonly unknown[]).includes(value);
}

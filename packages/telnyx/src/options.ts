import {
  apiBaseUrlOption,
  autoHangUpParam,
  hangUpTimeoutMsOption,
  pipelineSampleRateParam,
} from '@callwire/kit';
import { z } from 'zod';

/** Telnyx's API host. */
export const TELNYX_DEFAULT_API_BASE_URL = 'https://api.telnyx.com';

/** Rate (Hz) of PCMU and PCMA on a Telnyx media stream. */
// Source: developers.telnyx.com/docs/voice/programmable-voice/media-streaming ("PCMU, 8 kHz (default)", "PCMA, 8 kHz").
export const TELNYX_SAMPLE_RATE = 8000;

/** The G.711 codings Callwire speaks with Telnyx (PCMU = mu-law, PCMA = A-law). */
export const TelnyxEncodingSchema = z.enum(['PCMU', 'PCMA']);
export type TelnyxEncoding = z.infer<typeof TelnyxEncodingSchema>;

/** Validates `registerCarrier(container, telnyx, options)`. */
export const TelnyxOptionsSchema = z.strictObject({
  /** API v2 key, sent as `Authorization: Bearer {apiKey}` to hang up. Optional: without it only serializing works. */
  apiKey: z.string().min(1).optional(),
  /**
   * The account's webhook public key (base64, 32-byte Ed25519, from Mission Control), used to check
   * `telnyx-signature-ed25519` on webhook requests. Optional: without it webhooks are `unchecked`.
   */
  publicKey: z
    .string()
    .refine((key) => {
      const trimmed = key.trim();
      return /^[A-Za-z0-9+/]{43}=$/.test(trimmed) && Buffer.from(trimmed, 'base64').length === 32;
    }, 'must be the base64 of a 32-byte Ed25519 public key')
    .optional(),
  /**
   * The `stream_auth_token` you give Call Control's streaming commands; Telnyx then sends it as the
   * `x-telnyx-streaming-auth-token` header of the media WebSocket upgrade, which `verifyWebhook` checks.
   * Optional: without it upgrades are `unchecked` (Telnyx does not sign the media WebSocket).
   */
  streamAuthToken: z.string().min(1).optional(),
  /**
   * REST API base URL (a trailing slash is dropped).
   * @default 'https://api.telnyx.com'
   */
  apiBaseUrl: apiBaseUrlOption(TELNYX_DEFAULT_API_BASE_URL),
  /**
   * Deadline (ms) for one hang-up, retries included: 1-60000.
   * @default 5000
   */
  hangUpTimeoutMs: hangUpTimeoutMsOption,
});

export type TelnyxOptions = z.input<typeof TelnyxOptionsSchema>;
export type ResolvedTelnyxOptions = z.output<typeof TelnyxOptionsSchema>;

/**
 * Per-call params. The encodings are named by DIRECTION, from Callwire's point of view:
 * `inboundEncoding` is what Telnyx sends us (the `start` message's `media_format.encoding`),
 * `outboundEncoding` is what we send Telnyx (must match the stream's `stream_bidirectional_codec`).
 * Pipecat's TelnyxFrameSerializer names them the other way round (its `inbound_encoding` is
 * "for data sent to Telnyx", source: pipecat-ai/pipecat src/pipecat/serializers/telnyx.py), and
 * mixing them up decodes A-law as mu-law: static for a whole call.
 */
export const TelnyxCallParamsSchema = z
  .strictObject({
    /**
     * Pipeline rate (Hz) for caller audio, 1000-384000 (what the codec's resamplers accept); by default
     * the start frame's `audioInSampleRate`.
     */
    sampleRate: pipelineSampleRateParam,
    /**
     * Coding of the audio Telnyx sends us.
     * @default 'PCMU'
     */
    inboundEncoding: TelnyxEncodingSchema.default('PCMU'),
    /**
     * Coding of the audio we send Telnyx.
     * @default inboundEncoding
     */
    outboundEncoding: TelnyxEncodingSchema.optional(),
    /**
     * Hang the call up over REST on `end`/`cancel`. Needs `callId` (the call_control_id) and `apiKey`.
     * @default true
     */
    autoHangUp: autoHangUpParam,
  })
  .transform((params) => ({
    ...params,
    outboundEncoding: params.outboundEncoding ?? params.inboundEncoding,
  }));

export type TelnyxCallParams = z.input<typeof TelnyxCallParamsSchema>;
export type ResolvedTelnyxCallParams = z.output<typeof TelnyxCallParamsSchema>;

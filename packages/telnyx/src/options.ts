import {
  apiBaseUrlOption,
  autoHangUpParam,
  hangUpTimeoutMsOption,
  pipelineSampleRateParam,
} from '@callwire/kit';
import { z } from 'zod/v4';
import { telnyxPublicKey } from './signature.js';

/** Telnyx's API host. */
export const TELNYX_DEFAULT_API_BASE_URL = 'https://api.telnyx.com';

/** Rate (Hz) of PCMU and PCMA on a Telnyx media stream. */
// Source: developers.telnyx.com/docs/voice/programmable-voice/media-streaming ("PCMU, 8 kHz (default)", "PCMA, 8 kHz").
export const TELNYX_SAMPLE_RATE = 8000;

/** The G.711 codings Callwire speaks with Telnyx (PCMU = mu-law, PCMA = A-law). */
export const TelnyxEncodingSchema = z.enum(['PCMU', 'PCMA']);
export type TelnyxEncoding = z.infer<typeof TelnyxEncodingSchema>;

/** Validates `registerCarrier(container, telnyx, options)`; without credentials only serializing works. */
export const TelnyxOptionsSchema = z.strictObject({
  /** API v2 key, sent as `Authorization: Bearer {apiKey}` to hang up. */
  apiKey: z.string().min(1).optional(),
  /** @default 'https://api.telnyx.com' */
  apiBaseUrl: apiBaseUrlOption(TELNYX_DEFAULT_API_BASE_URL),
  /** Deadline (ms) for one hang-up, retries included. @default 5000 */
  hangUpTimeoutMs: hangUpTimeoutMsOption,
  /**
   * The account's webhook public key (base64, 32-byte Ed25519, from Mission Control) that checks
   * `telnyx-signature-ed25519` on webhooks; without it they are `unchecked`.
   */
  publicKey: z
    .string()
    .refine((key) => telnyxPublicKey(key) !== undefined, 'must be the base64 of a 32-byte Ed25519 public key')
    .optional(),
  /**
   * The `stream_auth_token` given to Call Control's streaming commands, which Telnyx sends back as the
   * `x-telnyx-streaming-auth-token` header of the media WebSocket upgrade (it does not sign that
   * upgrade); without it upgrades are `unchecked`.
   */
  streamAuthToken: z.string().min(1).optional(),
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
    /** Pipeline rate (Hz) of caller audio; by default the start frame's `audioInSampleRate`. */
    sampleRate: pipelineSampleRateParam,
    /** Coding of the audio Telnyx sends us. @default 'PCMU' */
    inboundEncoding: TelnyxEncodingSchema.default('PCMU'),
    /** Coding of the audio we send Telnyx. @default inboundEncoding */
    outboundEncoding: TelnyxEncodingSchema.optional(),
    /** Hang up over REST on `end`/`cancel` (needs `callId`, the call_control_id, and `apiKey`). @default true */
    autoHangUp: autoHangUpParam,
  })
  .transform((params) => ({
    ...params,
    outboundEncoding: params.outboundEncoding ?? params.inboundEncoding,
  }));

export type TelnyxCallParams = z.input<typeof TelnyxCallParamsSchema>;
export type ResolvedTelnyxCallParams = z.output<typeof TelnyxCallParamsSchema>;

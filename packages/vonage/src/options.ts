import { createPrivateKey } from 'node:crypto';
import {
  apiBaseUrlOption,
  autoHangUpParam,
  hangUpTimeoutMsOption,
  pipelineSampleRateParam,
} from '@callwire/kit';
import { z } from 'zod/v4';

/** Vonage's Voice API, where calls are hung up (vonage-node-sdk `packages/voice`: `${apiHost}/v1/calls/{uuid}`). */
export const VONAGE_API_BASE_URL = 'https://api.nexmo.com';

/**
 * A PEM private key as users paste it: environment variables often carry the newlines as `\n`
 * escapes, which are restored here.
 */
function normalizePem(value: string): string {
  return value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

/** True when `pem` parses as an RSA private key (the key of a Vonage application). */
export function isRsaPrivateKeyPem(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/** Options for `registerCarrier(container, vonage, options)`. Credentials are only needed to hang up. */
export const VonageOptionsSchema = z.strictObject({
  /** The Vonage application id: the `application_id` claim of the JWT. */
  applicationId: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be 1-64 letters, digits and dashes')
    .optional(),
  /**
   * The application's private key (PEM, RSA), which signs the RS256 JWT. `\n` escapes are turned
   * into newlines. Never logged, never echoed in an error.
   */
  privateKey: z
    .string()
    .transform(normalizePem)
    .refine(isRsaPrivateKeyPem, 'must be a PEM-encoded RSA private key')
    .optional(),
  /**
   * Base URL of the Voice API (tests point it at a fake server); a trailing `/` is dropped.
   * @default 'https://api.nexmo.com'
   */
  apiBaseUrl: apiBaseUrlOption(VONAGE_API_BASE_URL),
  /**
   * The account's signature secret (dashboard → settings), which signs Voice API webhooks (HS256 JWT in
   * `Authorization: Bearer`, enabled per application with `signed_callbacks`). With it, the answer URL
   * refuses unsigned (401) and wrongly signed (403) requests. Never logged.
   */
  signatureSecret: z.string().min(1).optional(),
  /**
   * Budget for one hang-up, every retry included, in ms.
   * @default 5000
   */
  hangUpTimeoutMs: hangUpTimeoutMsOption,
});

/** What users pass to `registerCarrier`. */
export type VonageOptions = z.input<typeof VonageOptionsSchema>;
/** The options with defaults filled in. */
export type ResolvedVonageOptions = z.output<typeof VonageOptionsSchema>;

/**
 * Vonage's WebSocket rates, Hz: the NCCO endpoint's `content-type` is `audio/l16;rate=8000` or
 * `audio/l16;rate=16000` (Vonage WebSocket guide; vonage-node-sdk `WebsocketBitrate` has exactly
 * these two). Pipecat mentions 24000 for the Video API Audio Connector, unconfirmed for the Voice
 * API, so it is not accepted here.
 */
export const VonageSampleRateSchema = z.union([z.literal(8000), z.literal(16000)]);
export type VonageSampleRate = z.infer<typeof VonageSampleRateSchema>;

/** Per-call params for `createSerializer(container, 'vonage', { streamId, callId, params })`. */
export const VonageCallParamsSchema = z.strictObject({
  /** Pipeline rate in Hz for caller audio; by default the start frame's `audioInSampleRate`. */
  sampleRate: pipelineSampleRateParam,
  /**
   * Rate of the audio on the wire, Hz; must match the NCCO endpoint's `content-type`.
   * @default 16000
   */
  vonageSampleRate: VonageSampleRateSchema.default(16000),
  /**
   * Hang the call up over REST on the first `end` or `cancel` frame (needs `callId`,
   * `applicationId` and `privateKey`).
   * @default true
   */
  autoHangUp: autoHangUpParam,
  /** The custom headers of the NCCO's websocket endpoint, as `websocket:connected` echoed them. */
  headers: z.record(z.string(), z.unknown()).optional(),
});

/** Per-call params as users pass them. */
export type VonageCallParams = z.input<typeof VonageCallParamsSchema>;
/** Per-call params with defaults filled in. */
export type ResolvedVonageCallParams = z.output<typeof VonageCallParamsSchema>;

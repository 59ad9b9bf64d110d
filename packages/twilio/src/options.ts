import {
  apiBaseUrlOption,
  autoHangUpParam,
  hangUpTimeoutMsOption,
  pipelineSampleRateParam,
} from '@callwire/kit';
import { z } from 'zod/v4';

/** Twilio's REST API host when no region/edge or base URL is given. */
export const TWILIO_DEFAULT_API_BASE_URL = 'https://api.twilio.com';

/** Rate (Hz) of the audio on a Twilio Media Stream, both directions; it cannot be changed. */
// Source: twilio.com/docs/voice/media-streams/websocket-messages ("audio/x-mulaw", "sampleRate": 8000).
export const TWILIO_SAMPLE_RATE = 8000;

// A region or edge is one DNS label (au1, ie1, sydney, dublin, ...): it ends up inside a host name.
const hostLabel = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be a lower-case DNS label such as "au1" or "sydney"');

const twilioOptionsObject = z.strictObject({
  /** Account SID (`AC...`), the basic-auth user for hang-ups. Optional: without it only serializing works. */
  accountSid: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'must be 1-64 letters and digits')
    .optional(),
  /** Auth token, the basic-auth password for hang-ups and the key for `verifyTwilioSignature`. */
  authToken: z.string().min(1).optional(),
  /**
   * REST API base URL; a trailing `/` is dropped. Any other URL than the default wins over `region`/`edge`.
   * @default 'https://api.twilio.com', or 'https://api.{edge}.{region}.twilio.com' with region and edge
   */
  apiBaseUrl: apiBaseUrlOption(TWILIO_DEFAULT_API_BASE_URL),
  /** Twilio Region of the account's calls, e.g. `au1`, `ie1`. Must be given together with `edge`. */
  region: hostLabel.optional(),
  /** Twilio Edge location, e.g. `sydney`, `dublin`. Must be given together with `region`. */
  edge: hostLabel.optional(),
  /**
   * Budget for one hang-up, every retry included, in ms.
   * @default 5000
   */
  hangUpTimeoutMs: hangUpTimeoutMsOption,
});

/** What users pass to `registerCarrier(container, twilio, options)`. */
export type TwilioOptions = z.input<typeof twilioOptionsObject>;

/** The options after validation: defaults filled in and `apiBaseUrl` resolved. */
export type ResolvedTwilioOptions = z.output<typeof twilioOptionsObject>;

/**
 * Builds the REST base URL the way twilio-node does: `{product}.{edge}.{region}.twilio.com`.
 * Source: twilio/twilio-node lib/base/BaseTwilio.ts `getHostname` (e.g. api.sydney.au1.twilio.com).
 * Pipecat's Twilio serializer also requires region and edge together; we do the same rather than
 * guess twilio-node's implicit `us1` default, so a half-configured region fails at start-up.
 */
function resolveApiBaseUrl(options: ResolvedTwilioOptions): string {
  const { apiBaseUrl, region, edge } = options;
  if (apiBaseUrl !== TWILIO_DEFAULT_API_BASE_URL || region === undefined || edge === undefined) {
    return apiBaseUrl;
  }
  return `https://api.${edge}.${region}.twilio.com`;
}

/** Validates Twilio options; region and edge must come together. */
export const TwilioOptionsSchema = twilioOptionsObject
  .superRefine((options, ctx) => {
    if (options.region !== undefined && options.edge === undefined) {
      ctx.addIssue({ code: 'custom', path: ['edge'], message: 'edge is required when region is set' });
    }
    if (options.edge !== undefined && options.region === undefined) {
      ctx.addIssue({ code: 'custom', path: ['region'], message: 'region is required when edge is set' });
    }
  })
  .transform((options): ResolvedTwilioOptions => ({ ...options, apiBaseUrl: resolveApiBaseUrl(options) }));

/** Per-call params, given as `createSerializer(container, 'twilio', { ..., params })`. */
export const TwilioCallParamsSchema = z.strictObject({
  /**
   * Pipeline rate (Hz) for caller audio, 1000-384000 (what the codec's resamplers accept); by default
   * the start frame's `audioInSampleRate`.
   */
  sampleRate: pipelineSampleRateParam,
  /**
   * Hang the call up over REST on `end`/`cancel`. Needs `callId`, `accountSid` and `authToken`.
   * @default true
   */
  autoHangUp: autoHangUpParam,
});

export type TwilioCallParams = z.input<typeof TwilioCallParamsSchema>;
export type ResolvedTwilioCallParams = z.output<typeof TwilioCallParamsSchema>;

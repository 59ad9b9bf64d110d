import { noAutoHangUpParam, pipelineSampleRateParam } from '@callwire/kit';
import { z } from 'zod/v4';

/** Largest binary message Genesys takes, bytes (the Audio Connector sample splits audio above it). */
export const GENESYS_MAX_BINARY_BYTES = 64_000;
/** The only rate AudioHook and Audio Connector offer, Hz. */
export const GENESYS_SAMPLE_RATE = 8000;
/**
 * Milliseconds of audio in each outbound binary message by default: 1,600 bytes of PCMU, the size
 * Genesys itself sends (pipecat-ai/pipecat issue #3777) and the one Pipecat's docs recommend against
 * Genesys' 429 rate limiting.
 */
export const GENESYS_DEFAULT_FRAME_MS = 200;

/**
 * Options of `registerCarrier(container, genesys, options)`: the Audio Connector (or AudioHook)
 * integration's credentials. With `clientSecret` set, WebSocket upgrades must carry a valid HTTP
 * message signature (the server's `verifyUpgrade`); Genesys has no REST hang-up.
 */
export const GenesysOptionsSchema = z.strictObject({
  /** The integration's API key; upgrades must carry it in `X-API-KEY` (and as the signature's `keyid`). */
  apiKey: z.string().min(1).optional(),
  /** The integration's client secret (base64): the HMAC-SHA256 key of the upgrade signature. */
  clientSecret: z.string().min(1).optional(),
});

/** What users pass to `registerCarrier`. */
export type GenesysOptions = z.input<typeof GenesysOptionsSchema>;
/** The options with defaults filled in. */
export type ResolvedGenesysOptions = z.output<typeof GenesysOptionsSchema>;

/** Per-call params of `createSerializer(container, 'genesys', { streamId, callId?, params })`. */
export const GenesysCallParamsSchema = z.strictObject({
  /** Pipeline rate in Hz for caller audio; by default the start frame's `audioInSampleRate`. */
  sampleRate: pipelineSampleRateParam,
  /**
   * Genesys ends a session in the protocol (`disconnect`, sent on `end`/`cancel`), never over REST.
   * @default false
   */
  autoHangUp: noAutoHangUpParam(
    'Genesys has no REST hang-up: the call ends with an in-protocol disconnect; set autoHangUp to false',
  ),
  /**
   * Which channels reach the pipeline: `external` (the caller, mono) or `both` (a stereo frame,
   * external = channel 0, internal = channel 1; AudioHook offers both, Audio Connector external only).
   * @default 'external'
   */
  inboundChannels: z.enum(['external', 'both']).default('external'),
  /**
   * The format chosen when Genesys offers both (its wire is 8 kHz either way).
   * @default 'PCMU'
   */
  preferredFormat: z.enum(['PCMU', 'L16']).default('PCMU'),
  /**
   * Milliseconds of audio in each outbound binary message; every message has exactly this size (the
   * last one padded with silence), at most 64,000 bytes.
   * @default 200
   */
  outboundFrameMs: z.number().int().min(10).max(4000).default(GENESYS_DEFAULT_FRAME_MS),
  /** Languages offered in `opened` when `open` asks for them (`supportedLanguages: true`). */
  supportedLanguages: z.array(z.string().min(1)).optional(),
  /** The organization `open` named (kept for logs). */
  organizationId: z.string().optional(),
  /**
   * The organization the signed upgrade named (`Audiohook-Organization-Id`): an `open` naming
   * another one is answered with `disconnect` (`unauthorized`).
   */
  expectedOrganizationId: z.string().min(1).optional(),
});

/** Per-call params as users pass them. */
export type GenesysCallParams = z.input<typeof GenesysCallParamsSchema>;
/** Per-call params with defaults filled in. */
export type ResolvedGenesysCallParams = z.output<typeof GenesysCallParamsSchema>;

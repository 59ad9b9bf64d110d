import { noAutoHangUpParam, pipelineSampleRateParam } from '@callwire/kit';
import { z } from 'zod/v4';
import { asteriskWireFormat } from './formats.js';

/**
 * Options for `registerCarrier(container, asteriskWebSocket, options)`. chan_websocket has no REST API:
 * Callwire ends a call with the in-protocol `HANGUP` command. The only credentials are the ones Asterisk
 * presents on its upgrade.
 */
export const AsteriskWebSocketOptionsSchema = z.strictObject({
  /**
   * The `username` of the `websocket_client.conf` connection (HTTP basic auth on the upgrade). With
   * `wsPassword`, the server refuses chan_websocket upgrades that do not present both; without them it
   * refuses every chan_websocket stream (a stream token cannot reach Asterisk: it has no answer webhook).
   */
  wsUsername: z.string().min(1).optional(),
  /** The `password` of the `websocket_client.conf` connection. */
  wsPassword: z.string().min(1).optional(),
});

/** What users pass to `registerCarrier`. */
export type AsteriskWebSocketOptions = z.input<typeof AsteriskWebSocketOptionsSchema>;
/** The options with defaults filled in. */
export type ResolvedAsteriskWebSocketOptions = z.output<typeof AsteriskWebSocketOptionsSchema>;

/** Per-call params: what `MEDIA_START` said (the server fills them from it), plus the pipeline rate. */
export const AsteriskWebSocketCallParamsSchema = z.strictObject({
  /** Pipeline rate in Hz for caller audio; by default the start frame's `audioInSampleRate`. */
  sampleRate: pipelineSampleRateParam,
  /**
   * The channel's format as MEDIA_START names it (`ulaw`, `alaw`, `slin`, `slin16`, ... `slin192`).
   * Pass-through codecs (opus, speex, g729) and others are refused.
   * @default 'ulaw'
   */
  format: z
    .string()
    .default('ulaw')
    .refine((name) => asteriskWireFormat(name) !== undefined, {
      message:
        'must be ulaw, alaw, slin or slin12..slin192 (set the channel codec with c(ulaw) or c(slin16))',
    }),
  /** Bytes per frame (MEDIA_START `optimal_frame_size`); by default `ptime` ms of `format`. */
  optimalFrameSize: z.number().int().min(1).max(65_500).optional(),
  /** Milliseconds per frame (MEDIA_START `ptime`). @default 20 */
  ptime: z.number().int().min(1).max(1000).default(20),
  /** The control format chan_websocket speaks on this call (its `control_message_format`). @default 'json' */
  controlFormat: z.enum(['json', 'plain-text']).default('json'),
  /**
   * Most outbound audio bytes held while Asterisk's queue is full (`MEDIA_XOFF`) before newer audio is
   * dropped with a warning. @default 8 MiB (about 17 minutes of mu-law, 4 of slin16)
   */
  maxHeldBytes: z
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  /** Calls end with the in-protocol `HANGUP` command, never over REST. */
  autoHangUp: noAutoHangUpParam(
    'asterisk ends calls with the in-protocol HANGUP command (an end frame), not over REST',
  ),
});

/** Per-call params as users pass them. */
export type AsteriskWebSocketCallParams = z.input<typeof AsteriskWebSocketCallParamsSchema>;
/** Per-call params with defaults filled in. */
export type ResolvedAsteriskWebSocketCallParams = z.output<typeof AsteriskWebSocketCallParamsSchema>;

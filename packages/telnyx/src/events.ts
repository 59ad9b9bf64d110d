import { z } from 'zod/v4';

// Wire shapes of Telnyx Media Streaming (snake_case; `stream_id` at the top level). Sources:
//  [G] developers.telnyx.com/docs/voice/programmable-voice/media-streaming (the guide: connected, start,
//      media, stop, outbound media/clear/mark, inbound mark and dtmf, error with `payload`);
//  [A] developers.telnyx.com/api-reference/websockets/stream-call-media-over-websocket (AsyncAPI page:
//      lists dtmf, mark, error, stop);
//  [S] Telnyx's Java SDK docs (com.telnyx.sdk.api.CallCommandsApi, start streaming): the error frame
//      carries `error: { title, code: "100005", detail }`, where the guide shows `payload` with a numeric
//      code; both are accepted.
// Counters (`sequence_number`, `media.chunk`, `media.timestamp`) are strings on the wire [G]; numbers are
// tolerated because Callwire never computes with them.
const counter = z.union([z.string(), z.number()]);

/** Counter and stream id, on every message but `connected` [G]. */
const envelope = { sequence_number: counter.optional(), stream_id: z.string().optional() };

const errorDetails = z.object({
  // 100002 unknown_error, 100003 malformed_frame, 100004 invalid_media, 100005 rate_limit_reached [G].
  code: counter.optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
});

/** Stream metadata [G]; `media_format.encoding` is `PCMU`, `PCMA`, ... (older docs: `audio/x-mulaw`). */
export const TelnyxStartEventSchema = z.object({
  event: z.literal('start'),
  ...envelope,
  stream_id: z.string().min(1),
  start: z.object({
    call_control_id: z.string().min(1),
    user_id: z.string().optional(),
    call_session_id: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    tags: z.array(z.string()).optional(),
    client_state: z.string().optional(),
    custom_parameters: z.record(z.string(), z.unknown()).optional(),
    media_format: z
      .object({ encoding: z.string(), sample_rate: z.number().optional(), channels: z.number().optional() })
      .optional(),
  }),
});

/** Every message Telnyx sends on a media-streaming socket. */
export const TelnyxInboundEventSchema = z.discriminatedUnion('event', [
  // First message; carries no ids [G].
  z.object({ event: z.literal('connected'), version: z.string().optional() }),
  TelnyxStartEventSchema,
  // Call audio [G]; `track` is `inbound` or `outbound` (the latter only with `both_tracks`).
  z.object({
    event: z.literal('media'),
    ...envelope,
    media: z.object({
      track: z.string().optional(),
      chunk: counter.optional(),
      timestamp: counter.optional(),
      // Checked as standard padded base64 while decoding (one pass, no regex over the payload).
      payload: z.string(),
    }),
  }),
  // A key press [G]; `occurred_at` orders presses, which may arrive out of order.
  z.object({
    event: z.literal('dtmf'),
    ...envelope,
    occurred_at: z.string().optional(),
    dtmf: z.object({ digit: z.string() }),
  }),
  // Telnyx's answer to our `mark`: the media before it finished (or was cleared) [G].
  z.object({ event: z.literal('mark'), ...envelope, mark: z.object({ name: z.string().min(1) }) }),
  // The stream ended [G].
  z.object({
    event: z.literal('stop'),
    ...envelope,
    stop: z.object({ user_id: z.string().optional(), call_control_id: z.string().optional() }).optional(),
  }),
  // Something we sent was refused or the stream failed [G]/[S]; logged as a warning.
  z.object({
    event: z.literal('error'),
    ...envelope,
    payload: errorDetails.optional(),
    error: errorDetails.optional(),
  }),
]);

export type TelnyxInboundEvent = z.infer<typeof TelnyxInboundEventSchema>;

/** The `event` names Telnyx sends. */
export const TELNYX_INBOUND_EVENTS: ReadonlySet<string> = new Set(
  TelnyxInboundEventSchema.options.map((option) => option.shape.event.value),
);

/**
 * The G.711 coding a `start.media_format.encoding` names: `PCMU`/`PCMA` [G], or the MIME names
 * `audio/x-mulaw`/`audio/x-alaw` that older Telnyx docs showed (reference doc, unconfirmed).
 * `undefined` for anything else (G722, OPUS, L16, ...), which Callwire does not decode.
 */
export function telnyxEncodingOf(encoding: string): 'PCMU' | 'PCMA' | undefined {
  const name = encoding.trim().toLowerCase();
  if (name === 'pcmu' || name === 'audio/x-mulaw') return 'PCMU';
  if (name === 'pcma' || name === 'audio/x-alaw') return 'PCMA';
  return undefined;
}

/** `text` parsed as JSON, or `undefined` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Outbound, only with `stream_bidirectional_mode: "rtp"`. No stream id: the guide's examples carry none,
// and Pipecat's serializer sends none (pipecat-ai/pipecat src/pipecat/serializers/telnyx.py) [G].

/** Every message Callwire sends to Telnyx. */
export const TelnyxOutboundEventSchema = z.discriminatedUnion('event', [
  // Audio to play: the base64 (standard, padded) RTP payload in the stream's bidirectional codec, 20 ms
  // to 30 s per message [G].
  z.object({ event: z.literal('media'), media: z.object({ payload: z.base64() }) }),
  // Ask Telnyx to send the mark back once the media before it has played [G].
  z.object({ event: z.literal('mark'), mark: z.object({ name: z.string().min(1) }) }),
  // Stop playback and drop queued media; queued marks come back [G].
  z.object({ event: z.literal('clear') }),
]);

export type TelnyxOutboundEvent = z.infer<typeof TelnyxOutboundEventSchema>;

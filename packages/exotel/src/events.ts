import { z } from 'zod/v4';

// Wire shapes of Exotel's Voicebot (bidirectional) / Stream (unidirectional) applets.
// Source: developer.exotel.com/docs/agentstream/websocket-protocol (mirrored in
// github.com/rahulkumar-exo/exotel-docs docs/agentstream/websocket-protocol.md): numbers such as
// `sequence_number`, `chunk`, `timestamp`, `sample_rate` and `duration` are sent as strings.
// Exotel's own sample code (github.com/exotel/Agent-Stream, docs/AGENTSTREAM_WSS_PROTOCOL.md) warns
// that "exact field names can vary slightly by applet / Connect path" and reads `streamSid` as well
// as `stream_sid`, so the inbound schemas accept both spellings of the ids.

const id = z.string().min(1);
const numberLike = z.union([z.string(), z.number()]);

export const ExotelConnectedEventSchema = z.object({ event: z.literal('connected') });

export const ExotelStartEventSchema = z.object({
  event: z.literal('start'),
  sequence_number: numberLike.optional(),
  stream_sid: id.optional(),
  streamSid: id.optional(),
  start: z.object({
    stream_sid: id.optional(),
    streamSid: id.optional(),
    call_sid: id.optional(),
    callSid: id.optional(),
    account_sid: z.string().optional(),
    accountSid: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    custom_parameters: z.record(z.string(), z.unknown()).optional(),
    media_format: z
      .object({
        encoding: z.string().optional(),
        sample_rate: numberLike.optional(),
        bit_rate: numberLike.optional(),
      })
      .optional(),
  }),
});

export const ExotelMediaEventSchema = z.object({
  event: z.literal('media'),
  sequence_number: numberLike.optional(),
  stream_sid: id.optional(),
  media: z.object({
    chunk: numberLike.optional(),
    timestamp: numberLike.optional(),
    /**
     * Base64 of 16-bit little-endian mono PCM at the stream's sample rate. The serializer checks
     * it is standard padded base64 while decoding (cheaper than a regex pass here).
     */
    payload: z.string().min(1),
  }),
});

/** A keypress (Voicebot applet only). */
export const ExotelDtmfEventSchema = z.object({
  event: z.literal('dtmf'),
  sequence_number: numberLike.optional(),
  stream_sid: id.optional(),
  dtmf: z.object({ digit: z.string(), duration: numberLike.optional() }),
});

/** Exotel's acknowledgement that audio sent before our `mark` has been played (Voicebot only). */
export const ExotelMarkEventSchema = z.object({
  event: z.literal('mark'),
  sequence_number: numberLike.optional(),
  stream_sid: id.optional(),
  mark: z.object({ name: z.string().min(1) }),
});

/** The stream ended: `reason` is `stopped` (the applet ended) or `callended` (the caller hung up). */
export const ExotelStopEventSchema = z.object({
  event: z.literal('stop'),
  sequence_number: numberLike.optional(),
  stream_sid: id.optional(),
  stop: z
    .object({
      call_sid: z.string().optional(),
      account_sid: z.string().optional(),
      reason: z.string().optional(),
    })
    .optional(),
});

export const ExotelInboundEventSchema = z.discriminatedUnion('event', [
  ExotelConnectedEventSchema,
  ExotelStartEventSchema,
  ExotelMediaEventSchema,
  ExotelDtmfEventSchema,
  ExotelMarkEventSchema,
  ExotelStopEventSchema,
]);
export type ExotelInboundEvent = z.infer<typeof ExotelInboundEventSchema>;

/** The event names `ExotelInboundEventSchema` knows. */
export const EXOTEL_INBOUND_EVENTS: ReadonlySet<string> = new Set(
  ExotelInboundEventSchema.options.map((schema) => schema.shape.event.value),
);
export type ExotelStartEvent = z.infer<typeof ExotelStartEventSchema>;

// Outbound (Voicebot applet only). The documented key is `stream_sid`; Pipecat's serializer and
// Exotel's Agent-Stream samples send `streamSid` instead, which suggests Exotel ignores the id on a
// socket that carries one stream. We send the documented spelling.

export const ExotelOutboundMediaSchema = z.object({
  event: z.literal('media'),
  stream_sid: id,
  media: z.object({ payload: z.string().min(1) }),
});
export const ExotelOutboundMarkSchema = z.object({
  event: z.literal('mark'),
  stream_sid: id,
  mark: z.object({ name: z.string().min(1) }),
});
export const ExotelOutboundClearSchema = z.object({ event: z.literal('clear'), stream_sid: id });
export const ExotelOutboundEventSchema = z.discriminatedUnion('event', [
  ExotelOutboundMediaSchema,
  ExotelOutboundMarkSchema,
  ExotelOutboundClearSchema,
]);
export type ExotelOutboundEvent = z.infer<typeof ExotelOutboundEventSchema>;

/** The stream and call ids of a `start` event, whichever spelling Exotel used. */
export function exotelStartIds(start: ExotelStartEvent): {
  streamSid?: string;
  callSid?: string;
  accountSid?: string;
} {
  const streamSid = start.start.stream_sid ?? start.stream_sid ?? start.start.streamSid ?? start.streamSid;
  const callSid = start.start.call_sid ?? start.start.callSid;
  const accountSid = start.start.account_sid ?? start.start.accountSid;
  return {
    ...(streamSid !== undefined ? { streamSid } : {}),
    ...(callSid !== undefined ? { callSid } : {}),
    ...(accountSid !== undefined && accountSid !== '' ? { accountSid } : {}),
  };
}

import { z } from 'zod/v4';

// Wire shapes of Twilio Media Streams. Source for every inbound and outbound shape below:
// twilio.com/docs/voice/media-streams/websocket-messages ("Media Streams - WebSocket Messages").
// Twilio sends `sequenceNumber`, `media.chunk` and `media.timestamp` as STRINGS; numbers are
// tolerated too because Callwire never computes with them (a fake or proxy that sends numbers
// must not cost the caller's audio).
const counter = z.union([z.string(), z.number()]);

/**
 * A message Twilio sends after `connected`: `event`, then the two fields every such message may
 * carry (in this key order, which the media fast path reproduces), then its own `body`.
 */
function streamEvent<const Name extends string, Body extends z.ZodRawShape>(name: Name, body: Body) {
  return z.object({
    event: z.literal(name),
    sequenceNumber: counter.optional(),
    streamSid: z.string().optional(),
    ...body,
  });
}

/** First message on the socket; carries no ids. */
const connected = z.object({
  event: z.literal('connected'),
  protocol: z.string().optional(),
  version: z.string().optional(),
});

/** Stream metadata, sent once after `connected`. `customParameters` are the TwiML `<Parameter>`s. */
const start = streamEvent('start', {
  start: z.object({
    streamSid: z.string().min(1),
    callSid: z.string().min(1),
    accountSid: z.string().optional(),
    tracks: z.array(z.string()).optional(),
    customParameters: z.record(z.string(), z.unknown()).optional(),
    mediaFormat: z
      .object({ encoding: z.string(), sampleRate: z.number(), channels: z.number().optional() })
      .optional(),
  }),
});

/**
 * Caller audio: base64 mu-law, 8000 Hz, mono, no headers. `track` is `inbound` or `outbound`. The
 * payload is checked as standard padded base64 while decoding (one pass, no regex over it).
 */
const media = streamEvent('media', {
  media: z.object({
    track: z.string().optional(),
    chunk: counter.optional(),
    timestamp: counter.optional(),
    payload: z.string(),
  }),
});

/** A key press (bidirectional streams only); `track` is `inbound_track`. */
const dtmf = streamEvent('dtmf', { dtmf: z.object({ track: z.string().optional(), digit: z.string() }) });

/** Twilio's answer to our `mark`: audio sent before it has played (or was cleared). */
const mark = streamEvent('mark', { mark: z.object({ name: z.string().min(1) }) });

/** The stream ended (call hung up or stream stopped). */
const stop = streamEvent('stop', {
  stop: z.object({ accountSid: z.string().optional(), callSid: z.string().optional() }).optional(),
});

/** `start` alone: what `detectTwilioCall` reads the call's ids from. */
export const TwilioStartEventSchema = start;

/** Every message Twilio sends on a Media Streams socket. */
export const TwilioInboundEventSchema = z.discriminatedUnion('event', [
  connected,
  start,
  media,
  dtmf,
  mark,
  stop,
]);

/** The `event` names Twilio sends. */
export const TWILIO_INBOUND_EVENTS: ReadonlySet<string> = new Set(
  TwilioInboundEventSchema.options.map((option) => option.shape.event.value),
);

export type TwilioInboundEvent = z.infer<typeof TwilioInboundEventSchema>;

/** Every message Callwire sends to Twilio (anything else: error 31924, twilio.com/docs/api/errors/31924). */
export const TwilioOutboundEventSchema = z.discriminatedUnion('event', [
  // Audio to play: base64 mu-law 8000 Hz; only on `<Connect><Stream>` (bidirectional) streams.
  z.object({
    event: z.literal('media'),
    streamSid: z.string().min(1),
    media: z.object({ payload: z.base64() }),
  }),
  // Ask Twilio to send the mark back once everything sent before it has played.
  z.object({
    event: z.literal('mark'),
    streamSid: z.string().min(1),
    mark: z.object({ name: z.string().min(1) }),
  }),
  // Drop buffered audio; Twilio then sends back every pending mark.
  z.object({ event: z.literal('clear'), streamSid: z.string().min(1) }),
]);

export type TwilioOutboundEvent = z.infer<typeof TwilioOutboundEventSchema>;

import { z } from 'zod';

// Wire shapes of Twilio Media Streams. Source for every inbound and outbound shape below:
// twilio.com/docs/voice/media-streams/websocket-messages ("Media Streams - WebSocket Messages").
// Twilio sends `sequenceNumber`, `media.chunk` and `media.timestamp` as STRINGS; numbers are
// tolerated too because Callwire never computes with them (a fake or proxy that sends numbers
// must not cost the caller's audio).
const counter = z.union([z.string(), z.number()]);

/** Standard padded base64, as Twilio puts raw mu-law bytes in `media.payload`. */
const base64Payload = z.base64();

/** First message on the socket; carries no ids. */
export const TwilioConnectedEventSchema = z.object({
  event: z.literal('connected'),
  protocol: z.string().optional(),
  version: z.string().optional(),
});

/** Stream metadata, sent once after `connected`. `customParameters` are the TwiML `<Parameter>`s. */
export const TwilioStartEventSchema = z.object({
  event: z.literal('start'),
  sequenceNumber: counter.optional(),
  streamSid: z.string().optional(),
  start: z.object({
    streamSid: z.string().min(1),
    callSid: z.string().min(1),
    accountSid: z.string().optional(),
    tracks: z.array(z.string()).optional(),
    customParameters: z.record(z.string(), z.unknown()).optional(),
    mediaFormat: z
      .object({
        encoding: z.string(),
        sampleRate: z.number(),
        channels: z.number().optional(),
      })
      .optional(),
  }),
});

/** Caller audio: base64 mu-law, 8000 Hz, mono, no headers. `track` is `inbound` or `outbound`. */
export const TwilioMediaEventSchema = z.object({
  event: z.literal('media'),
  sequenceNumber: counter.optional(),
  streamSid: z.string().optional(),
  media: z.object({
    track: z.string().optional(),
    chunk: counter.optional(),
    timestamp: counter.optional(),
    // Checked as standard padded base64 while decoding (one pass, no regex over the payload).
    payload: z.string(),
  }),
});

/** A key press (bidirectional streams only); `track` is `inbound_track`. */
export const TwilioDtmfEventSchema = z.object({
  event: z.literal('dtmf'),
  sequenceNumber: counter.optional(),
  streamSid: z.string().optional(),
  dtmf: z.object({ track: z.string().optional(), digit: z.string() }),
});

/** Twilio's answer to our `mark`: audio sent before it has played (or was cleared). */
export const TwilioMarkEventSchema = z.object({
  event: z.literal('mark'),
  sequenceNumber: counter.optional(),
  streamSid: z.string().optional(),
  mark: z.object({ name: z.string().min(1) }),
});

/** The stream ended (call hung up or stream stopped). */
export const TwilioStopEventSchema = z.object({
  event: z.literal('stop'),
  sequenceNumber: counter.optional(),
  streamSid: z.string().optional(),
  stop: z.object({ accountSid: z.string().optional(), callSid: z.string().optional() }).optional(),
});

/** The `event` names Twilio sends. */
export const TWILIO_INBOUND_EVENTS: ReadonlySet<string> = new Set([
  'connected',
  'start',
  'media',
  'dtmf',
  'mark',
  'stop',
]);

/** Every message Twilio sends on a Media Streams socket. */
export const TwilioInboundEventSchema = z.discriminatedUnion('event', [
  TwilioConnectedEventSchema,
  TwilioStartEventSchema,
  TwilioMediaEventSchema,
  TwilioDtmfEventSchema,
  TwilioMarkEventSchema,
  TwilioStopEventSchema,
]);

export type TwilioInboundEvent = z.infer<typeof TwilioInboundEventSchema>;
export type TwilioStartEvent = z.infer<typeof TwilioStartEventSchema>;

/** Audio to play: base64 mu-law 8000 Hz; only on `<Connect><Stream>` (bidirectional) streams. */
export const TwilioOutboundMediaEventSchema = z.object({
  event: z.literal('media'),
  streamSid: z.string().min(1),
  media: z.object({ payload: base64Payload }),
});

/** Ask Twilio to send the mark back once everything sent before it has played. */
export const TwilioOutboundMarkEventSchema = z.object({
  event: z.literal('mark'),
  streamSid: z.string().min(1),
  mark: z.object({ name: z.string().min(1) }),
});

/** Drop buffered audio; Twilio then sends back every pending mark. */
export const TwilioOutboundClearEventSchema = z.object({
  event: z.literal('clear'),
  streamSid: z.string().min(1),
});

/** Every message Callwire sends to Twilio (anything else: error 31924, twilio.com/docs/api/errors/31924). */
export const TwilioOutboundEventSchema = z.discriminatedUnion('event', [
  TwilioOutboundMediaEventSchema,
  TwilioOutboundMarkEventSchema,
  TwilioOutboundClearEventSchema,
]);

export type TwilioOutboundEvent = z.infer<typeof TwilioOutboundEventSchema>;

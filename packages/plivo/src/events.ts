import { z } from 'zod/v4';

// Shapes from Plivo's Audio Streams protocol and its official stream SDK (plivo-stream-sdk-node,
// src/types.ts). Fields the serializer does not use are optional, so a field Plivo drops or adds
// never costs a call its audio; fields it uses are required and typed.

const sequenceNumber = z.number().int().nonnegative().optional();
const streamId = z.string().min(1).optional();
const extraHeaders = z.string().optional();

/** `start`: the first message of a stream, with its ids and the negotiated audio format. */
export const PlivoStartEventSchema = z.object({
  event: z.literal('start'),
  sequenceNumber,
  start: z.object({
    callId: z.string().min(1),
    streamId: z.string().min(1),
    accountId: z.string().optional(),
    tracks: z.array(z.string()).optional(),
    mediaFormat: z
      .object({
        /** `audio/x-mulaw` or `audio/x-l16` (possibly with `;rate=…`). */
        encoding: z.string(),
        /** Hz. */
        sampleRate: z.number().int().positive(),
      })
      .optional(),
  }),
  extra_headers: extraHeaders,
});

/** `media`: one chunk of caller audio, base64 of raw samples in the stream's encoding. */
export const PlivoMediaEventSchema = z.object({
  event: z.literal('media'),
  sequenceNumber,
  streamId,
  media: z.object({
    /** `inbound` (the caller) or `outbound` (what the call plays, with `audioTrack="both"`). */
    track: z.string().optional(),
    /** Milliseconds, as a string. */
    timestamp: z.union([z.string(), z.number()]).optional(),
    chunk: z.number().int().optional(),
    /**
     * Standard padded base64. The serializer checks it completely while decoding
     * (`decodeBase64Into` from `@callwire/codec`, the same strings `z.base64()` accepts), which
     * costs a fraction of a separate regex pass over every 20 ms frame.
     */
    payload: z.string(),
  }),
  extra_headers: extraHeaders,
});

/** `dtmf`: a key the caller pressed. The digit is checked by the serializer, which warns precisely. */
export const PlivoDtmfEventSchema = z.object({
  event: z.literal('dtmf'),
  sequenceNumber,
  streamId,
  dtmf: z.object({
    digit: z.string(),
    track: z.string().optional(),
    timestamp: z.union([z.string(), z.number()]).optional(),
  }),
  extra_headers: extraHeaders,
});

/**
 * `playedStream`: everything sent before the checkpoint `name` was played. An older Plivo support
 * article calls it `played`; both are accepted.
 */
export const PlivoPlayedStreamEventSchema = z.object({
  event: z.literal(['playedStream', 'played']),
  sequenceNumber,
  streamId,
  name: z.string().min(1),
});

/** `clearedAudio`: Plivo dropped the queued audio after a `clearAudio`. */
export const PlivoClearedAudioEventSchema = z.object({
  event: z.literal('clearedAudio'),
  sequenceNumber,
  streamId,
});

/**
 * `stop`: seen only in Plivo Labs code, not in the protocol reference; the socket closing is the
 * authoritative end of a stream.
 */
export const PlivoStopEventSchema = z.object({
  event: z.literal('stop'),
  sequenceNumber,
  streamId,
});

/** Every message Plivo sends on an Audio Stream. */
export const PlivoInboundEventSchema = z.discriminatedUnion('event', [
  PlivoStartEventSchema,
  PlivoMediaEventSchema,
  PlivoDtmfEventSchema,
  PlivoPlayedStreamEventSchema,
  PlivoClearedAudioEventSchema,
  PlivoStopEventSchema,
]);

/** The `event` names Plivo sends. */
export const PLIVO_INBOUND_EVENTS: ReadonlySet<string> = new Set(
  PlivoInboundEventSchema.options.flatMap((schema) => [...schema.shape.event.values]),
);

export type PlivoMediaEvent = z.infer<typeof PlivoMediaEventSchema>;
export type PlivoInboundEvent = z.infer<typeof PlivoInboundEventSchema>;

/** `playAudio`: audio for Plivo to queue and play (bidirectional streams only). */
export const PlivoPlayAudioSchema = z.object({
  event: z.literal('playAudio'),
  media: z.object({
    contentType: z.enum(['audio/x-mulaw', 'audio/x-l16']),
    /** Hz. */
    sampleRate: z.union([z.literal(8000), z.literal(16000)]),
    payload: z.base64().min(1),
  }),
  /** Not in Plivo's schema; sent as Pipecat does, and harmless. */
  streamId: z.string().min(1),
});

/** `checkpoint`: ask for a `playedStream` once everything sent so far has played. */
export const PlivoCheckpointSchema = z.object({
  event: z.literal('checkpoint'),
  streamId: z.string().min(1),
  name: z.string().min(1),
});

/** `clearAudio`: drop the queued audio (barge-in). */
export const PlivoClearAudioSchema = z.object({
  event: z.literal('clearAudio'),
  streamId: z.string().min(1),
});

/** `sendDTMF`: play keypad tones into the call (body as in plivo-labs agent-transport). */
export const PlivoSendDtmfSchema = z.object({
  event: z.literal('sendDTMF'),
  dtmf: z.string().regex(/^[0-9*#A-D]+$/),
});

/** Every message the serializer sends to Plivo (besides raw transport messages). */
export const PlivoOutboundEventSchema = z.discriminatedUnion('event', [
  PlivoPlayAudioSchema,
  PlivoCheckpointSchema,
  PlivoClearAudioSchema,
  PlivoSendDtmfSchema,
]);

export type PlivoOutboundEvent = z.infer<typeof PlivoOutboundEventSchema>;

/** An audio format Plivo streams: encoding and rate (Hz). */
export interface PlivoWireFormat {
  readonly contentType: 'audio/x-mulaw' | 'audio/x-l16';
  readonly sampleRate: 8000 | 16000;
}

/**
 * The format announced in `start.mediaFormat` (`encoding` may carry `;rate=…`, which the
 * `sampleRate` field overrides), or `undefined` when Plivo announces one it does not document.
 */
export function plivoWireFormat(mediaFormat: {
  encoding: string;
  sampleRate: number;
}): PlivoWireFormat | undefined {
  const encoding = mediaFormat.encoding.split(';')[0]?.trim().toLowerCase();
  const { sampleRate } = mediaFormat;
  if (encoding === 'audio/x-mulaw' && sampleRate === 8000) return { contentType: encoding, sampleRate };
  if (encoding === 'audio/x-l16' && (sampleRate === 8000 || sampleRate === 16000)) {
    return { contentType: encoding, sampleRate };
  }
  return undefined;
}

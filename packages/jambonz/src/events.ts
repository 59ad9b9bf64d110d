import { z } from 'zod/v4';

// Wire shapes of jambonz's `listen` verb in bidirectional streaming mode. Sources:
// docs.jambonz.org/verbs/verbs/listen and docs.jambonz.org/docs/webhooks/listen ("one text frame is
// sent immediately after the websocket connection is established ... all of the call attributes
// ... plus sampleRate and mixType"); jambonz/jambonz-feature-server `lib/tasks/listen.js` (the
// opening is `Object.assign({sampleRate, mixType}, callInfo.toJSON(), verb.metadata)`; DTMF with
// `passDtmf` is `{event: 'dtmf', dtmf, duration}`) and `lib/session/call-info.js` (the attributes);
// jambonz/freeswitch-modules `mod_audio_fork/lws_glue.cpp` (the commands it reads: `killAudio`,
// `mark`, `clearMarks`, `disconnect`, `playAudio`; the mark events it writes:
// `{"type": "mark", "data": {"name": …, "event": "playout"|"cleared"}}`).
//
// Messages from jambonz name their kind in `type`, except the opening (no kind at all) and DTMF
// (`event`); `withMessageType` gives those two a `type` so one discriminated union reads them all.

/** How jambonz mixes the call's audio into the stream (`mixType` of the listen verb). */
export const JambonzMixTypeSchema = z.enum(['mono', 'mixed', 'stereo']);
export type JambonzMixType = z.infer<typeof JambonzMixTypeSchema>;

/**
 * The first text frame: the call's attributes, `sampleRate` and `mixType`, and the listen verb's
 * `metadata` merged in at the top level.
 */
export const JambonzOpeningSchema = z.looseObject({
  callSid: z.string().min(1),
  sampleRate: z.number(),
  mixType: JambonzMixTypeSchema,
  from: z.string().optional(),
  to: z.string().optional(),
  direction: z.string().optional(),
  /** What the application set with the `tag` verb. */
  customerData: z.record(z.string(), z.unknown()).optional(),
});
export type JambonzOpening = z.infer<typeof JambonzOpeningSchema>;

/** The opening as the serializer reads it (with the `type` `withMessageType` gives it). */
export const JambonzMetadataEventSchema = JambonzOpeningSchema.extend({ type: z.literal('metadata') });

/** A mark we sent was played (`playout`), or dropped by `killAudio`/`clearMarks` (`cleared`). */
export const JambonzMarkEventSchema = z.object({
  type: z.literal('mark'),
  data: z.object({ name: z.string().min(1), event: z.enum(['playout', 'cleared']) }),
});

/** A keypress, sent only when the listen verb has `passDtmf: true`; `duration` is in samples at 8 kHz. */
export const JambonzDtmfEventSchema = z.object({
  type: z.literal('dtmf'),
  event: z.literal('dtmf'),
  dtmf: z.union([z.string(), z.number()]),
  duration: z.union([z.number(), z.string()]).optional(),
});

/** A `playAudio` file finished (non-streaming mode only; this carrier never sends `playAudio`). */
export const JambonzPlayDoneEventSchema = z.object({
  type: z.literal('playDone'),
  data: z.unknown().optional(),
});

const INBOUND_EVENT_SCHEMAS = [
  JambonzMetadataEventSchema,
  JambonzMarkEventSchema,
  JambonzDtmfEventSchema,
  JambonzPlayDoneEventSchema,
] as const;

/** Every text message jambonz sends on the socket (audio comes as binary messages). */
export const JambonzInboundEventSchema = z.discriminatedUnion('type', INBOUND_EVENT_SCHEMAS);
export type JambonzInboundEvent = z.infer<typeof JambonzInboundEventSchema>;

/** The message kinds `JambonzInboundEventSchema` knows, read from its members. */
export const JAMBONZ_INBOUND_EVENTS: ReadonlySet<string> = new Set(
  INBOUND_EVENT_SCHEMAS.map((schema) => schema.shape.type.value),
);

/**
 * `message` with a `type` where jambonz sends none: `dtmf` for `{"event":"dtmf"}`, `metadata` for the
 * opening (an object with `callSid` and `sampleRate`). Anything else is returned as it is.
 */
export function withMessageType(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return message;
  const record = message as Record<string, unknown>;
  if (record.type !== undefined) return message;
  if (record.event === 'dtmf') return { ...record, type: 'dtmf' };
  if (record.event === undefined && 'callSid' in record && 'sampleRate' in record) {
    return { ...record, type: 'metadata' };
  }
  return message;
}

/** Stops playback and drops the audio jambonz has buffered; it answers `cleared` for pending marks. */
export function jambonzKillAudioCommand(): string {
  return '{"type":"killAudio"}';
}

/** Asks for a `mark` event named `name` once the audio sent before it has played. */
export function jambonzMarkCommand(name: string): string {
  return JSON.stringify({ type: 'mark', data: { name } });
}

/** Drops the marks jambonz holds (each answered `cleared`), leaving the audio playing. */
export function jambonzClearMarksCommand(): string {
  return '{"type":"clearMarks"}';
}

/** Ends the listen verb: jambonz closes the socket and runs the application's next verb. */
export function jambonzDisconnectCommand(): string {
  return '{"type":"disconnect"}';
}

/** The text commands jambonz reads in streaming mode (audio goes out as binary messages). */
export const JambonzOutboundCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('killAudio') }),
  z.object({ type: z.literal('mark'), data: z.object({ name: z.string().min(1) }) }),
  z.object({ type: z.literal('clearMarks') }),
  z.object({ type: z.literal('disconnect'), data: z.unknown().optional() }),
]);
export type JambonzOutboundCommand = z.infer<typeof JambonzOutboundCommandSchema>;

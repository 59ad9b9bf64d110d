import { z } from 'zod/v4';

// Wire shapes of Genesys Cloud AudioHook (protocol version 2) and Audio Connector, which extends it.
// Source: purecloudlabs/audiohook-reference-implementation app/audiohook/src/protocol/{core,message}.ts
// (2871b01) for the envelope and the AudioHook types; Audio Connector's `dtmf`, `playback_started`,
// `playback_completed`, `inputVariables` and `outputVariables` from GenesysCloudBlueprints'
// audioconnector-server-reference-implementation and pipecat-ai/pipecat serializers/genesys.py.
// Client = Genesys Cloud (it opens and closes sessions); server = us.

/** An ISO-8601 duration in seconds, as Genesys writes positions: `PT12.34S`. */
export const GenesysDurationSchema = z.string().regex(/^PT\d+(?:\.\d+)?S$/);

const sequence = z.number().int().nonnegative();
const stringMap = z.record(z.string(), z.string());

/** What every message from Genesys carries around its parameters. */
const clientEnvelope = {
  version: z.literal('2'),
  id: z.string().min(1),
  seq: sequence,
  serverseq: sequence,
  position: GenesysDurationSchema,
};

function clientMessage<Type extends string, Shape extends z.ZodRawShape>(type: Type, parameters: Shape) {
  return z.object({ ...clientEnvelope, type: z.literal(type), parameters: z.object(parameters) });
}

/** One audio format Genesys offers in `open` (and we echo in `opened`). */
export const GenesysMediaSchema = z.object({
  type: z.literal('audio'),
  format: z.enum(['PCMU', 'L16']),
  channels: z
    .array(z.enum(['external', 'internal']))
    .min(1)
    .max(2),
  rate: z.literal(8000),
});
export type GenesysMedia = z.infer<typeof GenesysMediaSchema>;

/** Who the session is about: `ani` is the caller's number, `dnis` the number called. */
export const GenesysParticipantSchema = z.object({
  id: z.string().optional(),
  ani: z.string().optional(),
  aniName: z.string().optional(),
  dnis: z.string().optional(),
});

export const GenesysOpenMessageSchema = clientMessage('open', {
  organizationId: z.string().min(1),
  conversationId: z.string().min(1),
  participant: GenesysParticipantSchema,
  // Unknown formats (another codec, another rate) are kept out of negotiation, not a reason to refuse.
  media: z.array(z.unknown()),
  language: z.string().optional(),
  supportedLanguages: z.boolean().optional(),
  continuedSessions: z.array(z.unknown()).optional(),
  customConfig: z.record(z.string(), z.unknown()).optional(),
  inputVariables: z.record(z.string(), z.unknown()).optional(),
});
export type GenesysOpenMessage = z.infer<typeof GenesysOpenMessageSchema>;

export const GenesysCloseMessageSchema = clientMessage('close', {
  reason: z.enum(['end', 'error', 'disconnect', 'reconnect']),
});
export const GenesysPingMessageSchema = clientMessage('ping', { rtt: GenesysDurationSchema.optional() });
/** Genesys paused the audio stream (on our `pause`, or on its own: hold, secure pause). */
export const GenesysPausedMessageSchema = clientMessage('paused', {});
/** Genesys resumed the audio stream; `discarded` is how much audio it dropped while paused. */
export const GenesysResumedMessageSchema = clientMessage('resumed', {
  start: GenesysDurationSchema,
  discarded: GenesysDurationSchema,
});
/** Genesys dropped audio it could not send in time. */
export const GenesysDiscardedMessageSchema = clientMessage('discarded', {
  start: GenesysDurationSchema,
  discarded: GenesysDurationSchema,
});
export const GenesysUpdateMessageSchema = clientMessage('update', { language: z.string().min(1) });
/** An error Genesys reports; a 429 (rate limited) carries `retryAfter`. */
export const GenesysErrorMessageSchema = clientMessage('error', {
  code: z.union([
    z.literal(400),
    z.literal(405),
    z.literal(408),
    z.literal(409),
    z.literal(413),
    z.literal(415),
    z.literal(429),
    z.literal(500),
    z.literal(503),
  ]),
  message: z.string(),
  retryAfter: GenesysDurationSchema.optional(),
});
/** A keypress (Audio Connector). The digit is checked by the kit's DTMF guard. */
export const GenesysDtmfMessageSchema = clientMessage('dtmf', { digit: z.string() });
/** Audio Connector: Genesys started playing audio to the caller. Carries no id. */
export const GenesysPlaybackStartedMessageSchema = clientMessage('playback_started', {});
/** Audio Connector: Genesys finished playing audio to the caller. Carries no id. */
export const GenesysPlaybackCompletedMessageSchema = clientMessage('playback_completed', {});

export const GenesysInboundMessageSchema = z.discriminatedUnion('type', [
  GenesysOpenMessageSchema,
  GenesysCloseMessageSchema,
  GenesysPingMessageSchema,
  GenesysPausedMessageSchema,
  GenesysResumedMessageSchema,
  GenesysDiscardedMessageSchema,
  GenesysUpdateMessageSchema,
  GenesysErrorMessageSchema,
  GenesysDtmfMessageSchema,
  GenesysPlaybackStartedMessageSchema,
  GenesysPlaybackCompletedMessageSchema,
]);
export type GenesysInboundMessage = z.infer<typeof GenesysInboundMessageSchema>;

/** The message types `GenesysInboundMessageSchema` knows. */
export const GENESYS_INBOUND_TYPES: ReadonlySet<string> = new Set(
  GenesysInboundMessageSchema.options.map((schema) => schema.shape.type.value),
);

// Server -> client. Our messages carry `clientseq` (the last client seq seen) and no `position`
// (ServerMessageBase in the reference types; Pipecat adds one, which the reference does not define).

/** The event entities Audio Connector defines: `barge_in` (stop playing) and `bot_turn_response`. */
export const GenesysEventEntitySchema = z.object({ type: z.string().min(1), data: z.unknown() });

const serverParameters = {
  opened: z.object({
    media: z.array(GenesysMediaSchema).max(1),
    discardTo: GenesysDurationSchema.optional(),
    startPaused: z.boolean().optional(),
    supportedLanguages: z.array(z.string()).optional(),
  }),
  closed: z.object({}),
  pong: z.object({}),
  pause: z.object({}),
  resume: z.object({}),
  updated: z.object({}),
  reconnect: z.object({ info: z.string().optional() }),
  event: z.object({ entities: z.array(GenesysEventEntitySchema).min(1) }),
  disconnect: z.object({
    reason: z.enum(['completed', 'unauthorized', 'error']),
    info: z.string().optional(),
    outputVariables: stringMap.optional(),
  }),
} as const;

/** A message type we send. */
export type GenesysServerMessageType = keyof typeof serverParameters;

/** Every message we send, as Genesys reads it. */
export const GenesysServerMessageSchema = z.discriminatedUnion(
  'type',
  (Object.keys(serverParameters) as GenesysServerMessageType[]).map((type) =>
    z.strictObject({
      version: z.literal('2'),
      id: z.string().min(1),
      type: z.literal(type),
      seq: z.number().int().positive(),
      clientseq: sequence,
      parameters: serverParameters[type],
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
export type GenesysServerMessage = {
  readonly version: '2';
  readonly id: string;
  readonly type: GenesysServerMessageType;
  readonly seq: number;
  readonly clientseq: number;
  readonly parameters: Record<string, unknown>;
};

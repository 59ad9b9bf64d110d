import { z } from 'zod/v4';
import type { VonageSampleRate } from './options.js';

// Text messages of the Voice API WebSocket. Sources: Vonage's WebSocket guide
// (developer.vonage.com/en/voice/voice-api/concepts/websockets; its markdown source in
// github.com/Nexmo/nexmo-developer `_documentation/en/voice/voice-api/guides/websockets.md`):
// the first message is `websocket:connected` with `content-type` and the NCCO endpoint's
// `headers` flattened to the top level; DTMF arrives as {"event":"websocket:dtmf","digit":"5",
// "duration":260}, one digit per event. `clear`/`notify` and their `websocket:cleared` /
// `websocket:notify` answers: the AsyncAPI description of the same guide
// (asyncapi.apis.io/asyncapis/vonage/vonage-asyncapi) and Pipecat's serializers/vonage.py.

export const VonageConnectedEventSchema = z.looseObject({
  event: z.literal('websocket:connected'),
  'content-type': z.string().optional(),
});

/** A keypress. Pipecat also reads a nested `dtmf.digit`, so both shapes are accepted. */
export const VonageDtmfEventSchema = z.object({
  event: z.literal('websocket:dtmf'),
  digit: z.union([z.string(), z.number()]).optional(),
  duration: z.number().optional(),
  dtmf: z.object({ digit: z.union([z.string(), z.number()]).optional() }).optional(),
});

/** Vonage emptied its playback buffer after our `clear`. */
export const VonageClearedEventSchema = z.object({ event: z.literal('websocket:cleared') });

/** Everything queued before our `notify` has played; `payload` is the one we sent. */
export const VonageNotifyEventSchema = z.object({
  event: z.literal('websocket:notify'),
  payload: z.unknown().optional(),
});

const INBOUND_EVENT_SCHEMAS = [
  VonageConnectedEventSchema,
  VonageDtmfEventSchema,
  VonageClearedEventSchema,
  VonageNotifyEventSchema,
] as const;

/** Every text message Vonage sends on the socket (audio comes as binary messages). */
export const VonageInboundEventSchema = z.discriminatedUnion('event', INBOUND_EVENT_SCHEMAS);
export type VonageInboundEvent = z.infer<typeof VonageInboundEventSchema>;
export type VonageConnectedEvent = z.infer<typeof VonageConnectedEventSchema>;

/** The event names `VonageInboundEventSchema` knows, read from its members. */
export const VONAGE_INBOUND_EVENTS: ReadonlySet<string> = new Set(
  INBOUND_EVENT_SCHEMAS.map((schema) => schema.shape.event.value),
);

/**
 * `message` with `event: 'websocket:connected'` added when it is an older first message: Nexmo's
 * guide once described it as the headers plus `content-type` with no `event` field.
 */
export function withConnectedEvent(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return message;
  const record = message as Record<string, unknown>;
  if (record.event !== undefined || vonageRateOf(record['content-type']) === undefined) return message;
  return { ...record, event: 'websocket:connected' };
}

/** The rate (Hz) in a `content-type` such as `audio/l16;rate=16000`, when it is one Vonage streams at. */
export function vonageRateOf(contentType: unknown): VonageSampleRate | undefined {
  if (typeof contentType !== 'string') return undefined;
  const match = /^\s*audio\/l16\s*;\s*rate\s*=\s*(\d+)\s*$/i.exec(contentType);
  const rate = Number(match?.[1]);
  return rate === 8000 || rate === 16000 ? rate : undefined;
}

/** The `content-type` for an NCCO websocket endpoint at `sampleRate` Hz. */
export function vonageContentType(sampleRate: VonageSampleRate): string {
  return `audio/l16;rate=${sampleRate}`;
}

/** Tells Vonage to stop playback and drop the audio it has buffered; it answers `websocket:cleared`. */
export function vonageClearCommand(): string {
  return '{"action":"clear"}';
}

/** Asks Vonage for a `websocket:notify` echoing `{ name }` once the audio sent before it has played. */
export function vonageNotifyCommand(name: string): string {
  return JSON.stringify({ action: 'notify', payload: { name } });
}

/** Outbound text commands (audio goes out as binary frames). */
export const VonageOutboundCommandSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('clear') }),
  z.object({ action: z.literal('notify'), payload: z.unknown().optional() }),
]);
export type VonageOutboundCommand = z.infer<typeof VonageOutboundCommandSchema>;

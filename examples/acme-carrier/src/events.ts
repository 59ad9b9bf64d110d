import { z } from 'zod';

// Acme is invented: a JSON dialect in the usual shape (Twilio's, Plivo's), small enough to read at once.
// Every inbound message names its stream; audio is base64 mu-law at 8 kHz.

/** The names in `event` Acme sends; anything else is warned about once as unknown. */
export const ACME_INBOUND_EVENTS: ReadonlySet<string> = new Set(['start', 'media', 'dtmf', 'mark', 'stop']);

const streamId = z.string().min(1);

export const AcmeStartEventSchema = z.object({
  event: z.literal('start'),
  streamId,
  callId: z.string().min(1),
});

/** Every message Acme sends on the socket, told apart by `event`. */
export const AcmeInboundEventSchema = z.discriminatedUnion('event', [
  AcmeStartEventSchema,
  z.object({ event: z.literal('media'), streamId, media: z.object({ payload: z.string().min(1) }) }),
  z.object({ event: z.literal('dtmf'), streamId, digit: z.string() }),
  z.object({ event: z.literal('mark'), streamId, name: z.string().min(1) }),
  z.object({ event: z.literal('stop'), streamId }),
]);
export type AcmeInboundEvent = z.output<typeof AcmeInboundEventSchema>;

import { isJsonObject, isStringOrFiniteNumber } from '@callwire/kit';
import type { TwilioInboundEvent } from './events.js';

type TwilioMediaEvent = Extract<TwilioInboundEvent, { event: 'media' }>;

/**
 * A Twilio `media` message checked by hand: exactly what `TwilioInboundEventSchema` gives for it (the same
 * fields, values and key order; unknown keys dropped), or `undefined` to let the schema decide. It
 * accepts a strict subset of what the schema accepts (`media-fast-path.test.ts` checks that on
 * random and mutated messages). `json` is `JSON.parse` output, so no value is `undefined`.
 */
export function twilioMediaFastPath(json: unknown): TwilioMediaEvent | undefined {
  if (!isJsonObject(json) || json.event !== 'media') return undefined;
  const { sequenceNumber, streamSid, media } = json;
  if (!isJsonObject(media)) return undefined;
  const { track, chunk, timestamp, payload } = media;
  if (typeof payload !== 'string') return undefined;
  if (track !== undefined && typeof track !== 'string') return undefined;
  if (chunk !== undefined && !isStringOrFiniteNumber(chunk)) return undefined;
  if (timestamp !== undefined && !isStringOrFiniteNumber(timestamp)) return undefined;
  if (sequenceNumber !== undefined && !isStringOrFiniteNumber(sequenceNumber)) return undefined;
  if (streamSid !== undefined && typeof streamSid !== 'string') return undefined;

  // Built in the schema's key order, each optional field only when present (as zod does).
  const checkedMedia: Partial<TwilioMediaEvent['media']> = {};
  if (track !== undefined) checkedMedia.track = track;
  if (chunk !== undefined) checkedMedia.chunk = chunk;
  if (timestamp !== undefined) checkedMedia.timestamp = timestamp;
  checkedMedia.payload = payload;
  const event: Partial<TwilioMediaEvent> = { event: 'media' };
  if (sequenceNumber !== undefined) event.sequenceNumber = sequenceNumber;
  if (streamSid !== undefined) event.streamSid = streamSid;
  event.media = checkedMedia as TwilioMediaEvent['media'];
  return event as TwilioMediaEvent;
}

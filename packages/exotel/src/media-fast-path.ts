import { isJsonObject, isStringOrFiniteNumber } from '@callwire/kit';
import type { ExotelInboundEvent } from './events.js';

type ExotelMediaEvent = Extract<ExotelInboundEvent, { event: 'media' }>;

/**
 * An Exotel `media` message checked by hand: exactly what `ExotelInboundEventSchema` gives for it (the same
 * fields, values and key order; unknown keys dropped), or `undefined` to let the schema decide. It
 * accepts a strict subset of what the schema accepts (`media-fast-path.test.ts` checks that on
 * random and mutated messages). `json` is `JSON.parse` output, so no value is `undefined`.
 */
export function exotelMediaFastPath(json: unknown): ExotelMediaEvent | undefined {
  if (!isJsonObject(json) || json.event !== 'media') return undefined;
  const { sequence_number: sequenceNumber, stream_sid: streamSid, media } = json;
  if (!isJsonObject(media)) return undefined;
  const { chunk, timestamp, payload } = media;
  if (typeof payload !== 'string' || payload.length === 0) return undefined;
  if (chunk !== undefined && !isStringOrFiniteNumber(chunk)) return undefined;
  if (timestamp !== undefined && !isStringOrFiniteNumber(timestamp)) return undefined;
  if (sequenceNumber !== undefined && !isStringOrFiniteNumber(sequenceNumber)) return undefined;
  if (streamSid !== undefined && !(typeof streamSid === 'string' && streamSid.length > 0)) return undefined;

  // Built in the schema's key order, each optional field only when present (as zod does).
  const checkedMedia: Partial<ExotelMediaEvent['media']> = {};
  if (chunk !== undefined) checkedMedia.chunk = chunk;
  if (timestamp !== undefined) checkedMedia.timestamp = timestamp;
  checkedMedia.payload = payload;
  const event: Partial<ExotelMediaEvent> = { event: 'media' };
  if (sequenceNumber !== undefined) event.sequence_number = sequenceNumber;
  if (streamSid !== undefined) event.stream_sid = streamSid;
  event.media = checkedMedia as ExotelMediaEvent['media'];
  return event as ExotelMediaEvent;
}

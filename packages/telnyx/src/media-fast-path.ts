import { isJsonObject, isStringOrFiniteNumber } from '@callwire/kit';
import type { TelnyxInboundEvent } from './events.js';

type TelnyxMediaEvent = Extract<TelnyxInboundEvent, { event: 'media' }>;

/**
 * A Telnyx `media` message checked by hand: exactly what `TelnyxInboundEventSchema` gives for it (the same
 * fields, values and key order; unknown keys dropped), or `undefined` to let the schema decide. It
 * accepts a strict subset of what the schema accepts (`media-fast-path.test.ts` checks that on
 * random and mutated messages). `json` is `JSON.parse` output, so no value is `undefined`.
 */
export function telnyxMediaFastPath(json: unknown): TelnyxMediaEvent | undefined {
  if (!isJsonObject(json) || json.event !== 'media') return undefined;
  const { sequence_number: sequenceNumber, stream_id: streamId, media } = json;
  if (!isJsonObject(media)) return undefined;
  const { track, chunk, timestamp, payload } = media;
  if (typeof payload !== 'string') return undefined;
  if (track !== undefined && typeof track !== 'string') return undefined;
  if (chunk !== undefined && !isStringOrFiniteNumber(chunk)) return undefined;
  if (timestamp !== undefined && !isStringOrFiniteNumber(timestamp)) return undefined;
  if (sequenceNumber !== undefined && !isStringOrFiniteNumber(sequenceNumber)) return undefined;
  if (streamId !== undefined && typeof streamId !== 'string') return undefined;

  // Built in the schema's key order, each optional field only when present (as zod does).
  const checkedMedia: Partial<TelnyxMediaEvent['media']> = {};
  if (track !== undefined) checkedMedia.track = track;
  if (chunk !== undefined) checkedMedia.chunk = chunk;
  if (timestamp !== undefined) checkedMedia.timestamp = timestamp;
  checkedMedia.payload = payload;
  const event: Partial<TelnyxMediaEvent> = { event: 'media' };
  if (sequenceNumber !== undefined) event.sequence_number = sequenceNumber;
  if (streamId !== undefined) event.stream_id = streamId;
  event.media = checkedMedia as TelnyxMediaEvent['media'];
  return event as TelnyxMediaEvent;
}

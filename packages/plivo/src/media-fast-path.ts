import { isJsonObject, isStringOrFiniteNumber } from '@callwire/kit';
import type { PlivoMediaEvent } from './events.js';

/** What `z.number().int().nonnegative()` accepts (zod's `int` is a safe integer). */
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * A Plivo `media` message checked by hand: exactly what `PlivoInboundEventSchema` gives for it
 * (the same fields, values and key order; unknown keys dropped), or `undefined` to let the schema
 * decide. It accepts a strict subset of what the schema accepts (`media-fast-path.test.ts` checks
 * that on random and mutated messages). `json` is `JSON.parse` output, so no value is `undefined`.
 */
export function plivoMediaFastPath(json: unknown): PlivoMediaEvent | undefined {
  if (!isJsonObject(json) || json.event !== 'media') return undefined;
  const { sequenceNumber, streamId, media, extra_headers: extraHeaders } = json;
  if (!isJsonObject(media)) return undefined;
  const { track, timestamp, chunk, payload } = media;
  if (typeof payload !== 'string') return undefined;
  if (track !== undefined && typeof track !== 'string') return undefined;
  if (timestamp !== undefined && !isStringOrFiniteNumber(timestamp)) return undefined;
  if (chunk !== undefined && !(typeof chunk === 'number' && Number.isSafeInteger(chunk))) return undefined;
  if (sequenceNumber !== undefined && !isCount(sequenceNumber)) return undefined;
  if (streamId !== undefined && !(typeof streamId === 'string' && streamId.length > 0)) return undefined;
  if (extraHeaders !== undefined && typeof extraHeaders !== 'string') return undefined;

  // Built in the schema's key order, each optional field only when present (as zod does).
  const checkedMedia: Partial<PlivoMediaEvent['media']> = {};
  if (track !== undefined) checkedMedia.track = track;
  if (timestamp !== undefined) checkedMedia.timestamp = timestamp;
  if (chunk !== undefined) checkedMedia.chunk = chunk;
  checkedMedia.payload = payload;
  const event: Partial<PlivoMediaEvent> = { event: 'media' };
  if (sequenceNumber !== undefined) event.sequenceNumber = sequenceNumber;
  if (streamId !== undefined) event.streamId = streamId;
  event.media = checkedMedia as PlivoMediaEvent['media'];
  if (extraHeaders !== undefined) event.extra_headers = extraHeaders;
  return event as PlivoMediaEvent;
}

import { isJsonObject, isStringOrFiniteNumber } from '@callwire/kit';
import type { ExotelInboundEvent } from './events.js';

type ExotelMediaEvent = Extract<ExotelInboundEvent, { event: 'media' }>;

/** The keys of a `media` message and of its `media` object, in the schema's order. */
const EVENT_KEYS = ['event', 'sequence_number', 'stream_sid'] as const;
const MEDIA_KEYS = ['chunk', 'timestamp', 'payload'] as const;

/** The `keys` of `source` that are present, in the order of `keys`: the object zod builds from them. */
function presentKeys(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}

/** Absent, a string or a finite number: what the schema's `numberLike.optional()` takes. */
const isOptionalNumberLike = (value: unknown) => value === undefined || isStringOrFiniteNumber(value);

/**
 * An Exotel `media` message checked by hand: exactly what `ExotelInboundEventSchema` gives for it
 * (the same fields, values and key order; unknown keys dropped), or `undefined` to let the schema
 * decide. It accepts a strict subset of what the schema accepts (`media-fast-path.test.ts` checks
 * that on random and mutated messages). `json` is `JSON.parse` output, so no value is `undefined`.
 */
export function exotelMediaFastPath(json: unknown): ExotelMediaEvent | undefined {
  if (!isJsonObject(json) || json.event !== 'media') return undefined;
  const { media, stream_sid: streamSid } = json;
  if (!isJsonObject(media) || typeof media.payload !== 'string' || media.payload === '') return undefined;
  if (streamSid !== undefined && (typeof streamSid !== 'string' || streamSid === '')) return undefined;
  if (!isOptionalNumberLike(json.sequence_number)) return undefined;
  if (!isOptionalNumberLike(media.chunk) || !isOptionalNumberLike(media.timestamp)) return undefined;
  const event = presentKeys(json, EVENT_KEYS);
  event.media = presentKeys(media, MEDIA_KEYS);
  return event as ExotelMediaEvent;
}

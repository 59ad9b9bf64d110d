import { isJsonObject, isStringOrFiniteNumber } from '@callwire/kit';
import type { TelnyxInboundEvent } from './events.js';

type TelnyxMediaEvent = Extract<TelnyxInboundEvent, { event: 'media' }>;
type FieldCheck = readonly [key: string, check: (value: unknown) => boolean];

const isString = (value: unknown) => typeof value === 'string';
/** The optional fields of the message and of its `media`, in the schema's key order, and their checks. */
const ENVELOPE_FIELDS: readonly FieldCheck[] = [
  ['sequence_number', isStringOrFiniteNumber],
  ['stream_id', isString],
];
const MEDIA_FIELDS: readonly FieldCheck[] = [
  ['track', isString],
  ['chunk', isStringOrFiniteNumber],
  ['timestamp', isStringOrFiniteNumber],
];

/** The `fields` of `from` that are present, in order, or `undefined` when one fails its check. */
function presentFields(from: Record<string, unknown>, fields: readonly FieldCheck[]) {
  const out: Record<string, unknown> = {};
  for (const [key, check] of fields) {
    const value = from[key];
    if (value === undefined) continue;
    if (!check(value)) return undefined;
    out[key] = value;
  }
  return out;
}

/**
 * A Telnyx `media` message checked by hand: exactly what `TelnyxInboundEventSchema` gives for it (the
 * same fields, values and key order; unknown keys dropped), or `undefined` to let the schema decide. It
 * accepts a strict subset of what the schema accepts (`media-fast-path.test.ts` checks that on
 * random and mutated messages). `json` is `JSON.parse` output, so no value is `undefined`.
 */
export function telnyxMediaFastPath(json: unknown): TelnyxMediaEvent | undefined {
  if (!isJsonObject(json) || json.event !== 'media' || !isJsonObject(json.media)) return undefined;
  const { payload } = json.media;
  if (typeof payload !== 'string') return undefined;
  const envelope = presentFields(json, ENVELOPE_FIELDS);
  const media = presentFields(json.media, MEDIA_FIELDS);
  if (envelope === undefined || media === undefined) return undefined;
  return { event: 'media', ...envelope, media: { ...media, payload } } as TelnyxMediaEvent;
}

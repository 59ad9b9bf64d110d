import { isJsonObject, isStringOrFiniteNumber } from '@callwire/kit';
import type { TwilioInboundEvent } from './events.js';

type TwilioMediaEvent = Extract<TwilioInboundEvent, { event: 'media' }>;

/** An optional counter: absent, a string or a finite number (what `counter.optional()` accepts). */
const isCounter = (value: unknown) => value === undefined || isStringOrFiniteNumber(value);
/** An optional string. */
const isText = (value: unknown) => value === undefined || typeof value === 'string';

/** `fields` in their key order, each only when present: the object zod builds from them. */
function present<Fields extends object>(fields: Fields): Fields {
  const out: Partial<Fields> = {};
  for (const key in fields) if (fields[key] !== undefined) out[key] = fields[key];
  return out as Fields;
}

/**
 * A Twilio `media` message checked by hand: exactly what `TwilioInboundEventSchema` gives for it (the same
 * fields, values and key order; unknown keys dropped), or `undefined` to let the schema decide. It
 * accepts a strict subset of what the schema accepts (`media-fast-path.test.ts` checks that on
 * random and mutated messages). `json` is `JSON.parse` output, so no value is `undefined`.
 */
export function twilioMediaFastPath(json: unknown): TwilioMediaEvent | undefined {
  if (!isJsonObject(json) || json.event !== 'media' || !isJsonObject(json.media)) return undefined;
  const { sequenceNumber, streamSid } = json;
  const { track, chunk, timestamp, payload } = json.media;
  if (typeof payload !== 'string' || !isText(track) || !isText(streamSid)) return undefined;
  if (!isCounter(chunk) || !isCounter(timestamp) || !isCounter(sequenceNumber)) return undefined;
  const media = present({ track, chunk, timestamp, payload });
  return present({ event: 'media', sequenceNumber, streamSid, media }) as TwilioMediaEvent;
}

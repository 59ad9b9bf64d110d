import { describeIssues, type WireMessage } from '@callwire/core';
import type { z } from 'zod/v4';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `value` as a short quoted string for a log line (at most `length` characters of it). */
export function previewValue(value: unknown, length = 64): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > length ? `${text.slice(0, length)}…` : text);
}

/** How a carrier's JSON text messages are recognised and validated. */
export interface InboundMessageSpec<Event> {
  /** Carrier name, prefixed to every warning: `[acme] ...`. */
  readonly carrier: string;
  /** The names the carrier's messages carry in `eventKey`; anything else is an unknown event. */
  readonly events: ReadonlySet<string>;
  /**
   * The field that names a message's kind (Genesys: `type`).
   * @default 'event'
   */
  readonly eventKey?: string;
  /** The zod schema of every inbound event (a discriminated union on `event`). */
  readonly schema: z.ZodType<Event>;
  /** Longest message accepted, in characters (or bytes for binary input). */
  readonly maxChars?: number;
  /** Reports a problem once per `kind` (core's `createWarnOnce`). */
  readonly warnOnce: (kind: string, message: string) => void;
  /** Rewrites the parsed JSON before validation (e.g. a carrier's older message shape). */
  readonly normalize?: (json: unknown) => unknown;
  /**
   * Reads a text message that is not JSON (a carrier's plain-text dialect) into the object its JSON
   * form would parse to, or `undefined` when it is not one either. Must not throw.
   */
  readonly plainText?: (text: string) => unknown;
  /**
   * A cheap hand-written check of the commonest message (a carrier's `media`) that gives exactly
   * what `schema` gives, or `undefined` to let `schema` decide. It may decline anything, but must
   * never accept what `schema` refuses: each carrier proves that with a property test.
   */
  readonly fastPath?: (json: unknown) => Event | undefined;
}

/**
 * Parses one carrier text message into a validated event, or warns once per kind of problem
 * (oversized, not UTF-8, not JSON, unknown event, malformed event) and returns `undefined`.
 * Carriers send JSON as text frames; a socket library may still hand them over as bytes. Never throws.
 */
export function parseInboundMessage<Event>(
  spec: InboundMessageSpec<Event>,
  data: WireMessage,
): Event | undefined {
  const { carrier, warnOnce } = spec;
  const size = typeof data === 'string' ? data.length : data.byteLength;
  if (spec.maxChars !== undefined && size > spec.maxChars) {
    warnOnce('oversized', `[${carrier}] ignoring a ${size}-character message (limit ${spec.maxChars})`);
    return undefined;
  }
  let text: string;
  if (typeof data === 'string') {
    text = data;
  } else {
    try {
      text = utf8.decode(data);
    } catch {
      warnOnce('binary', `[${carrier}] ignoring a ${data.byteLength}-byte binary message that is not UTF-8`);
      return undefined;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = spec.plainText?.(text);
    if (json === undefined) {
      warnOnce('bad-json', `[${carrier}] ignoring a message that is not JSON: ${previewValue(text)}`);
      return undefined;
    }
  }
  if (spec.normalize) json = spec.normalize(json);
  const event = (json as Record<string, unknown> | null)?.[spec.eventKey ?? 'event'];
  if (typeof event !== 'string' || !spec.events.has(event)) {
    warnOnce('unknown-event', `[${carrier}] ignoring an unknown event ${previewValue(event)}`);
    return undefined;
  }
  const fast = spec.fastPath?.(json);
  if (fast !== undefined) return fast;
  const parsed = spec.schema.safeParse(json);
  if (!parsed.success) {
    warnOnce(
      `invalid-${event}`,
      `[${carrier}] ignoring a malformed "${event}": ${describeIssues(parsed.error)}`,
    );
    return undefined;
  }
  return parsed.data;
}

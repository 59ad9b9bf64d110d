import { z } from 'zod/v4';

// Control messages of Asterisk's WebSocket channel driver. Source: asterisk/asterisk
// `channels/chan_websocket.c` (master f0c1c1a, 2026-08-06): the `_create_event_*` printers and
// `handle_command`. JSON events are `{"event":NAME,"channel_id":...,...}`; the plain-text format (the
// default, deprecated) prints `NAME key:value key:value` on one line, except MEDIA_MARK_PROCESSED and
// MEDIA_BUFFERING_COMPLETED (`NAME <correlation id>`) and the no-data events (`NAME`). Names are
// case-sensitive. There is no hang-up event: the socket closing is the hang-up.

/** The first message: the channel's media format and frame size (`channel_variables` in JSON only). */
export const AsteriskMediaStartEventSchema = z.object({
  event: z.literal('MEDIA_START'),
  connection_id: z.string().optional(),
  channel: z.string().optional(),
  channel_id: z.string().optional(),
  format: z.string().min(1),
  optimal_frame_size: z.coerce.number().int().nonnegative(),
  ptime: z.coerce.number().int().positive().optional(),
  channel_variables: z.record(z.string(), z.unknown()).optional(),
});

/** A keypress ended (`digit` is one character). */
export const AsteriskDtmfEndEventSchema = z.object({
  event: z.literal('DTMF_END'),
  channel_id: z.string().optional(),
  digit: z.string(),
});

/** Asterisk's outbound queue reached its XOFF level (900 of 1000 frames): stop sending media. */
export const AsteriskMediaXoffEventSchema = z.object({
  event: z.literal('MEDIA_XOFF'),
  channel_id: z.string().optional(),
});

/** The queue fell below its XON level (800 frames): media may flow again. */
export const AsteriskMediaXonEventSchema = z.object({
  event: z.literal('MEDIA_XON'),
  channel_id: z.string().optional(),
});

/** The answer to `GET_STATUS`. Plain text prints the booleans as `true`/`false`. */
export const AsteriskStatusEventSchema = z.object({
  event: z.literal('STATUS'),
  channel_id: z.string().optional(),
  queue_length: z.coerce.number().int().nonnegative(),
  xon_level: z.coerce.number().int().optional(),
  xoff_level: z.coerce.number().int().optional(),
  queue_full: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  bulk_media: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  media_paused: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
});

/** The media sent before a `MARK_MEDIA` has been played. */
export const AsteriskMediaMarkProcessedEventSchema = z.object({
  event: z.literal('MEDIA_MARK_PROCESSED'),
  channel_id: z.string().optional(),
  correlation_id: z.string().optional(),
});

/** `STOP_MEDIA_BUFFERING` took effect. */
export const AsteriskMediaBufferingCompletedEventSchema = z.object({
  event: z.literal('MEDIA_BUFFERING_COMPLETED'),
  channel_id: z.string().optional(),
  correlation_id: z.string().optional(),
});

/** The queue emptied after `REPORT_QUEUE_DRAINED`. */
export const AsteriskQueueDrainedEventSchema = z.object({
  event: z.literal('QUEUE_DRAINED'),
  channel_id: z.string().optional(),
});

/** Asterisk refused a command. */
export const AsteriskErrorEventSchema = z.object({
  event: z.literal('ERROR'),
  channel_id: z.string().optional(),
  error_text: z.string().optional(),
});

const INBOUND_EVENT_SCHEMAS = [
  AsteriskMediaStartEventSchema,
  AsteriskDtmfEndEventSchema,
  AsteriskMediaXoffEventSchema,
  AsteriskMediaXonEventSchema,
  AsteriskStatusEventSchema,
  AsteriskMediaMarkProcessedEventSchema,
  AsteriskMediaBufferingCompletedEventSchema,
  AsteriskQueueDrainedEventSchema,
  AsteriskErrorEventSchema,
] as const;

/** Every control message chan_websocket sends (media comes as binary messages). */
export const AsteriskInboundEventSchema = z.discriminatedUnion('event', INBOUND_EVENT_SCHEMAS);
export type AsteriskInboundEvent = z.infer<typeof AsteriskInboundEventSchema>;
export type AsteriskMediaStartEvent = z.infer<typeof AsteriskMediaStartEventSchema>;

/** The event names `AsteriskInboundEventSchema` knows. */
export const ASTERISK_INBOUND_EVENTS: ReadonlySet<string> = new Set(
  INBOUND_EVENT_SCHEMAS.map((schema) => schema.shape.event.value),
);

/** Events whose plain-text form is `NAME <correlation id>` rather than `key:value` pairs. */
const CORRELATION_EVENTS = new Set(['MEDIA_MARK_PROCESSED', 'MEDIA_BUFFERING_COMPLETED']);
/** A plain-text line is one short line; anything longer is not Asterisk's. */
const MAX_PLAIN_TEXT_CHARS = 4096;

/**
 * A plain-text control message (`MEDIA_START connection_id:c1 format:ulaw ...`) as the object its JSON
 * form would be, or `undefined` when it is not one. `error_text` takes the rest of the line (it may hold
 * spaces). Never throws.
 */
export function parseAsteriskPlainText(text: string): Record<string, string> | undefined {
  if (text.length === 0 || text.length > MAX_PLAIN_TEXT_CHARS || /[\r\n]/.test(text.trimEnd())) {
    return undefined;
  }
  const line = text.trim();
  const space = line.indexOf(' ');
  const event = space < 0 ? line : line.slice(0, space);
  if (!ASTERISK_INBOUND_EVENTS.has(event)) return undefined;
  const message: Record<string, string> = { event };
  const rest = space < 0 ? '' : line.slice(space + 1).trim();
  if (CORRELATION_EVENTS.has(event)) {
    if (rest !== '') message.correlation_id = rest;
    return message;
  }
  let remaining = rest;
  while (remaining !== '') {
    const colon = remaining.indexOf(':');
    if (colon <= 0) return undefined;
    const key = remaining.slice(0, colon);
    if (/\s/.test(key) || key === 'event' || key === '__proto__') return undefined;
    const after = remaining.slice(colon + 1);
    if (key === 'error_text') {
      message[key] = after;
      break;
    }
    const end = after.search(/\s/);
    message[key] = end < 0 ? after : after.slice(0, end);
    remaining = end < 0 ? '' : after.slice(end).trimStart();
  }
  return message;
}

/** How the call's control messages are written: chan_websocket's `control_message_format`. */
export type AsteriskControlFormat = 'json' | 'plain-text';

/** Commands Callwire sends (chan_websocket `handle_command`). */
export type AsteriskCommandName =
  | 'ANSWER'
  | 'HANGUP'
  | 'START_MEDIA_BUFFERING'
  | 'STOP_MEDIA_BUFFERING'
  | 'FLUSH_MEDIA'
  | 'PAUSE_MEDIA'
  | 'CONTINUE_MEDIA'
  | 'MARK_MEDIA'
  | 'GET_STATUS'
  | 'REPORT_QUEUE_DRAINED';

/**
 * A command in the call's control format: `{"command":"MARK_MEDIA","correlation_id":"x"}` in JSON,
 * `MARK_MEDIA x` in plain text (`handle_command` takes what follows the first space as the id).
 */
export function asteriskCommand(
  format: AsteriskControlFormat,
  command: AsteriskCommandName,
  correlationId?: string,
): string {
  if (format === 'plain-text') return correlationId === undefined ? command : `${command} ${correlationId}`;
  return JSON.stringify(
    correlationId === undefined ? { command } : { command, correlation_id: correlationId },
  );
}

/**
 * Longest text message chan_websocket reads, in bytes (`MAX_TEXT_MESSAGE_LEN`: `MIN(128, ...)`);
 * a longer one is logged and ignored.
 */
export const ASTERISK_MAX_COMMAND_BYTES = 128;

/** Outbound commands as Asterisk reads them (JSON form). */
export const AsteriskOutboundCommandSchema = z.object({
  command: z.enum([
    'ANSWER',
    'HANGUP',
    'START_MEDIA_BUFFERING',
    'STOP_MEDIA_BUFFERING',
    'FLUSH_MEDIA',
    'PAUSE_MEDIA',
    'CONTINUE_MEDIA',
    'MARK_MEDIA',
    'GET_STATUS',
    'REPORT_QUEUE_DRAINED',
    'SET_MEDIA_DIRECTION',
  ]),
  correlation_id: z.string().optional(),
  direction: z.enum(['in', 'out', 'both']).optional(),
});
export type AsteriskOutboundCommand = z.infer<typeof AsteriskOutboundCommandSchema>;

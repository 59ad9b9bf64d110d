import { ASTERISK_MAX_COMMAND_BYTES, type AsteriskControlFormat, asteriskCommand } from './events.js';

/** Names of marks in flight kept for their `MEDIA_MARK_PROCESSED` (the oldest are forgotten beyond it). */
const MAX_MARKS_IN_FLIGHT = 1024;
const GENERATED = /^callwire-mark-\d+$/;
const encoder = new TextEncoder();

/**
 * Checkpoint names <-> MARK_MEDIA correlation ids for one call. A name is its own id when its command
 * fits chan_websocket's 128-byte text limit (and, in plain text, survives its trimming); any other
 * name gets a short id `callwire-mark-N`, mapped back when Asterisk reports the mark played.
 */
export interface MarkIds {
  /** The correlation id to send for checkpoint `name`. */
  idFor(name: string): string;
  /** The checkpoint name of a processed correlation id. */
  nameOf(id: string): string;
}

/** Mark ids for a call speaking `format`. */
export function createMarkIds(format: AsteriskControlFormat): MarkIds {
  const names = new Map<string, string>();
  let next = 0;
  function fits(name: string): boolean {
    if (GENERATED.test(name) || name.length === 0) return false;
    if (format === 'plain-text' && (name !== name.trim() || /[\r\n]/.test(name))) return false;
    return encoder.encode(asteriskCommand(format, 'MARK_MEDIA', name)).length <= ASTERISK_MAX_COMMAND_BYTES;
  }
  return {
    idFor(name) {
      if (fits(name)) return name;
      next += 1;
      const id = `callwire-mark-${next}`;
      names.set(id, name);
      if (names.size > MAX_MARKS_IN_FLIGHT) names.delete(names.keys().next().value as string);
      return id;
    },
    nameOf(id) {
      const name = names.get(id);
      if (name === undefined) return id;
      names.delete(id);
      return name;
    },
  };
}

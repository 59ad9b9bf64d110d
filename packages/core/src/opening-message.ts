import type { WireMessage } from './serializer.js';

/**
 * What a carrier's `detect` hook is handed for a socket's opening message: parsed JSON for text that
 * parses, the text itself otherwise (a plain-text protocol), raw bytes for a binary message.
 */
export function openingMessage(message: WireMessage): unknown {
  if (typeof message !== 'string') return message;
  try {
    return JSON.parse(message);
  } catch {
    return message;
  }
}

/**
 * Longest base64 media payload accepted, in characters (about 6 s of 16 kHz L16). Carriers send
 * 20 ms chunks (a few hundred characters); anything near this is a peer trying to exhaust memory or CPU.
 */
export const MAX_MEDIA_PAYLOAD_CHARS = 256 * 1024;

/** Longest text message parsed at all, in characters: the payload limit plus room for the rest. */
export const MAX_TEXT_MESSAGE_CHARS = MAX_MEDIA_PAYLOAD_CHARS + 16 * 1024;

/** Longest binary audio message accepted, in bytes (about 8 s of 16 kHz L16). */
export const MAX_BINARY_AUDIO_BYTES = 256 * 1024;

// AudioSocket's framing. Source: asterisk/asterisk `include/asterisk/res_audiosocket.h` and
// `res/res_audiosocket.c` (master f0c1c1a, 2026-08-06): each message is a 1-byte kind, a 2-byte
// big-endian payload length (`htons`/`ntohs`) and the payload. The kinds 0x11-0x18 (slin12 ...
// slin192) came with "res_audiosocket: add message types for all slin sample rates" (Oct 2025,
// Asterisk 20.17/21.12/22.7/23.1); the header on every branch since numbers them 0x11 = slin12,
// 0x12 = slin16, ... 0x18 = slin192, which is what is used here.

/** Message kinds (`enum ast_audiosocket_msg_kind`). */
export const AUDIOSOCKET_KIND = {
  /** Hang the channel up (we send it; Asterisk also closes the socket). No payload. */
  hangup: 0x00,
  /** The call's UUID, 16 bytes, always Asterisk's first message. */
  uuid: 0x01,
  /** One ASCII DTMF digit (Asterisk 20.14+/21.9+/22.4+). */
  dtmf: 0x03,
  /** Signed linear 16-bit little-endian mono at 8 kHz (`slin`), both ways. */
  audio: 0x10,
  /** An error on Asterisk's side. */
  error: 0xff,
} as const;

/** The audio kinds and their rates, Hz: 0x10 slin (8 kHz), then slin12 ... slin192. */
export const AUDIOSOCKET_AUDIO_RATES: Readonly<Record<number, number>> = {
  16: 8000,
  17: 12000,
  18: 16000,
  19: 24000,
  20: 32000,
  21: 44100,
  22: 48000,
  23: 96000,
  24: 192000,
};

/** Bytes of a message header: kind, then the payload length as a big-endian 16-bit number. */
export const AUDIOSOCKET_HEADER_BYTES = 3;
/** Largest payload the 16-bit length can carry. */
export const AUDIOSOCKET_MAX_PAYLOAD_BYTES = 0xffff;

/** The audio kind of `sampleRate` Hz, or `undefined` when AudioSocket has none. */
export function audioKindFor(sampleRate: number): number | undefined {
  for (const [kind, rate] of Object.entries(AUDIOSOCKET_AUDIO_RATES)) {
    if (rate === sampleRate) return Number(kind);
  }
  return undefined;
}

/** True for a kind Asterisk sends or accepts. */
export function isAudioSocketKind(kind: number): boolean {
  return (
    kind === AUDIOSOCKET_KIND.hangup ||
    kind === AUDIOSOCKET_KIND.uuid ||
    kind === AUDIOSOCKET_KIND.dtmf ||
    kind === AUDIOSOCKET_KIND.error ||
    AUDIOSOCKET_AUDIO_RATES[kind] !== undefined
  );
}

/** One message: `kind`, the big-endian length of `payload`, then `payload` (at most 65,535 bytes). */
export function audioSocketMessage(kind: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (payload.length > AUDIOSOCKET_MAX_PAYLOAD_BYTES) {
    throw new RangeError(
      `audiosocket: a ${payload.length}-byte payload exceeds ${AUDIOSOCKET_MAX_PAYLOAD_BYTES}`,
    );
  }
  const message = new Uint8Array(AUDIOSOCKET_HEADER_BYTES + payload.length);
  message[0] = kind;
  message[1] = payload.length >> 8;
  message[2] = payload.length & 0xff;
  message.set(payload, AUDIOSOCKET_HEADER_BYTES);
  return message;
}

/** A message's kind and payload (a view), or `undefined` when its length field does not match its size. */
export function readAudioSocketMessage(
  message: Uint8Array,
): { readonly kind: number; readonly payload: Uint8Array } | undefined {
  if (message.length < AUDIOSOCKET_HEADER_BYTES) return undefined;
  const length = ((message[1] as number) << 8) | (message[2] as number);
  if (message.length !== AUDIOSOCKET_HEADER_BYTES + length) return undefined;
  return { kind: message[0] as number, payload: message.subarray(AUDIOSOCKET_HEADER_BYTES) };
}

/** The canonical text of a 16-byte UUID (`uuid_unparse`'s lower-case 8-4-4-4-12 form). */
export function uuidText(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 16 bytes of a UUID written 8-4-4-4-12 (any case), or `undefined`. */
export function uuidBytes(text: string): Uint8Array | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return undefined;
  return Uint8Array.from(Buffer.from(text.replaceAll('-', ''), 'hex'));
}

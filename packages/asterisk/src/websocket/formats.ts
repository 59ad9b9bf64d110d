import type { WireFormat } from '@callwire/kit';

// Asterisk format names as MEDIA_START prints them (`ast_format_get_name`: main/format_cache.c), and the
// wire format each is. Signed linear is Asterisk's host byte order: little-endian on x86-64 and arm64.
const FORMATS: Readonly<Record<string, WireFormat>> = {
  ulaw: { encoding: 'mulaw', sampleRate: 8000 },
  alaw: { encoding: 'alaw', sampleRate: 8000 },
  slin: { encoding: 'l16', sampleRate: 8000 },
  slin12: { encoding: 'l16', sampleRate: 12000 },
  slin16: { encoding: 'l16', sampleRate: 16000 },
  slin24: { encoding: 'l16', sampleRate: 24000 },
  slin32: { encoding: 'l16', sampleRate: 32000 },
  slin44: { encoding: 'l16', sampleRate: 44100 },
  slin48: { encoding: 'l16', sampleRate: 48000 },
  slin96: { encoding: 'l16', sampleRate: 96000 },
  slin192: { encoding: 'l16', sampleRate: 192000 },
};

/** The Asterisk formats Callwire streams (`c(ulaw)`, `c(slin16)`, ...). Opus, G.722 and others are not. */
export const ASTERISK_FORMATS: readonly string[] = Object.keys(FORMATS);

/** The wire format of an Asterisk format name (`sln16` is read as `slin16`), or `undefined`. */
export function asteriskWireFormat(name: string): WireFormat | undefined {
  const key = name.startsWith('sln') ? `slin${name.slice(3)}` : name;
  return Object.hasOwn(FORMATS, key) ? FORMATS[key] : undefined;
}

/** The byte that is silence in `format` (mu-law 0xFF, A-law 0xD5, linear 0), for padding a last frame. */
export function silenceByte(format: WireFormat): number {
  if (format.encoding === 'mulaw') return 0xff;
  if (format.encoding === 'alaw') return 0xd5;
  return 0;
}

/** Bytes of `ptimeMs` of `format` audio: 160 for 20 ms of mu-law, 640 for 20 ms of slin16. */
export function frameBytesOf(format: WireFormat, ptimeMs: number): number {
  const bytesPerSample = format.encoding === 'l16' ? 2 : 1;
  return Math.round((format.sampleRate * ptimeMs) / 1000) * bytesPerSample;
}

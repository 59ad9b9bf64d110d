import type { WireFormat } from '@callwire/kit';
import { type GenesysMedia, GenesysMediaSchema } from './events.js';

/** Which of the offered formats a call prefers. */
export interface GenesysMediaPreference {
  readonly inboundChannels: 'external' | 'both';
  readonly preferredFormat: 'PCMU' | 'L16';
}

/**
 * The one offered format to answer `open` with, or `undefined` when none will do. Acceptable: audio,
 * 8 kHz, PCMU or L16, with the external channel (once) among one or two channels. Mono external comes
 * first unless both channels are wanted (then stereo first); then the preferred format; then the
 * order Genesys offered them in.
 */
export function selectGenesysMedia(
  offered: readonly unknown[],
  preference: GenesysMediaPreference,
): GenesysMedia | undefined {
  let best: { media: GenesysMedia; score: number } | undefined;
  for (const candidate of offered) {
    const parsed = GenesysMediaSchema.safeParse(candidate);
    if (!parsed.success) continue;
    const media = parsed.data;
    if (!media.channels.includes('external') || new Set(media.channels).size !== media.channels.length) {
      continue;
    }
    const stereo = media.channels.length === 2;
    const channelRank = stereo === (preference.inboundChannels === 'both') ? 0 : 2;
    const score = channelRank + (media.format === preference.preferredFormat ? 0 : 1);
    if (best === undefined || score < best.score) best = { media, score };
  }
  return best?.media;
}

/** The kit's wire format of a Genesys format (per channel: the kit's audio is mono). */
export function genesysWireFormat(media: GenesysMedia | undefined): WireFormat {
  return { encoding: media?.format === 'L16' ? 'l16' : 'mulaw', sampleRate: 8000 };
}

/** Bytes of one sample of one channel of `media`. */
export function genesysBytesPerSample(media: GenesysMedia | undefined): 1 | 2 {
  return media?.format === 'L16' ? 2 : 1;
}

/**
 * The bytes of channel `channel` (0-based) of interleaved `bytes` with `channels` channels of
 * `bytesPerSample` bytes each; a trailing partial frame is dropped.
 */
export function deinterleaveChannel(
  bytes: Uint8Array,
  channels: number,
  channel: number,
  bytesPerSample: 1 | 2,
): Uint8Array {
  const frameBytes = channels * bytesPerSample;
  const frames = Math.floor(bytes.length / frameBytes);
  const out = new Uint8Array(frames * bytesPerSample);
  for (let frame = 0, from = channel * bytesPerSample; frame < frames; frame++, from += frameBytes) {
    out[frame * bytesPerSample] = bytes[from] as number;
    if (bytesPerSample === 2) out[frame * bytesPerSample + 1] = bytes[from + 1] as number;
  }
  return out;
}

import { parseConfig } from '@callwire/core';
import { escapeXml } from '@callwire/kit';
import { z } from 'zod/v4';
import { TelnyxEncodingSchema } from './options.js';

// TeXML (Telnyx's TwiML-compatible markup) that starts a media stream. Sources:
//  developers.telnyx.com/docs/voice/programmable-voice/texml-verbs/stream (attributes url, track, name, codec,
//    bidirectionalMode mp3|rtp (Telnyx default mp3), bidirectionalCodec (default PCMU),
//    bidirectionalSamplingRate, statusCallback, statusCallbackMethod; child <Parameter name value>);
//  developers.telnyx.com/docs/voice/programmable-voice/texml-verbs/connect (`<Connect>` runs the nested
//    `<Stream>` synchronously: the next instruction runs when the stream stops).
// Callwire sends raw G.711 frames, so this helper defaults `bidirectionalMode` to `rtp`, not Telnyx's mp3.
export const TelnyxStreamTexmlOptionsSchema = z.strictObject({
  /** The WebSocket URL (`wss://`). */
  url: z.url({ protocol: /^wss$/, error: 'must be a wss:// URL' }),
  /** `connect` holds the call on the stream (the usual choice for an agent); `start` forks it and goes on. @default 'connect' */
  verb: z.enum(['connect', 'start']).default('connect'),
  /** Which audio Telnyx streams to us. @default Telnyx's own: 'inbound_track' */
  track: z.enum(['inbound_track', 'outbound_track', 'both_tracks']).optional(),
  /** A name for the stream instance. */
  name: z.string().min(1).optional(),
  /** Coding of the audio Telnyx sends us (Callwire's `inboundEncoding`); Telnyx transcodes only PCMU<->PCMA. */
  codec: TelnyxEncodingSchema.optional(),
  /** How we send audio back: Callwire sends RTP payloads. @default 'rtp' */
  bidirectionalMode: z.enum(['rtp', 'mp3']).default('rtp'),
  /** Coding of the audio we send (Callwire's `outboundEncoding`). @default Telnyx's own: 'PCMU' */
  bidirectionalCodec: TelnyxEncodingSchema.optional(),
  /** Where Telnyx posts stream status (`stream-started`, `stream-stopped`, `stream-error`). */
  statusCallback: z.url({ protocol: /^https?$/ }).optional(),
  /** @default 'POST' (Telnyx's default) */
  statusCallbackMethod: z.enum(['GET', 'POST']).optional(),
  /** `<Parameter name value/>` pairs, delivered in the `start` message's `custom_parameters`. */
  parameters: z.record(z.string().min(1), z.string()).optional(),
});

export type TelnyxStreamTexmlOptions = z.input<typeof TelnyxStreamTexmlOptionsSchema>;

/** The options that are `<Stream>` attributes, in the order they are written. */
const STREAM_ATTRIBUTES = [
  'url',
  'name',
  'track',
  'codec',
  'bidirectionalMode',
  'bidirectionalCodec',
  'statusCallback',
  'statusCallbackMethod',
] as const;

function attributes(pairs: ReadonlyArray<readonly [string, string | undefined]>): string {
  return pairs
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
}

/**
 * TeXML that streams the call to `url` with RTP audio back:
 * `<Response><Connect><Stream url="wss://..." bidirectionalMode="rtp" .../></Connect></Response>`.
 * Every value is XML-escaped; throws `CallwireError('CONFIG')` naming each bad field.
 */
export function telnyxStreamTexml(options: TelnyxStreamTexmlOptions): string {
  const o = parseConfig('telnyx', 'stream TeXML options', TelnyxStreamTexmlOptionsSchema, options);
  const streamAttributes = attributes(STREAM_ATTRIBUTES.map((key) => [key, o[key]]));
  const children = Object.entries(o.parameters ?? {})
    .map(([name, value]) => `<Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`)
    .join('');
  const stream =
    children === '' ? `<Stream${streamAttributes}/>` : `<Stream${streamAttributes}>${children}</Stream>`;
  const verb = o.verb === 'connect' ? 'Connect' : 'Start';
  return `<?xml version="1.0" encoding="UTF-8"?><Response><${verb}>${stream}</${verb}></Response>`;
}

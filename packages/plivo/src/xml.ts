import { parseConfig } from '@callwire/core';
import { escapeXml } from '@callwire/kit';
import { z } from 'zod/v4';

// Plivo <Stream> XML (plivo.com/docs/voice/xml/audiostream). The WebSocket URL is the element's
// text, not an attribute.

const EXTRA_HEADER_KEY = /^[A-Za-z0-9]+$/;
const EXTRA_HEADER_VALUE = /^[A-Za-z0-9]*$/;
const EXTRA_HEADERS_TEXT = /^[A-Za-z0-9]+=[A-Za-z0-9]*(,[A-Za-z0-9]+=[A-Za-z0-9]*)*$/;
/** Plivo's limit on the `extraHeaders` attribute, in bytes. */
const EXTRA_HEADERS_MAX_BYTES = 512;

/** Options of `plivoStreamXml`. */
export const PlivoStreamXmlOptionsSchema = z
  .strictObject({
    /** The `ws://` or `wss://` URL Plivo streams the call to. */
    url: z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' }),
    /**
     * Let the application play audio into the call (`playAudio`, `checkpoint`, `clearAudio`).
     * @default true
     */
    bidirectional: z.boolean().default(true),
    /**
     * Keep the call up while the stream runs; the XML after `<Stream>` runs when the stream ends.
     * @default true
     */
    keepCallAlive: z.boolean().default(true),
    /**
     * Encoding and rate of the stream; always written, because Plivo's docs disagree on its default.
     * @default 'audio/x-mulaw;rate=8000'
     */
    contentType: z
      .enum(['audio/x-mulaw;rate=8000', 'audio/x-l16;rate=8000', 'audio/x-l16;rate=16000'])
      .default('audio/x-mulaw;rate=8000'),
    /** Which audio Plivo streams; Plivo's default is `inbound`. Must be `inbound` when bidirectional. */
    audioTrack: z.enum(['inbound', 'outbound', 'both']).optional(),
    /** Longest stream, in seconds; Plivo's default is 86400. */
    streamTimeout: z.number().int().positive().max(86_400).optional(),
    /** URL for StartStream / StopStream / DroppedStream events. */
    statusCallbackUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /** Plivo's default is POST. */
    statusCallbackMethod: z.enum(['GET', 'POST']).optional(),
    /**
     * Values Plivo hands back in `start.extra_headers`: `{ userId: '12345' }` or `'userId=12345,x=y'`.
     * Letters and digits only, at most 512 bytes in all.
     */
    extraHeaders: z
      .union([
        z.record(
          z.string().regex(EXTRA_HEADER_KEY, 'keys must be letters and digits'),
          z.string().regex(EXTRA_HEADER_VALUE, 'values must be letters and digits'),
        ),
        z.string().regex(EXTRA_HEADERS_TEXT, 'must be k=v pairs of letters and digits, comma-separated'),
      ])
      .optional(),
  })
  .superRefine((options, context) => {
    if (options.bidirectional && options.audioTrack !== undefined && options.audioTrack !== 'inbound') {
      context.addIssue({
        code: 'custom',
        path: ['audioTrack'],
        message: 'a bidirectional stream carries the inbound track only',
      });
    }
    if (options.statusCallbackMethod !== undefined && options.statusCallbackUrl === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['statusCallbackMethod'],
        message: 'needs statusCallbackUrl',
      });
    }
    if (extraHeadersText(options.extraHeaders).length > EXTRA_HEADERS_MAX_BYTES) {
      context.addIssue({
        code: 'custom',
        path: ['extraHeaders'],
        message: `must be at most ${EXTRA_HEADERS_MAX_BYTES} bytes`,
      });
    }
  });

export type PlivoStreamXmlOptions = z.input<typeof PlivoStreamXmlOptionsSchema>;

function extraHeadersText(extraHeaders: string | Record<string, string> | undefined): string {
  if (extraHeaders === undefined) return '';
  if (typeof extraHeaders === 'string') return extraHeaders;
  return Object.entries(extraHeaders)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/**
 * Plivo's answer XML that streams the call to `url`:
 * `<Response><Stream bidirectional="true" …>wss://…</Stream></Response>`.
 * Throws `CallwireError('CONFIG')` naming every bad option (e.g. `audioTrack` `both` with `bidirectional`).
 */
export function plivoStreamXml(options: PlivoStreamXmlOptions): string {
  const valid = parseConfig('plivo', 'stream XML options', PlivoStreamXmlOptionsSchema, options);
  const attributes: [string, string | number | boolean | undefined][] = [
    ['bidirectional', valid.bidirectional],
    ['keepCallAlive', valid.keepCallAlive],
    ['contentType', valid.contentType],
    ['audioTrack', valid.audioTrack],
    ['streamTimeout', valid.streamTimeout],
    ['statusCallbackUrl', valid.statusCallbackUrl],
    ['statusCallbackMethod', valid.statusCallbackMethod],
    ['extraHeaders', valid.extraHeaders === undefined ? undefined : extraHeadersText(valid.extraHeaders)],
  ];
  const written = attributes
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
  return `<Response><Stream${written}>${escapeXml(valid.url)}</Stream></Response>`;
}

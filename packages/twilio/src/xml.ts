import { parseConfig } from '@callwire/core';
import { escapeXml } from '@callwire/kit';
import { z } from 'zod/v4';

// Source for the elements and attributes: twilio.com/docs/voice/twiml/stream.
// `<Connect><Stream>` is the bidirectional form (audio, marks and clear can be sent back);
// `<Start><Stream>` is receive-only, so Callwire only builds `<Connect>`.
/** Options of `twilioStreamTwiml`. */
export const TwilioStreamTwimlOptionsSchema = z.strictObject({
  /**
   * The WebSocket URL: `wss://` only (Twilio error 31922), and no query string: Twilio's `<Stream>`
   * page says the url "does not support query string parameters"; use `parameters` instead.
   */
  url: z
    .url({ protocol: /^wss$/, error: 'must be a wss:// URL' })
    .refine((url) => !url.includes('?'), 'must not carry a query string; pass values in `parameters`'),
  /** A name for the stream (lets you stop it over REST). */
  name: z.string().min(1).optional(),
  /** Where Twilio posts stream status events (`stream-started`, `stream-stopped`, `stream-error`). */
  statusCallback: z.url({ protocol: /^https?$/ }).optional(),
  /** @default 'POST' (Twilio's default) */
  statusCallbackMethod: z.enum(['GET', 'POST']).optional(),
  /** `<Parameter name value/>` pairs; they arrive in the `start` message as `start.customParameters`. */
  parameters: z.record(z.string().min(1), z.string()).optional(),
});

export type TwilioStreamTwimlOptions = z.input<typeof TwilioStreamTwimlOptionsSchema>;

/** ` key="value"` for each field that is set, in order, every value XML-escaped. */
function attributes(fields: Readonly<Record<string, string | undefined>>): string {
  let text = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) text += ` ${key}="${escapeXml(value)}"`;
  }
  return text;
}

/**
 * TwiML that connects the call to a bidirectional Media Stream:
 * `<Response><Connect><Stream url="wss://..."><Parameter .../></Stream></Connect></Response>`.
 * Every value is XML-escaped; throws `CallwireError('CONFIG')` naming each bad field.
 */
export function twilioStreamTwiml(options: TwilioStreamTwimlOptions): string {
  const { parameters = {}, ...stream } = parseConfig(
    'twilio',
    'stream TwiML options',
    TwilioStreamTwimlOptionsSchema,
    options,
  );
  const { url, name, statusCallback, statusCallbackMethod } = stream;
  const open = `<Stream${attributes({ url, name, statusCallback, statusCallbackMethod })}`;
  const children = Object.entries(parameters).map(
    ([key, value]) => `<Parameter${attributes({ name: key, value })}/>`,
  );
  const element = children.length === 0 ? `${open}/>` : `${open}>${children.join('')}</Stream>`;
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Connect>${element}</Connect></Response>`;
}

import { type CallDetection, callMetadata, checkpointReachedFrame } from '@callwire/core';
import { answerField, defineCarrier } from '@callwire/kit';
import { createExotelChunker } from './chunker.js';
import {
  EXOTEL_INBOUND_EVENTS,
  ExotelInboundEventSchema,
  ExotelStartEventSchema,
  exotelStartIds,
} from './events.js';
import { exotelMediaFastPath } from './media-fast-path.js';
import { ExotelCallParamsSchema, ExotelOptionsSchema, isExotelSampleRate } from './options.js';

/** `message` as JSON-parsed text (or as given), or `undefined` when it is text that is not JSON. */
function parsedOpening(message: unknown): unknown {
  if (typeof message !== 'string') return message;
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}

/**
 * Recognises Exotel's opening messages: `{"event":"connected"}` (no ids yet: `'need-more'`), then
 * `start` with `start.stream_sid` and `start.call_sid` (snake_case, as Exotel documents them, which
 * also keeps Twilio's camelCase `start` from matching). The sample rate comes from `media_format`.
 * Never throws.
 */
export function detectExotelCall(message: unknown): CallDetection {
  const value = parsedOpening(message);
  const event = (value as { event?: unknown } | null | undefined)?.event;
  // Twilio's and Telnyx's `connected` look alike; 'need-more' is harmless for them (the `start`
  // that follows decides), while refusing a `connected` with a field Exotel may add would drop the call.
  if (event === 'connected') return 'need-more';
  if (event !== 'start') return undefined;
  const parsed = ExotelStartEventSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const {
    stream_sid: streamId,
    call_sid: callId,
    media_format,
    custom_parameters,
    from,
    to,
  } = parsed.data.start;
  if (streamId === undefined || callId === undefined) return undefined;
  const { accountSid } = exotelStartIds(parsed.data);
  const rate = Number(media_format?.sample_rate);
  return {
    streamId,
    callId,
    params: {
      ...(isExotelSampleRate(rate) ? { exotelSampleRate: rate } : {}),
      ...(accountSid !== undefined ? { accountSid } : {}),
      ...(custom_parameters !== undefined && Object.keys(custom_parameters).length > 0
        ? { customParameters: custom_parameters }
        : {}),
    },
    metadata: callMetadata({ from, to, customParameters: custom_parameters, raw: value }),
  };
}

/**
 * Exotel's Voicebot/Stream applet: `registerCarrier(container, exotel, {})`. Caller audio is base64
 * 16-bit little-endian PCM in JSON; outbound audio goes back in chunks on Exotel's 320-byte grid
 * (see `options.ts`), with `mark` and `clear`. Exotel has no REST API that ends a Voicebot call by
 * the `call_sid` the stream announces (the Legs API hangs up a *leg* by a `leg_sid` the stream does
 * not carry: developer.exotel.com/docs/exoml/verbs/hangup), and Pipecat does not hang Exotel calls up
 * either: a call ends when the socket closes and the flow moves on to a Hangup applet.
 */
export const exotel = defineCarrier({
  name: 'exotel',
  options: ExotelOptionsSchema,
  params: ExotelCallParamsSchema,
  wireFormat: (params) => ({ encoding: 'l16', sampleRate: params.exotelSampleRate }),
  detect: detectExotelCall,
  // The Voicebot applet's URL may be an https endpoint that answers {"url": "wss://..."}
  // (support.exotel.com article 3000108630, "Configuring a Stream": the JSON key is "url").
  // Exotel calls the applet's https URL with the call's `CallSid`, the stream's `start.call_sid`.
  answerCallId: (request) => answerField(request, 'CallSid'),
  answer: (request) => ({
    contentType: 'application/json',
    body: JSON.stringify({ url: request.streamUrl }),
  }),
  inbound: {
    events: EXOTEL_INBOUND_EVENTS,
    schema: ExotelInboundEventSchema,
    fastPath: exotelMediaFastPath,
    streamIdOf: (event) =>
      event.event === 'start'
        ? exotelStartIds(event).streamSid
        : event.event === 'connected'
          ? undefined
          : event.stream_sid,
    toFrames(event, call) {
      switch (event.event) {
        case 'media':
          return call.audioFromBase64(event.media.payload);
        case 'dtmf':
          return call.dtmf(event.dtmf.digit.trim().toUpperCase());
        case 'mark':
          return checkpointReachedFrame(event.mark.name);
        case 'start': {
          const rate = Number(event.start.media_format?.sample_rate);
          const configured = call.wireFormat.sampleRate;
          if (isExotelSampleRate(rate) && rate !== configured) {
            call.logger.info(
              { streamSid: call.streamId, configured, announced: rate },
              '[exotel] start announces a different sample rate; using the announced one',
            );
            // Exotel streams both ways at the `?sample-rate=` of the applet URL, which start announces.
            call.setWireFormat({ encoding: 'l16', sampleRate: rate }, 'both');
          }
          return undefined;
        }
        case 'stop':
          call.logger.debug(
            { streamSid: call.streamId, reason: event.stop?.reason },
            '[exotel] stream stopped',
          );
          return undefined;
        case 'connected':
          return undefined;
      }
    },
  },
  outbound({ streamId }) {
    const id = JSON.stringify(streamId);
    // Outbound media is built around a base64 payload, which never needs JSON escaping.
    const head = `{"event":"media","stream_sid":${id},"media":{"payload":"`;
    return {
      media: (bytes) => `${head}${bytes.toString('base64')}"}}`,
      clear: () => `{"event":"clear","stream_sid":${id}}`,
      checkpoint: (name) => JSON.stringify({ event: 'mark', stream_sid: streamId, mark: { name } }),
    };
  },
  framer: (_format, _params, options) => createExotelChunker({ minChunkBytes: options.minChunkBytes }),
});

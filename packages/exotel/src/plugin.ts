import {
  type CallControl,
  type CallDetection,
  type CallInfo,
  type CarrierPlugin,
  callControlToken,
  LOGGER,
  parseConfig,
  type SerializerFactory,
  serializerFactoryToken,
} from '@callwire/core';
import { ExotelStart, exotelStartIds } from './events.js';
import {
  ExotelCallParamsSchema,
  type ExotelOptions,
  ExotelOptionsSchema,
  isExotelSampleRate,
  type ResolvedExotelOptions,
} from './options.js';
import { ExotelFrameSerializer } from './serializer.js';

/**
 * Exotel has no documented REST API that ends a Voicebot/Stream call by the `call_sid` the stream
 * announces (the CPaaS Legs API can hang up a *leg* by `leg_sid`, which the stream does not carry:
 * developer.exotel.com/docs/exoml/verbs/hangup). Pipecat does not hang Exotel calls up either.
 * This `CallControl` therefore never makes a request; it answers `failed` with the reason.
 */
const unsupportedHangUp: CallControl = {
  carrier: 'exotel',
  async hangUp() {
    return {
      outcome: 'failed',
      reason:
        'Exotel has no REST API that ends a Voicebot call; close the WebSocket and end the flow with a Hangup applet',
    };
  },
};

/** A call's own child container. */
type CallScope = Parameters<SerializerFactory>[1];

/**
 * One call's serializer: validates `call.params` (one `CONFIG` error naming every bad field;
 * `autoHangUp: true` is refused because Exotel has no hang-up API).
 */
export function createExotelSerializer(
  call: CallInfo,
  scope: CallScope,
  options: ResolvedExotelOptions,
): ExotelFrameSerializer {
  const params = parseConfig('exotel', 'call params', ExotelCallParamsSchema, call.params ?? {});
  return new ExotelFrameSerializer({
    streamId: call.streamId,
    ...(call.callId !== undefined ? { callId: call.callId } : {}),
    params,
    minChunkBytes: options.minChunkBytes,
    logger: scope.resolve(LOGGER),
  });
}

/**
 * Recognises Exotel's opening messages: `{"event":"connected"}` (no ids yet: `'need-more'`), then
 * `start` with `start.stream_sid` and `start.call_sid` (snake_case, as Exotel documents them, which
 * also keeps Twilio's camelCase `start` from matching). The sample rate comes from `media_format`.
 */
export function detectExotel(input: unknown): CallDetection {
  let message = input;
  if (typeof input === 'string') {
    try {
      message = JSON.parse(input);
    } catch {
      return undefined;
    }
  }
  if (message === null || typeof message !== 'object') return undefined;
  const record = message as Record<string, unknown>;
  // Twilio's and Telnyx's `connected` look alike; 'need-more' is harmless for them (the `start`
  // that follows decides), while refusing a `connected` with a field Exotel may add would drop the call.
  if (record.event === 'connected') return 'need-more';
  if (record.event !== 'start') return undefined;
  const parsed = ExotelStart.safeParse(message);
  if (!parsed.success) return undefined;
  const start = parsed.data.start;
  if (start.stream_sid === undefined || start.call_sid === undefined) return undefined;
  const { accountSid } = exotelStartIds(parsed.data);
  const rate = Number(start.media_format?.sample_rate);
  return {
    streamId: start.stream_sid,
    callId: start.call_sid,
    params: {
      ...(isExotelSampleRate(rate) ? { exotelSampleRate: rate } : {}),
      ...(accountSid !== undefined ? { accountSid } : {}),
      ...(start.custom_parameters !== undefined && Object.keys(start.custom_parameters).length > 0
        ? { customParameters: start.custom_parameters }
        : {}),
    },
  };
}

/** The Exotel Voicebot/Stream applet carrier. Register it with `registerCarrier(container, exotel, {})`. */
export const exotel: CarrierPlugin<ExotelOptions, ResolvedExotelOptions> = {
  name: 'exotel',
  options: ExotelOptionsSchema,
  register(container, options) {
    container.register(callControlToken('exotel'), { useValue: unsupportedHangUp });
    container.register(serializerFactoryToken('exotel'), {
      useValue: ((call, scope) => createExotelSerializer(call, scope, options)) satisfies SerializerFactory,
    });
  },
  detect: detectExotel,
  answer(request) {
    // The Voicebot applet's URL may be an https endpoint that answers {"url": "wss://..."}
    // (support.exotel.com article 3000108630, "Configuring a Stream": the JSON key is "url").
    return { contentType: 'application/json', body: JSON.stringify({ url: request.streamUrl }) };
  },
};

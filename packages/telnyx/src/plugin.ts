import {
  type CallDetection,
  type CallInfo,
  type CarrierPlugin,
  callControlToken,
  LOGGER,
  parseConfig,
  requireForAutoHangUp,
  type SerializerFactory,
  serializerFactoryToken,
} from '@callwire/core';
import { TelnyxCallControl } from './call-control.js';
import { TelnyxStart, telnyxEncodingOf } from './events.js';
import {
  type ResolvedTelnyxOptions,
  TelnyxCallParamsSchema,
  type TelnyxOptions,
  TelnyxOptionsSchema,
} from './options.js';
import { TelnyxFrameSerializer } from './serializer.js';
import { answerTelnyxWebhook, verifyTelnyxWebhook } from './webhook.js';

/** A call's own child container. */
type CallScope = Parameters<SerializerFactory>[1];

/** Where `register` keeps the resolved options, for the webhook hooks. */
const TELNYX_OPTIONS = 'callwire:options:telnyx';

/**
 * One call's serializer: validates `call.params` and, with auto hang-up on, that the call control id
 * and the API key are there (one `CONFIG` error naming every missing field).
 */
export function createTelnyxSerializer(
  call: CallInfo,
  scope: CallScope,
  options: ResolvedTelnyxOptions,
): TelnyxFrameSerializer {
  const params = parseConfig('telnyx', 'call params', TelnyxCallParamsSchema, call.params ?? {});
  if (params.autoHangUp) {
    requireForAutoHangUp('telnyx', { callId: call.callId, apiKey: options.apiKey });
  }
  return new TelnyxFrameSerializer({
    streamId: call.streamId,
    ...(call.callId !== undefined ? { callId: call.callId } : {}),
    params,
    control: scope.resolve(callControlToken('telnyx')),
    logger: scope.resolve(LOGGER),
  });
}

/**
 * Recognises Telnyx's opening messages: `connected` carries no ids (`'need-more'`); `start` carries
 * the top-level `stream_id` and `start.call_control_id` (Pipecat's runner tests the same fields,
 * pipecat-ai/pipecat src/pipecat/runner/utils.py). The announced `media_format.encoding` becomes
 * `params.inboundEncoding` (an unsupported one is passed on, so createSerializer names it). Never throws.
 */
export function detectTelnyxCall(message: unknown): CallDetection {
  try {
    const value = typeof message === 'string' ? JSON.parse(message) : message;
    if ((value as { event?: unknown } | null)?.event === 'connected') return 'need-more';
    const parsed = TelnyxStart.safeParse(value);
    if (!parsed.success) return undefined;
    const announced = parsed.data.start.media_format?.encoding;
    return {
      streamId: parsed.data.stream_id,
      callId: parsed.data.start.call_control_id,
      ...(announced !== undefined
        ? { params: { inboundEncoding: telnyxEncodingOf(announced) ?? announced } }
        : {}),
    };
  } catch {
    return undefined;
  }
}

/** The Telnyx media-streaming carrier: `registerCarrier(container, telnyx, { apiKey })`. */
export const telnyx: CarrierPlugin<TelnyxOptions, ResolvedTelnyxOptions> = {
  name: 'telnyx',
  options: TelnyxOptionsSchema,
  register(container, options) {
    container.register(TELNYX_OPTIONS, { useValue: options });
    container.register(callControlToken('telnyx'), {
      useValue: new TelnyxCallControl(options, container.resolve(LOGGER)),
    });
    container.register(serializerFactoryToken('telnyx'), {
      useValue: ((call, scope) => createTelnyxSerializer(call, scope, options)) satisfies SerializerFactory,
    });
  },
  detect: detectTelnyxCall,
  answer: (request) => answerTelnyxWebhook(request),
  verifyWebhook: (request, container) =>
    verifyTelnyxWebhook(
      request,
      container.isRegistered(TELNYX_OPTIONS, true)
        ? container.resolve<ResolvedTelnyxOptions>(TELNYX_OPTIONS)
        : {},
    ),
};

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
import { PlivoCallControl } from './call-control.js';
import { PlivoStartEventSchema, plivoWireFormat } from './events.js';
import {
  PlivoCallParamsSchema,
  type PlivoOptions,
  PlivoOptionsSchema,
  type ResolvedPlivoOptions,
} from './options.js';
import { PlivoFrameSerializer } from './serializer.js';
import { answerPlivoWebhook, verifyPlivoWebhook } from './webhook.js';

/** A call's own child container. */
type CallScope = Parameters<SerializerFactory>[1];

/** Where `register` keeps the resolved options, for the webhook hooks. */
const PLIVO_OPTIONS = 'callwire:options:plivo';

/**
 * One call's serializer: validates `call.params` and, with auto hang-up on, that the call id and
 * both credentials are there (one `CONFIG` error naming every missing field, as Pipecat does).
 */
export function createPlivoSerializer(
  call: CallInfo,
  scope: CallScope,
  options: ResolvedPlivoOptions,
): PlivoFrameSerializer {
  const params = parseConfig('plivo', 'call params', PlivoCallParamsSchema, call.params ?? {});
  if (params.autoHangUp) {
    requireForAutoHangUp('plivo', {
      callId: call.callId,
      authId: options.authId,
      authToken: options.authToken,
    });
  }
  return new PlivoFrameSerializer({
    streamId: call.streamId,
    ...(call.callId !== undefined ? { callId: call.callId } : {}),
    params,
    control: scope.resolve(callControlToken('plivo')),
    logger: scope.resolve(LOGGER),
  });
}

/**
 * Recognises Plivo's `start` message and returns the call's ids and the wire format it announces
 * (as `params`, so the serializer decodes what Plivo sends). Never throws.
 */
export function detectPlivoCall(message: unknown): CallDetection {
  try {
    const value = typeof message === 'string' ? JSON.parse(message) : message;
    const parsed = PlivoStartEventSchema.safeParse(value);
    if (!parsed.success) return undefined;
    const { streamId, callId, mediaFormat } = parsed.data.start;
    const format = mediaFormat === undefined ? undefined : plivoWireFormat(mediaFormat);
    return {
      streamId,
      callId,
      ...(format ? { params: { plivoSampleRate: format.sampleRate, contentType: format.contentType } } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The Plivo Audio Streams carrier: `registerCarrier(container, plivo, { authId, authToken })`. */
export const plivo: CarrierPlugin<PlivoOptions, ResolvedPlivoOptions> = {
  name: 'plivo',
  options: PlivoOptionsSchema,
  register(container, options) {
    container.register(PLIVO_OPTIONS, { useValue: options });
    container.register(callControlToken('plivo'), {
      useValue: new PlivoCallControl(options, container.resolve(LOGGER)),
    });
    container.register(serializerFactoryToken('plivo'), {
      useValue: ((call, scope) => createPlivoSerializer(call, scope, options)) satisfies SerializerFactory,
    });
  },
  detect: detectPlivoCall,
  answer: (request) => answerPlivoWebhook(request),
  verifyWebhook: (request, container) =>
    verifyPlivoWebhook(
      request,
      container.isRegistered(PLIVO_OPTIONS, true)
        ? container.resolve<ResolvedPlivoOptions>(PLIVO_OPTIONS).authToken
        : undefined,
    ),
};

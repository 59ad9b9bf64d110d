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
import { TwilioCallControl } from './call-control.js';
import { TwilioStart } from './events.js';
import {
  type ResolvedTwilioOptions,
  TwilioCallParamsSchema,
  type TwilioOptions,
  TwilioOptionsSchema,
} from './options.js';
import { TwilioFrameSerializer } from './serializer.js';
import { answerTwilioWebhook, verifyTwilioWebhook } from './webhook.js';

/** A call's own child container. */
type CallScope = Parameters<SerializerFactory>[1];

/** Where `register` keeps the resolved options, for the webhook hooks. */
const TWILIO_OPTIONS = 'callwire:options:twilio';

/**
 * One call's serializer: validates `call.params` and, with auto hang-up on, that the call id and
 * both credentials are there (one `CONFIG` error naming every missing field, as Pipecat does).
 */
export function createTwilioSerializer(
  call: CallInfo,
  scope: CallScope,
  options: ResolvedTwilioOptions,
): TwilioFrameSerializer {
  const params = parseConfig('twilio', 'call params', TwilioCallParamsSchema, call.params ?? {});
  if (params.autoHangUp) {
    requireForAutoHangUp('twilio', {
      callId: call.callId,
      accountSid: options.accountSid,
      authToken: options.authToken,
    });
  }
  return new TwilioFrameSerializer({
    streamId: call.streamId,
    ...(call.callId !== undefined ? { callId: call.callId } : {}),
    params,
    control: scope.resolve(callControlToken('twilio')),
    logger: scope.resolve(LOGGER),
  });
}

/**
 * Recognises Twilio's opening messages: `connected` carries no ids yet (`'need-more'`); `start`
 * carries `start.streamSid` and `start.callSid` (Pipecat's runner tests the same two fields,
 * pipecat-ai/pipecat src/pipecat/runner/utils.py). Never throws.
 */
export function detectTwilioCall(message: unknown): CallDetection {
  try {
    const value = typeof message === 'string' ? JSON.parse(message) : message;
    if ((value as { event?: unknown } | null)?.event === 'connected') return 'need-more';
    const parsed = TwilioStart.safeParse(value);
    if (!parsed.success) return undefined;
    return { streamId: parsed.data.start.streamSid, callId: parsed.data.start.callSid };
  } catch {
    return undefined;
  }
}

/** The Twilio Media Streams carrier: `registerCarrier(container, twilio, { accountSid, authToken })`. */
export const twilio: CarrierPlugin<TwilioOptions, ResolvedTwilioOptions> = {
  name: 'twilio',
  options: TwilioOptionsSchema,
  register(container, options) {
    container.register(TWILIO_OPTIONS, { useValue: options });
    container.register(callControlToken('twilio'), {
      useValue: new TwilioCallControl(options, container.resolve(LOGGER)),
    });
    container.register(serializerFactoryToken('twilio'), {
      useValue: ((call, scope) => createTwilioSerializer(call, scope, options)) satisfies SerializerFactory,
    });
  },
  detect: detectTwilioCall,
  answer: (request) => answerTwilioWebhook(request),
  verifyWebhook: (request, container) =>
    verifyTwilioWebhook(
      request,
      container.isRegistered(TWILIO_OPTIONS, true)
        ? container.resolve<ResolvedTwilioOptions>(TWILIO_OPTIONS).authToken
        : undefined,
    ),
};

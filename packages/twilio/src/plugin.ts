import {
  type CallDetection,
  type CallInfo,
  CallwireError,
  type CarrierPlugin,
  callControlToken,
  callIdProblem,
  LOGGER,
  parseConfig,
  requireForAutoHangUp,
  type SerializerFactory,
  serializerFactoryToken,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookVerdict,
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
import { verifyTwilioSignature } from './signature.js';
import { twilioStreamTwiml } from './xml.js';

/** A call's own child container. */
type CallScope = Parameters<SerializerFactory>[1];

/** Token of the resolved options in the container the carrier was registered in (webhook checks read it). */
export const TWILIO_OPTIONS = 'callwire:options:twilio';

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
    const problem = callIdProblem(call.callId);
    if (problem !== undefined) throw new CallwireError('CONFIG', `[twilio] invalid callId: ${problem}`);
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

/** TwiML connecting the call to the server's media-stream endpoint (`<Connect><Stream>`). */
export function answerTwilio(request: { readonly streamUrl: string }): WebhookResponse {
  try {
    return { contentType: 'text/xml', body: twilioStreamTwiml({ url: request.streamUrl }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 500, contentType: 'text/plain', body: `cannot answer: ${reason}` };
  }
}

/**
 * `X-Twilio-Signature` of a webhook request: `unchecked` without an auth token, `missing` without
 * the header, else `valid`/`invalid` (form POSTs sign their fields; JSON bodies use `bodySHA256`).
 */
export function verifyTwilioWebhook(request: WebhookRequest, options: ResolvedTwilioOptions): WebhookVerdict {
  try {
    if (!options.authToken) return 'unchecked';
    const signature = request.headers['x-twilio-signature'];
    if (!signature) return 'missing';
    const contentType = (request.headers['content-type'] ?? '').toLowerCase();
    const form =
      request.method.toUpperCase() === 'POST' && contentType.startsWith('application/x-www-form-urlencoded');
    const valid = verifyTwilioSignature({
      authToken: options.authToken,
      signature,
      url: request.url,
      ...(form ? { params: new URLSearchParams(request.body) } : {}),
      body: request.body,
    });
    return valid ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
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
  answer: answerTwilio,
  verifyWebhook: (request, container) =>
    verifyTwilioWebhook(request, container.resolve<ResolvedTwilioOptions>(TWILIO_OPTIONS)),
};

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
import { TelnyxCallControl } from './call-control.js';
import { TelnyxStart, telnyxEncodingOf } from './events.js';
import {
  type ResolvedTelnyxOptions,
  TelnyxCallParamsSchema,
  type TelnyxOptions,
  TelnyxOptionsSchema,
} from './options.js';
import { TelnyxFrameSerializer } from './serializer.js';
import { telnyxSignatureHeaders, verifyTelnyxSignature } from './signature.js';
import { telnyxStreamTexml } from './xml.js';

/** A call's own child container. */
type CallScope = Parameters<SerializerFactory>[1];

/** Token of the resolved options in the container the carrier was registered in (webhook checks read it). */
export const TELNYX_OPTIONS = 'callwire:options:telnyx';

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
    const problem = callIdProblem(call.callId);
    if (problem !== undefined) throw new CallwireError('CONFIG', `[telnyx] invalid callId: ${problem}`);
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

/**
 * TeXML connecting the call to the server's media-stream endpoint, with RTP audio both ways in
 * PCMU (`codec` and `bidirectionalCodec` pinned, so `inboundEncoding` = `outboundEncoding`).
 */
export function answerTelnyx(request: { readonly streamUrl: string }): WebhookResponse {
  try {
    const body = telnyxStreamTexml({ url: request.streamUrl, codec: 'PCMU', bidirectionalCodec: 'PCMU' });
    return { contentType: 'text/xml', body };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 500, contentType: 'text/plain', body: `cannot answer: ${reason}` };
  }
}

/**
 * `telnyx-signature-ed25519` of a webhook request: `unchecked` without a `publicKey`, `missing`
 * without the signature headers, else `valid`/`invalid` (300 s timestamp tolerance).
 */
export function verifyTelnyxWebhook(
  request: WebhookRequest,
  options: ResolvedTelnyxOptions,
  nowMs?: number,
): WebhookVerdict {
  try {
    if (!options.publicKey) return 'unchecked';
    const { signature, timestamp } = telnyxSignatureHeaders(request.headers);
    if (!signature || !timestamp) return 'missing';
    const valid = verifyTelnyxSignature({
      publicKey: options.publicKey,
      signature,
      timestamp,
      body: request.body,
      ...(nowMs !== undefined ? { nowMs } : {}),
    });
    return valid ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
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
  answer: answerTelnyx,
  verifyWebhook: (request, container) =>
    verifyTelnyxWebhook(request, container.resolve<ResolvedTelnyxOptions>(TELNYX_OPTIONS)),
};

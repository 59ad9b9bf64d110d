import {
  type CallDetection,
  callMetadata,
  checkpointReachedFrame,
  type Frame,
  stringEntries,
} from '@callwire/core';
import {
  answerField,
  defineCarrier,
  type InboundCall,
  isJsonObject,
  previewValue,
  type WireFormat,
} from '@callwire/kit';
import { TelnyxCallControl } from './call-control.js';
import {
  parseJson,
  TELNYX_INBOUND_EVENTS,
  type TelnyxInboundEvent,
  TelnyxInboundEventSchema,
  type TelnyxOutboundEvent,
  TelnyxStartEventSchema,
  telnyxEncodingOf,
} from './events.js';
import { telnyxMediaFastPath } from './media-fast-path.js';
import {
  type ResolvedTelnyxCallParams,
  TELNYX_SAMPLE_RATE,
  TelnyxCallParamsSchema,
  type TelnyxEncoding,
  TelnyxOptionsSchema,
} from './options.js';
import { answerTelnyxWebhook, verifyTelnyxWebhook } from './webhook.js';

type TelnyxCall = InboundCall<ResolvedTelnyxCallParams>;
type TelnyxEvent<Name extends TelnyxInboundEvent['event']> = Extract<TelnyxInboundEvent, { event: Name }>;

/** A Telnyx G.711 coding as a wire format: always 8 kHz on a media stream. */
function wireFormatOf(encoding: TelnyxEncoding): WireFormat {
  return { encoding: encoding === 'PCMA' ? 'alaw' : 'mulaw', sampleRate: TELNYX_SAMPLE_RATE };
}

/** The tracks that carry the caller: `inbound`, and `inbound_track` (the name `stream_track` uses). */
const CALLER_TRACKS: ReadonlySet<string> = new Set(['inbound', 'inbound_track']);

function callerAudio(media: TelnyxEvent<'media'>['media'], call: TelnyxCall): Frame | undefined {
  // stream_track "both_tracks" also streams what the call plays: not the caller speaking.
  if (media.track === undefined || CALLER_TRACKS.has(media.track)) return call.audioFromBase64(media.payload);
  const track = previewValue(media.track);
  call.warn('other-track', `ignoring media of track ${track} (only inbound is caller audio)`);
  return undefined;
}

/** `start.media_format` is authoritative for what Telnyx sends; outbound keeps `outboundEncoding`. */
function followAnnouncedEncoding(event: TelnyxEvent<'start'>, call: TelnyxCall): void {
  const announced = event.start.media_format?.encoding;
  if (announced === undefined) return;
  const decoding = call.wireFormat.encoding === 'alaw' ? 'PCMA' : 'PCMU';
  const encoding = telnyxEncodingOf(announced);
  if (encoding === undefined) {
    call.warn(
      'unsupported-format',
      `start announces ${previewValue(announced)}; decoding as ${decoding} (only PCMU and PCMA are supported)`,
    );
  } else if (encoding !== decoding) {
    call.warn(
      'format-mismatch',
      `start announces ${encoding}, params say inboundEncoding ${decoding}; decoding ${encoding}`,
    );
    call.setWireFormat(wireFormatOf(encoding), 'inbound');
  }
}

/** Telnyx's `error` frame, as a warning once per error code. */
function warnStreamError(event: TelnyxEvent<'error'>, call: TelnyxCall): void {
  const { code, title = '', detail = '' } = event.payload ?? event.error ?? {};
  const named = code === undefined ? 'unknown' : String(code);
  call.warn(
    `stream-error-${named.slice(0, 16)}`,
    `stream error ${previewValue(named, 16)} ${previewValue(title)}: ${previewValue(detail, 120)}`,
  );
}

/**
 * Recognises Telnyx's opening messages: `connected` carries no ids (`'need-more'`); `start` carries
 * the top-level `stream_id` and `start.call_control_id` (Pipecat's runner tests the same fields,
 * pipecat-ai/pipecat src/pipecat/runner/utils.py). The announced `media_format.encoding` becomes
 * `params.inboundEncoding` (an unsupported one is passed on, so createSerializer names it). Never throws.
 */
export function detectTelnyxCall(message: unknown): CallDetection {
  const value = typeof message === 'string' ? parseJson(message) : message;
  if (isJsonObject(value) && value.event === 'connected') return 'need-more';
  const opening = TelnyxStartEventSchema.safeParse(value).data;
  if (opening === undefined) return undefined;
  const announced = opening.start.media_format?.encoding;
  const params =
    announced === undefined ? {} : { params: { inboundEncoding: telnyxEncodingOf(announced) ?? announced } };
  const { from, to, client_state: clientState, custom_parameters: customParameters } = opening.start;
  // client_state is base64 of whatever the application set on the call (Call Control docs).
  const state =
    clientState === undefined ? {} : { client_state: Buffer.from(clientState, 'base64').toString('utf8') };
  return {
    streamId: opening.stream_id,
    callId: opening.start.call_control_id,
    ...params,
    metadata: callMetadata({
      from,
      to,
      customParameters: { ...stringEntries(customParameters), ...state },
      raw: value,
    }),
  };
}

/** Outbound text, checked against Telnyx's outbound schema by the compiler. */
const outboundText = (event: TelnyxOutboundEvent): string => JSON.stringify(event);

/**
 * Telnyx media streaming: `registerCarrier(container, telnyx, { apiKey })`. Caller audio is base64
 * PCMU or PCMA at 8 kHz in JSON (decoded as `inboundEncoding`, or what `start.media_format` announces);
 * `media` (in `outboundEncoding`), `mark` and `clear` go back, with no stream id; `error` frames are
 * logged as warnings; calls end over the Call Control API.
 */
export const telnyx = defineCarrier({
  name: 'telnyx',
  options: TelnyxOptionsSchema,
  params: TelnyxCallParamsSchema,
  environment: {
    apiKey: 'TELNYX_API_KEY',
    apiBaseUrl: 'TELNYX_API_BASE_URL',
    publicKey: 'TELNYX_PUBLIC_KEY',
    streamAuthToken: 'TELNYX_STREAM_AUTH_TOKEN',
  },
  hangUp: {
    control: (options, logger) => new TelnyxCallControl(options, logger),
    needs: (options) => ({ apiKey: options.apiKey }),
  },
  wireFormat: (params) => wireFormatOf(params.outboundEncoding),
  inboundWireFormat: (params) => wireFormatOf(params.inboundEncoding),
  detect: detectTelnyxCall,
  answer: (request) => answerTelnyxWebhook(request),
  // TeXML webhooks carry the call control id as `CallControlId` and (the same `v3:` id) `CallSid`; the
  // stream's `start.call_control_id` is that id (developers.telnyx.com TeXML callback reference).
  answerCallId: (request) => answerField(request, 'CallControlId', 'CallSid'),
  verifyWebhook: (request, options) => verifyTelnyxWebhook(request, options ?? {}),
  inbound: {
    events: TELNYX_INBOUND_EVENTS,
    schema: TelnyxInboundEventSchema,
    fastPath: telnyxMediaFastPath,
    streamIdOf: (event) => (event.event === 'connected' ? undefined : event.stream_id),
    toFrames(event, call) {
      switch (event.event) {
        case 'media':
          return callerAudio(event.media, call);
        case 'start':
          followAnnouncedEncoding(event, call);
          return undefined;
        case 'dtmf':
          return call.dtmf(event.dtmf.digit);
        case 'error':
          warnStreamError(event, call);
          return undefined;
        case 'mark':
          return checkpointReachedFrame(event.mark.name);
        case 'stop':
          call.logger.debug({ streamId: call.streamId }, '[telnyx] stream stopped');
          return undefined;
        case 'connected':
          return undefined;
      }
    },
  },
  // The media-streaming socket takes media, mark and clear only (send_dtmf is a REST command), so the
  // kit drops output DTMF with a warning.
  outbound: () => ({
    // Built around the base64 payload, which never needs JSON escaping: the same text as outboundText.
    media: (bytes) => `{"event":"media","media":{"payload":"${bytes.toString('base64')}"}}`,
    clear: () => outboundText({ event: 'clear' }),
    checkpoint: (name) => outboundText({ event: 'mark', mark: { name } }),
  }),
});

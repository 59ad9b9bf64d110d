import {
  type CallDetection,
  callMetadata,
  checkpointReachedFrame,
  type OnceMemory,
  parseKeyValuePairs,
} from '@callwire/core';
import { answerField, defineCarrier, type WireFormat } from '@callwire/kit';
import { PlivoCallControl } from './call-control.js';
import {
  PLIVO_INBOUND_EVENTS,
  PlivoInboundEventSchema,
  PlivoStartEventSchema,
  type PlivoWireFormat,
  plivoWireFormat,
} from './events.js';
import { plivoMediaFastPath } from './media-fast-path.js';
import { PlivoCallParamsSchema, PlivoOptionsSchema } from './options.js';
import { answerPlivoWebhook, createPlivoNonceMemory, verifyPlivoWebhook } from './webhook.js';

function kitFormat(format: PlivoWireFormat): WireFormat {
  return { encoding: format.contentType === 'audio/x-l16' ? 'l16' : 'mulaw', sampleRate: format.sampleRate };
}

/** `format` as Plivo names it: `audio/x-mulaw at 8000 Hz`. */
function describeFormat(format: WireFormat): string {
  return `${format.encoding === 'l16' ? 'audio/x-l16' : 'audio/x-mulaw'} at ${format.sampleRate} Hz`;
}

/** Plivo writes E.164 numbers without the `+` (`14155550100`): put it back, as other carriers write them. */
function e164(number: string | undefined): string | undefined {
  return number !== undefined && /^[1-9][0-9]{6,14}$/.test(number) ? `+${number}` : number;
}

/**
 * `call.info` from a `start`: its `extra_headers` as custom parameters, and `from`, `to` and `direction`
 * from the ones Callwire's answer XML puts there (numbers given back their `+`).
 */
function plivoMetadata(extraHeaders: string | undefined, raw: unknown) {
  const customParameters = extraHeaders === undefined ? {} : parseKeyValuePairs(extraHeaders);
  return callMetadata({
    from: e164(customParameters.from),
    to: e164(customParameters.to),
    direction: customParameters.direction,
    customParameters,
    raw,
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
    const extraHeaders = parsed.data.extra_headers;
    return {
      streamId,
      callId,
      metadata: plivoMetadata(extraHeaders, value),
      ...(format ? { params: { plivoSampleRate: format.sampleRate, contentType: format.contentType } } : {}),
    };
  } catch {
    return undefined;
  }
}

/** One nonce memory per registration (its resolved options object), so replays are refused per account. */
const nonceMemories = new WeakMap<object, OnceMemory>();
function noncesOf(options: object): OnceMemory {
  let memory = nonceMemories.get(options);
  if (!memory) {
    memory = createPlivoNonceMemory();
    nonceMemories.set(options, memory);
  }
  return memory;
}

/**
 * Plivo Audio Streams: `registerCarrier(container, plivo, { authId, authToken })`. Caller audio is
 * mu-law or little-endian L16 in base64 JSON; `playAudio`, `checkpoint`, `clearAudio` and `sendDTMF`
 * go back; calls end over Plivo's REST API.
 */
export const plivo = defineCarrier({
  name: 'plivo',
  options: PlivoOptionsSchema,
  params: PlivoCallParamsSchema,
  environment: { authId: 'PLIVO_AUTH_ID', authToken: 'PLIVO_AUTH_TOKEN', apiBaseUrl: 'PLIVO_API_BASE_URL' },
  hangUp: {
    control: (options, logger) => new PlivoCallControl(options, logger),
    needs: (options) => ({ authId: options.authId, authToken: options.authToken }),
  },
  wireFormat: (params) => kitFormat({ contentType: params.contentType, sampleRate: params.plivoSampleRate }),
  detect: detectPlivoCall,
  answer: (request, options) => answerPlivoWebhook(request, options?.authToken),
  // Plivo's answer URL request names the call `CallUUID`; the stream's `start.callId` is the same id.
  answerCallId: (request) => answerField(request, 'CallUUID'),
  verifyWebhook: (request, options) =>
    verifyPlivoWebhook(request, options?.authToken, options ? noncesOf(options) : undefined),
  inbound: {
    events: PLIVO_INBOUND_EVENTS,
    schema: PlivoInboundEventSchema,
    fastPath: plivoMediaFastPath,
    streamIdOf: (event) => (event.event === 'start' ? event.start.streamId : event.streamId),
    toFrames(event, call) {
      switch (event.event) {
        case 'media':
          // audioTrack="both" also streams what the call plays; that is not the caller speaking.
          if (event.media.track !== undefined && event.media.track !== 'inbound') {
            call.warn(
              'other-track',
              `ignoring media of track "${event.media.track}" (only inbound is caller audio)`,
            );
            return undefined;
          }
          return call.audioFromBase64(event.media.payload);
        case 'dtmf':
          return call.dtmf(event.dtmf.digit);
        case 'playedStream':
        case 'played':
          return checkpointReachedFrame(event.name);
        case 'start': {
          const announced = event.start.mediaFormat;
          if (announced === undefined) return undefined;
          const format = plivoWireFormat(announced);
          const current = call.wireFormat;
          if (format === undefined) {
            call.warn(
              'unsupported-format',
              `start announces ${JSON.stringify(announced.encoding)} at ${announced.sampleRate} Hz; decoding as ${describeFormat(current)}`,
            );
            return undefined;
          }
          const wire = kitFormat(format);
          if (wire.encoding !== current.encoding || wire.sampleRate !== current.sampleRate) {
            // The start message is authoritative for what Plivo sends; outbound audio keeps the params'.
            call.warn(
              'format-mismatch',
              `start announces ${describeFormat(wire)}, params say ${describeFormat(current)}; decoding what start announces`,
            );
            call.setWireFormat(wire, 'inbound');
          }
          return undefined;
        }
        case 'clearedAudio':
          call.logger.debug({ streamId: call.streamId }, '[plivo] queued audio cleared');
          return undefined;
        case 'stop':
          call.logger.debug({ streamId: call.streamId }, '[plivo] stream stopped');
          return undefined;
      }
    },
  },
  outbound({ streamId, params }) {
    const id = JSON.stringify(streamId);
    // playAudio is built around a base64 payload, which never needs JSON escaping.
    const head = `{"event":"playAudio","media":{"contentType":${JSON.stringify(params.contentType)},"sampleRate":${params.plivoSampleRate},"payload":"`;
    const tail = `"},"streamId":${id}}`;
    return {
      media: (bytes) => head + bytes.toString('base64') + tail,
      clear: () => `{"event":"clearAudio","streamId":${id}}`,
      checkpoint: (name) => JSON.stringify({ event: 'checkpoint', streamId, name }),
      dtmf: (digits) => JSON.stringify({ event: 'sendDTMF', dtmf: digits }),
    };
  },
});

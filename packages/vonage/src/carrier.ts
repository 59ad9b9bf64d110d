import { randomUUID } from 'node:crypto';
import { type CallDetection, callIdProblem, callMetadata, checkpointReachedFrame } from '@callwire/core';
import { defineCarrier, previewValue } from '@callwire/kit';
import { VonageCallControl } from './call-control.js';
import {
  VONAGE_INBOUND_EVENTS,
  VonageConnectedEventSchema,
  VonageInboundEventSchema,
  vonageClearCommand,
  vonageNotifyCommand,
  vonageRateOf,
  withConnectedEvent,
} from './events.js';
import { createVonageFramer } from './framer.js';
import { VONAGE_CALL_UUID_HEADER, vonageWebSocketNcco } from './ncco.js';
import { VonageCallParamsSchema, VonageOptionsSchema } from './options.js';
import { verifyVonageWebhook } from './signed-webhook.js';

/**
 * The Vonage Voice API WebSocket carrier:
 * `registerCarrier(container, vonage, { applicationId, privateKey })`. Binary 20 ms frames of 16-bit
 * little-endian PCM both ways (outbound audio is cut into exact frames, the remainder carried to the
 * next frame), JSON text for events and commands: `interruption` sends `{"action":"clear"}`,
 * `checkpoint` sends `{"action":"notify","payload":{"name":...}}`, whose `websocket:notify` echo
 * becomes `checkpoint-reached`; calls end over the Voice API with an application JWT.
 */
export const vonage = defineCarrier({
  name: 'vonage',
  options: VonageOptionsSchema,
  params: VonageCallParamsSchema,
  wireFormat: (params) => ({ encoding: 'l16', sampleRate: params.vonageSampleRate }),
  detect: detectVonageCall,
  environment: {
    applicationId: 'VONAGE_APPLICATION_ID',
    privateKey: 'VONAGE_PRIVATE_KEY',
    apiBaseUrl: 'VONAGE_API_BASE_URL',
    signatureSecret: 'VONAGE_SIGNATURE_SECRET',
  },
  verifyWebhook: (request, options) => verifyVonageWebhook(request, options?.signatureSecret),
  hangUp: {
    control: (options, logger) => new VonageCallControl(options, logger),
    needs: (options) => ({ applicationId: options.applicationId, privateKey: options.privateKey }),
  },
  answerCallId: (request) => answerField(request.url, request.body, 'uuid'),
  answer(request) {
    // Vonage asks the answer_url for an NCCO with the call's `uuid` (GET query by default).
    const callUuid = answerField(request.url, request.body, 'uuid');
    const ncco = vonageWebSocketNcco({
      streamUrl: request.streamUrl,
      ...(callUuid !== undefined && callIdProblem(callUuid) === undefined ? { callUuid } : {}),
      ...callerHeaders(request.url, request.body),
    });
    return { contentType: 'application/json', body: JSON.stringify(ncco) };
  },
  inbound: {
    // The guide says other JSON messages "may be sent at any point in the call": unknown ones are
    // warned about once and ignored. No Vonage message names a stream, so there is no `streamIdOf`.
    events: VONAGE_INBOUND_EVENTS,
    schema: VonageInboundEventSchema,
    normalize: withConnectedEvent,
    binary: 'audio',
    toFrames(event, call) {
      switch (event.event) {
        case 'websocket:dtmf':
          return call.dtmf(String(event.digit ?? event.dtmf?.digit ?? ''));
        case 'websocket:notify': {
          const name = (event.payload as { name?: unknown } | undefined)?.name;
          if (typeof name !== 'string' || name === '') {
            call.logger.debug({ streamId: call.streamId }, '[vonage] notify without a checkpoint name');
            return undefined;
          }
          return checkpointReachedFrame(name);
        }
        case 'websocket:connected': {
          const contentType = event['content-type'];
          const rate = vonageRateOf(contentType);
          const current = call.wireFormat.sampleRate;
          if (rate === undefined) {
            if (contentType !== undefined) {
              call.warn(
                'unsupported-format',
                `websocket:connected announces ${previewValue(contentType)}; keeping ${current} Hz`,
              );
            }
          } else if (rate !== current) {
            // The first message is authoritative for what Vonage sends and expects back.
            call.warn(
              'rate-mismatch',
              `content-type says ${rate} Hz, params say ${current} Hz; using ${rate} Hz`,
            );
            call.setWireFormat({ encoding: 'l16', sampleRate: rate }, 'both');
          }
          return undefined;
        }
        case 'websocket:cleared':
          call.logger.debug({ streamId: call.streamId }, '[vonage] playback buffer cleared');
          return undefined;
      }
    },
  },
  outbound: () => ({
    // With a framer, each chunk is a new array of its own: it goes out as is.
    media: (bytes) => bytes,
    clear: vonageClearCommand,
    checkpoint: vonageNotifyCommand,
  }),
  framer: (format) => createVonageFramer(format.sampleRate),
});

/** Fields of `websocket:connected` that Vonage sets itself; the rest are the NCCO's headers. */
const OWN_FIELDS = new Set(['event', 'content-type']);

/**
 * Recognises Vonage's first message, `websocket:connected`. The call uuid comes from the NCCO
 * header `call_uuid` (or `uuid`), which `vonageWebSocketNcco` and the `answer` hook put there; the
 * stream id is that uuid too, or a random one when the NCCO carried none. Never throws.
 */
export function detectVonageCall(message: unknown): CallDetection {
  try {
    const value = typeof message === 'string' ? JSON.parse(message) : message;
    const parsed = VonageConnectedEventSchema.safeParse(withConnectedEvent(value));
    if (!parsed.success) return undefined;
    const connected = parsed.data as Record<string, unknown>;
    const uuid = [connected[VONAGE_CALL_UUID_HEADER], connected.uuid].find(
      (candidate): candidate is string => typeof candidate === 'string' && candidate !== '',
    );
    const headers = Object.fromEntries(Object.entries(connected).filter(([key]) => !OWN_FIELDS.has(key)));
    const rate = vonageRateOf(connected['content-type']);
    return {
      streamId: uuid ?? randomUUID(),
      ...(uuid !== undefined ? { callId: uuid } : {}),
      params: {
        ...(rate !== undefined ? { vonageSampleRate: rate } : {}),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
      },
      // The NCCO's headers are the only custom data Vonage passes; our answer puts from/to there.
      metadata: callMetadata({ from: headers.from, to: headers.to, customParameters: headers, raw: value }),
    };
  } catch {
    return undefined;
  }
}

/** A field of Vonage's answer webhook (`uuid`, `from`, `to`): in the query (GET) or the JSON body (POST). */
function answerField(url: string, body: string, name: string): string | undefined {
  try {
    const fromQuery = new URL(url).searchParams.get(name);
    if (fromQuery) return fromQuery;
  } catch {
    // not a URL: try the body
  }
  try {
    const value = (JSON.parse(body) as Record<string, unknown> | null)?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

const ADDRESS = /^[+A-Za-z0-9:@._-]{1,128}$/;

/**
 * The answer webhook's `from` and `to` as NCCO headers: Vonage echoes them in `websocket:connected`,
 * where `detect` reads them into `call.info` (headers are capped at 512 bytes, so each is bounded).
 */
function callerHeaders(url: string, body: string): { headers?: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const name of ['from', 'to'] as const) {
    const value = answerField(url, body, name);
    if (value !== undefined && ADDRESS.test(value)) headers[name] = value;
  }
  return Object.keys(headers).length === 0 ? {} : { headers };
}

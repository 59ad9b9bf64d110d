import type { CallInfo, CallMetadata, WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { plivo } from '../carrier.js';
import { PlivoOutboundEventSchema } from '../events.js';
import type { PlivoOptions, ResolvedPlivoOptions } from '../options.js';
import { computePlivoSignatureV3 } from '../signature.js';
import { startFakePlivoApi } from './fake-api.js';

/** XML text or attribute value with the five predefined entities turned back into characters. */
const unescapeXml = (text: string): string =>
  text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '',
  );

// The harness encodes and decodes wire audio with its own G.711 and L16 code (the classic Sun g711.c
// algorithm, written out here), so the suite does not grade the serializer with the codec it uses.

function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

const SEGMENT_ENDS = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];

function linearToUlaw(sample: number): number {
  let value = sample >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  value = Math.min(value, 8159) + 0x21;
  const segment = SEGMENT_ENDS.findIndex((end) => value <= end);
  if (segment < 0) return 0x7f ^ mask;
  return ((segment << 4) | ((value >> (segment + 1)) & 0xf)) ^ mask;
}

function encodeL16Le(pcm: Int16Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    bytes[2 * i] = pcm[i]! & 0xff;
    bytes[2 * i + 1] = (pcm[i]! >> 8) & 0xff;
  }
  return bytes;
}

function decodeL16Le(bytes: Uint8Array): Int16Array {
  const pcm = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = ((bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16) >> 16;
  return pcm;
}

const AUTH_ID = 'MAFAKEACCOUNT0000001';
const AUTH_TOKEN = 'plivo-conformance-token-Zq8Xv2';

const OUTBOUND_EVENTS = new Set(['playAudio', 'checkpoint', 'clearAudio', 'sendDTMF']);

/** An outbound message as Plivo would read it, or `undefined` when it is not one of Plivo's. */
function outbound(message: WireMessage) {
  if (typeof message !== 'string') return undefined;
  try {
    const parsed = PlivoOutboundEventSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** How a call is streamed: mu-law at 8 kHz (Plivo's usual) or linear PCM at 16 kHz. */
/** Plivo's `extra_headers` text: `k=v` pairs joined with `;`. */
function extraHeadersOf(parameters: Readonly<Record<string, string>>): string {
  return Object.entries(parameters)
    .map(([key, value]) => `${key}=${value}`)
    .join(';');
}

/** What Callwire's answer XML puts in `extraHeaders`: the numbers without `+`, and the custom ones. */
function callerExtraHeaders(metadata: CallMetadata): Record<string, string> {
  return {
    ...metadata.customParameters,
    ...(metadata.from ? { from: metadata.from.replace(/^\+/, '') } : {}),
    ...(metadata.to ? { to: metadata.to.replace(/^\+/, '') } : {}),
    ...(metadata.direction ? { direction: metadata.direction } : {}),
  };
}

export type PlivoHarnessFormat = 'mulaw-8k' | 'l16-16k';

/** The conformance harness for Plivo, for one wire format. */
export function createPlivoHarness(
  format: PlivoHarnessFormat,
): CarrierHarness<PlivoOptions, ResolvedPlivoOptions> {
  const l16 = format === 'l16-16k';
  const contentType = l16 ? 'audio/x-l16' : 'audio/x-mulaw';
  const wireSampleRate = l16 ? 16000 : 8000;
  return {
    plugin: plivo,
    wireSampleRate,
    // Plivo's answer URL request: a form POST naming the call `CallUUID`; the answer is `<Stream>` XML.
    answer: {
      request: (callId, answerUrl) => {
        const params = { CallUUID: callId, Direction: 'inbound', From: '15550100', To: '15550199' };
        const nonce = `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
        const signature =
          computePlivoSignatureV3({ method: 'POST', url: answerUrl, params, nonce, authToken: AUTH_TOKEN }) ??
          '';
        return {
          method: 'POST',
          contentType: 'application/x-www-form-urlencoded',
          body: new URLSearchParams(params).toString(),
          headers: { 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': nonce },
        };
      },
      streamUrl: (document) => {
        const text = /<Stream\b[^>]*>([^<]*)<\/Stream>/.exec(document)?.[1];
        return text === undefined ? undefined : unescapeXml(text.trim());
      },
    },
    wireCodec: l16 ? 'l16' : 'mulaw',
    supports: {
      dtmf: true,
      clear: true,
      checkpoint: true,
      outputDtmf: true,
      hangUp: true,
      transportMessage: true,
      metadata: ['from', 'to', 'direction', 'customParameters'],
      transfer: true,
    },
    startApi: () => startFakePlivoApi({ authId: AUTH_ID, authToken: AUTH_TOKEN }),
    options: ({ apiUrl, hangUpTimeoutMs }) => ({
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: apiUrl,
      hangUpTimeoutMs,
    }),
    secrets: [AUTH_TOKEN, Buffer.from(`${AUTH_ID}:${AUTH_TOKEN}`).toString('base64')],
    call: ({ callId, streamId, sampleRate, autoHangUp }): CallInfo => ({
      callId,
      streamId,
      params: { sampleRate, autoHangUp, contentType, plivoSampleRate: wireSampleRate },
    }),
    wire: {
      start: (call) => [
        JSON.stringify({
          event: 'start',
          sequenceNumber: 1,
          start: {
            callId: call.callId,
            streamId: call.streamId,
            accountId: AUTH_ID,
            tracks: ['inbound'],
            mediaFormat: { encoding: contentType, sampleRate: wireSampleRate },
          },
          extra_headers: extraHeadersOf(
            call.metadata ? callerExtraHeaders(call.metadata) : { userId: '12345', sessionId: 'abc' },
          ),
        }),
      ],
      media: (call, pcm) =>
        JSON.stringify({
          event: 'media',
          sequenceNumber: 2,
          streamId: call.streamId,
          media: {
            track: 'inbound',
            timestamp: '1705312200000',
            chunk: 1,
            payload: Buffer.from(l16 ? encodeL16Le(pcm) : Uint8Array.from(pcm, linearToUlaw)).toString(
              'base64',
            ),
          },
          extra_headers: 'userId=12345;sessionId=abc',
        }),
      dtmf: (call, digit) =>
        JSON.stringify({
          event: 'dtmf',
          sequenceNumber: 3,
          streamId: call.streamId,
          dtmf: { track: 'inbound', digit, timestamp: '1705312200000' },
        }),
      checkpointReached: (call, name) =>
        JSON.stringify({ event: 'playedStream', sequenceNumber: 4, streamId: call.streamId, name }),
      cleared: (call) =>
        JSON.stringify({ event: 'clearedAudio', sequenceNumber: 5, streamId: call.streamId }),
    },
    read: {
      audio: (message) => {
        const event = outbound(message);
        if (event?.event !== 'playAudio') return undefined;
        const bytes = new Uint8Array(Buffer.from(event.media.payload, 'base64'));
        return event.media.contentType === 'audio/x-l16'
          ? decodeL16Le(bytes)
          : Int16Array.from(bytes, ulawToLinear);
      },
      isClear: (message) => outbound(message)?.event === 'clearAudio',
      checkpointName: (message) => {
        const event = outbound(message);
        return event?.event === 'checkpoint' ? event.name : undefined;
      },
      outputDtmf: (message) => {
        const event = outbound(message);
        return event?.event === 'sendDTMF' ? event.dtmf : undefined;
      },
      // Everything sent to Plivo is JSON text; its own events must be as its schema says.
      problem: (message) => {
        if (typeof message !== 'string') return 'Plivo takes text messages only';
        let json: unknown;
        try {
          json = JSON.parse(message);
        } catch {
          return 'not JSON';
        }
        const event = (json as { event?: unknown } | null)?.event;
        if (typeof event === 'string' && OUTBOUND_EVENTS.has(event) && outbound(message) === undefined) {
          return `a ${event} message Plivo's schema refuses`;
        }
        return undefined;
      },
    },
    hangUpRequest: { method: 'DELETE', path: (callId) => `/v1/Account/${AUTH_ID}/Call/${callId}/` },
    transferRequest: { method: 'POST', path: (callId) => `/v1/Account/${AUTH_ID}/Call/${callId}/` },
    hostileMessages: [
      '{"event":"media","media":{"payload":"AAA"}}',
      '{"event":"played"}',
      '{"event":"playedStream","name":42}',
      '{"event":"start","start":{"callId":"","streamId":""}}',
      '{"event":"media","streamId":"another-stream","media":{"payload":"//////////8="}}',
      '{"event":"media","media":{"track":"outbound","payload":"//////////8="}}',
      '{"event":"dtmf","dtmf":{"digit":"**"}}',
      '{"event":"clearedAudio","sequenceNumber":-1}',
    ],
  };
}

/** Plivo's usual stream: mu-law at 8 kHz. */
export const plivoHarness = createPlivoHarness('mulaw-8k');
/** Linear PCM (little-endian L16) at 16 kHz. */
export const plivoL16Harness = createPlivoHarness('l16-16k');

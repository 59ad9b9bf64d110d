import type { CallInfo, WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import alawmulaw from 'alawmulaw';
import { telnyx } from '../carrier.js';
import { type TelnyxOutboundEvent, TelnyxOutboundEventSchema } from '../events.js';
import type { ResolvedTelnyxOptions, TelnyxEncoding, TelnyxOptions } from '../options.js';
import { startFakeTelnyxApi } from './fake-api.js';

/** XML text or attribute value with the five predefined entities turned back into characters. */
const unescapeXml = (text: string): string =>
  text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '',
  );

// Wire audio is encoded and decoded with an independent G.711 implementation (the alawmulaw
// package), so the suite does not grade the serializer with the codec it uses itself.

const API_KEY = 'KEY01TELNYXCONFORMANCE_Zp4Rt8';

/**
 * Longest media Telnyx plays from one message: 30 s [G] (developers.telnyx.com/docs/voice/
 * programmable-voice/media-streaming), in bytes of 8 kHz G.711.
 */
const MAX_MEDIA_BYTES = 30 * 8000;

/** What Telnyx makes of one outbound message. */
type TelnyxReading =
  | { readonly refused: string }
  | { readonly event: TelnyxOutboundEvent }
  /** JSON that names none of Telnyx's events: an application's transport message, sent as asked. */
  | { readonly passThrough: true };

function readTelnyxMessage(message: WireMessage): TelnyxReading {
  if (typeof message !== 'string')
    return { refused: `binary (${message.byteLength} bytes); Telnyx reads text` };
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { refused: `not JSON: ${message.slice(0, 40)}` };
  }
  const kind = (json as { event?: unknown } | null)?.event;
  if (kind !== 'media' && kind !== 'mark' && kind !== 'clear') return { passThrough: true };
  const result = TelnyxOutboundEventSchema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`);
    return { refused: `Telnyx cannot parse this "${kind}": ${where.join(', ')}` };
  }
  const event = result.data;
  if (event.event === 'media' && Buffer.byteLength(event.media.payload, 'base64') > MAX_MEDIA_BYTES) {
    return { refused: 'a media message longer than the 30 s Telnyx plays from one message' };
  }
  return { event };
}

/**
 * Why Telnyx would refuse an outbound message, else `undefined`: it reads JSON text, and a `media`,
 * `mark` or `clear` must match its outbound schema (a `media` payload standard padded base64, 30 s at most).
 */
export function telnyxOutboundProblem(message: WireMessage): string | undefined {
  const reading = readTelnyxMessage(message);
  return 'refused' in reading ? reading.refused : undefined;
}

/** An outbound message as Telnyx would read it, or `undefined` when it is not one of Telnyx's. */
function outbound(message: WireMessage): TelnyxOutboundEvent | undefined {
  const reading = readTelnyxMessage(message);
  return 'event' in reading ? reading.event : undefined;
}

/** The conformance harness for Telnyx media streaming, with G.711 `encoding` both ways. */
export function createTelnyxHarness(
  encoding: TelnyxEncoding,
): CarrierHarness<TelnyxOptions, ResolvedTelnyxOptions> {
  const codec = encoding === 'PCMA' ? alawmulaw.alaw : alawmulaw.mulaw;
  return {
    plugin: telnyx,
    wireSampleRate: 8000,
    // A TeXML webhook: a form POST naming the call `CallSid` (= `CallControlId`); the answer is `<Stream url>`.
    answer: {
      request: (callId) => ({
        method: 'POST',
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({
          CallSid: callId,
          CallControlId: callId,
          From: '+15550100',
          To: '+15550199',
        }).toString(),
      }),
      streamUrl: (document) => {
        const url = /<Stream\b[^>]*\burl="([^"]*)"/.exec(document)?.[1];
        return url === undefined ? undefined : unescapeXml(url);
      },
    },
    wireCodec: encoding === 'PCMA' ? 'alaw' : 'mulaw',
    supports: {
      dtmf: true,
      clear: true,
      checkpoint: true,
      // The media-streaming socket accepts media, mark and clear only.
      outputDtmf: false,
      outputDtmfInBand: true,
      outputDtmfRest: true,
      transfer: true,
      hangUp: true,
      transportMessage: true,
      metadata: ['from', 'to', 'customParameters'],
    },
    startApi: () => startFakeTelnyxApi({ apiKey: API_KEY }),
    options: ({ apiUrl, hangUpTimeoutMs }) => ({ apiKey: API_KEY, apiBaseUrl: apiUrl, hangUpTimeoutMs }),
    secrets: [API_KEY],
    call: ({ callId, streamId, sampleRate, autoHangUp }): CallInfo => ({
      callId,
      streamId,
      params: { sampleRate, autoHangUp, inboundEncoding: encoding },
    }),
    wire: {
      start: (call) => [
        JSON.stringify({ event: 'connected', version: '1.0.0' }),
        JSON.stringify({
          event: 'start',
          sequence_number: '1',
          start: {
            user_id: '3E6F995F-85F7-4705-9741-53B116D28237',
            call_control_id: call.callId,
            call_session_id: 'ff55a038-6f5d-11ef-9692-02420aeffb1f',
            from: call.metadata?.from ?? '+13122010094',
            to: call.metadata?.to ?? '+13122123456',
            ...(call.metadata ? { custom_parameters: call.metadata.customParameters } : {}),
            media_format: { encoding, sample_rate: 8000, channels: 1 },
          },
          stream_id: call.streamId,
        }),
      ],
      media: (call, pcm) =>
        JSON.stringify({
          event: 'media',
          sequence_number: '4',
          media: {
            track: 'inbound',
            chunk: '2',
            timestamp: '5',
            payload: Buffer.from(codec.encode(pcm)).toString('base64'),
          },
          stream_id: call.streamId,
        }),
      dtmf: (call, digit) =>
        JSON.stringify({
          event: 'dtmf',
          stream_id: call.streamId,
          occurred_at: '2025-06-05T08:54:19.698408Z',
          sequence_number: '5',
          dtmf: { digit },
        }),
      checkpointReached: (call, name) =>
        JSON.stringify({ event: 'mark', stream_id: call.streamId, sequence_number: '6', mark: { name } }),
    },
    read: {
      audio: (message) => {
        const event = outbound(message);
        if (event?.event !== 'media') return undefined;
        return codec.decode(new Uint8Array(Buffer.from(event.media.payload, 'base64')));
      },
      isClear: (message) => outbound(message)?.event === 'clear',
      checkpointName: (message) => {
        const event = outbound(message);
        return event?.event === 'mark' ? event.mark.name : undefined;
      },
      problem: telnyxOutboundProblem,
    },
    hangUpRequest: { method: 'POST', path: (callId) => `/v2/calls/${callId}/actions/hangup` },
    transferRequest: { method: 'POST', path: (callId) => `/v2/calls/${callId}/actions/transfer` },
    dtmfRequest: { method: 'POST', path: (callId) => `/v2/calls/${callId}/actions/send_dtmf` },
    // A command to an ended call: 422 with code 90018 (a 404 means a wrong id or URL: a failure).
    alreadyEndedFault: {
      status: 422,
      body: JSON.stringify({ errors: [{ code: '90018', title: 'Call has already ended' }] }),
    },
    hostileMessages: [
      '{"event":"connected","version":1}',
      '{"event":"start","stream_id":"","start":{"call_control_id":""}}',
      '{"event":"start","stream_id":"x","start":{"call_control_id":"v3:x","media_format":{"encoding":"OPUS"}}}',
      '{"event":"media","media":{"payload":"AAA"}}',
      '{"event":"media","stream_id":"another-stream","media":{"payload":"//////////8="}}',
      '{"event":"media","media":{"track":"outbound","payload":"//////////8="}}',
      '{"event":"dtmf","dtmf":{"digit":"##"}}',
      '{"event":"mark","mark":{"name":7}}',
      '{"event":"error","payload":{"code":{},"title":[],"detail":null}}',
      '{"event":"error"}',
      '{"event":"stop","stop":[]}',
    ],
  };
}

/** Telnyx's default: PCMU (mu-law) at 8 kHz both ways. */
export const telnyxHarness = createTelnyxHarness('PCMU');
/** PCMA (A-law) at 8 kHz both ways. */
export const telnyxPcmaHarness = createTelnyxHarness('PCMA');

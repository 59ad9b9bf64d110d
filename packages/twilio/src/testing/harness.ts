import type { CallInfo, WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import alawmulaw from 'alawmulaw';
import { twilio } from '../carrier.js';
import { type TwilioOutboundEvent, TwilioOutboundEventSchema } from '../events.js';
import type { ResolvedTwilioOptions, TwilioOptions } from '../options.js';
import { computeTwilioSignature } from '../signature.js';
import { startFakeTwilioApi } from './fake-api.js';

/** XML text or attribute value with the five predefined entities turned back into characters. */
const unescapeXml = (text: string): string =>
  text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '',
  );

// Wire audio is encoded and decoded with an independent G.711 implementation (the alawmulaw
// package), so the suite does not grade the serializer with the codec it uses itself.

const ACCOUNT_SID = 'ACfa4e0000000000000000000000000001';
const AUTH_TOKEN = 'twilio-conformance-token-Kq7Wm3';

/** The `event` names of Twilio's outbound messages (twilio.com/docs/voice/media-streams/websocket-messages). */
const OUTBOUND_EVENTS: ReadonlySet<unknown> = new Set(['media', 'mark', 'clear']);

/** An outbound message as Twilio reads it: one of its events, a problem, or neither (other JSON). */
function readOutbound(message: WireMessage): { event?: TwilioOutboundEvent; problem?: string } {
  if (typeof message !== 'string') {
    return { problem: `a ${message.byteLength}-byte binary message (Twilio reads JSON text only)` };
  }
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { problem: 'text that is not JSON' };
  }
  const name = (json as { event?: unknown } | null)?.event;
  // Other JSON is an application's own transport message, sent as it asked: not graded here.
  if (!OUTBOUND_EVENTS.has(name)) return {};
  const parsed = TwilioOutboundEventSchema.safeParse(json);
  if (parsed.success) return { event: parsed.data };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  return { problem: `a malformed "${String(name)}" (${issues.join('; ')})` };
}

/**
 * Why Twilio would refuse an outbound message, else `undefined`: it reads JSON text only, and a
 * `media`, `mark` or `clear` it cannot parse is error 31924 (twilio.com/docs/api/errors/31924).
 */
export const twilioOutboundProblem = (message: WireMessage): string | undefined =>
  readOutbound(message).problem;

const outbound = (message: WireMessage) => readOutbound(message).event;

// Media Streams accepts media, mark and clear only: everything but output DTMF.
const CAPABILITIES = {
  dtmf: true,
  clear: true,
  checkpoint: true,
  hangUp: true,
  transportMessage: true,
  metadata: ['from', 'to', 'direction', 'customParameters'] as const,
  outputDtmfInBand: true,
  transfer: true,
};

/** The conformance harness for Twilio Media Streams (always mu-law at 8 kHz). */
export const twilioHarness: CarrierHarness<TwilioOptions, ResolvedTwilioOptions> = {
  plugin: twilio,
  wireSampleRate: 8000,
  // Twilio's voice webhook: a form POST naming the call `CallSid`; the answer is `<Connect><Stream url>`.
  answer: {
    request: (callId, answerUrl) => {
      const params = { CallSid: callId, AccountSid: ACCOUNT_SID, From: '+15550100', To: '+15550199' };
      return {
        method: 'POST',
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams(params).toString(),
        headers: { 'x-twilio-signature': computeTwilioSignature(AUTH_TOKEN, answerUrl, params) },
      };
    },
    streamUrl: (document) => {
      const url = /<Stream\b[^>]*\burl="([^"]*)"/.exec(document)?.[1];
      return url === undefined ? undefined : unescapeXml(url);
    },
  },
  wireCodec: 'mulaw',
  supports: { ...CAPABILITIES, outputDtmf: false },
  transferRequest: {
    method: 'POST',
    path: (callId) => `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${callId}.json`,
  },
  startApi: () => startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }),
  options: ({ apiUrl, hangUpTimeoutMs }) => ({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    apiBaseUrl: apiUrl,
    hangUpTimeoutMs,
  }),
  secrets: [AUTH_TOKEN, Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')],
  call: ({ callId, streamId, sampleRate, autoHangUp }): CallInfo => ({
    callId,
    streamId,
    params: { sampleRate, autoHangUp },
  }),
  wire: {
    start: (call) => [
      JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }),
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        start: {
          accountSid: ACCOUNT_SID,
          streamSid: call.streamId,
          callSid: call.callId,
          tracks: ['inbound'],
          // Callwire's answer passes from, to and direction as <Parameter>s, next to the custom ones.
          customParameters: call.metadata
            ? {
                ...call.metadata.customParameters,
                ...(call.metadata.from ? { from: call.metadata.from } : {}),
                ...(call.metadata.to ? { to: call.metadata.to } : {}),
                ...(call.metadata.direction ? { direction: call.metadata.direction } : {}),
              }
            : { from_number: '+15551234567' },
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        },
        streamSid: call.streamId,
      }),
    ],
    media: (call, pcm) =>
      JSON.stringify({
        event: 'media',
        sequenceNumber: '3',
        media: {
          track: 'inbound',
          chunk: '2',
          timestamp: '20',
          payload: Buffer.from(alawmulaw.mulaw.encode(pcm)).toString('base64'),
        },
        streamSid: call.streamId,
      }),
    dtmf: (call, digit) =>
      JSON.stringify({
        event: 'dtmf',
        streamSid: call.streamId,
        sequenceNumber: '4',
        dtmf: { track: 'inbound_track', digit },
      }),
    checkpointReached: (call, name) =>
      JSON.stringify({ event: 'mark', sequenceNumber: '5', streamSid: call.streamId, mark: { name } }),
  },
  read: {
    audio: (message) => {
      const event = outbound(message);
      if (event?.event !== 'media') return undefined;
      return alawmulaw.mulaw.decode(new Uint8Array(Buffer.from(event.media.payload, 'base64')));
    },
    isClear: (message) => outbound(message)?.event === 'clear',
    problem: twilioOutboundProblem,
    checkpointName: (message) => {
      const event = outbound(message);
      return event?.event === 'mark' ? event.mark.name : undefined;
    },
  },
  hangUpRequest: {
    method: 'POST',
    path: (callId) => `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${callId}.json`,
  },
  hostileMessages: [
    '{"event":"connected"}',
    '{"event":"start","start":{"streamSid":"","callSid":""}}',
    '{"event":"media","media":{"payload":"AAA"}}',
    '{"event":"media","sequenceNumber":4,"media":{"chunk":{},"payload":"//8="}}',
    '{"event":"media","streamSid":"MZanother","media":{"payload":"//////////8="}}',
    '{"event":"media","media":{"track":"outbound","payload":"//////////8="}}',
    '{"event":"dtmf","dtmf":{"track":"inbound_track","digit":"**"}}',
    '{"event":"dtmf","dtmf":{}}',
    '{"event":"mark","mark":{"name":""}}',
    '{"event":"stop","stop":"now"}',
    '{"event":"clear"}',
  ],
};

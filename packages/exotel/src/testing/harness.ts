import type { WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { exotel } from '../carrier.js';
import { type ExotelOutboundEvent, ExotelOutboundEventSchema } from '../events.js';
import {
  EXOTEL_CHUNK_GRID_BYTES,
  EXOTEL_MAX_CHUNK_BYTES,
  type ExotelOptions,
  type ResolvedExotelOptions,
} from '../options.js';

// The harness writes and reads wire audio with its own little-endian L16 code, so the suite does not
// grade the serializer with the codec it uses.

function pcmToBase64(pcm: Int16Array): string {
  const bytes = Buffer.alloc(pcm.length * 2);
  for (const [index, sample] of pcm.entries()) bytes.writeInt16LE(sample, index * 2);
  return bytes.toString('base64');
}

function bytesToPcm(bytes: Buffer): Int16Array {
  return Int16Array.from({ length: bytes.length >> 1 }, (_, index) => bytes.readInt16LE(index * 2));
}

/** Standard padded base64, the only kind Exotel documents for `media.payload`. */
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The events Exotel reads from the application; any other JSON is the application's own message. */
const EXOTEL_OUTBOUND_EVENTS = ['media', 'mark', 'clear'];

type Verdict = { readonly event: ExotelOutboundEvent } | { readonly problem: string } | undefined;

/** An outbound message as Exotel reads it: one of its events, why it refuses it, or neither (other JSON). */
function judge(message: WireMessage): Verdict {
  if (typeof message !== 'string') return { problem: 'a binary message: Exotel reads JSON text only' };
  let json: { event?: unknown } | null;
  try {
    json = JSON.parse(message);
  } catch {
    return { problem: 'text that is not JSON' };
  }
  if (!EXOTEL_OUTBOUND_EVENTS.includes(json?.event as string)) return undefined;
  const result = ExotelOutboundEventSchema.safeParse(json);
  if (!result.success) return { problem: `a malformed "${String(json?.event)}": ${result.error.message}` };
  if (result.data.event !== 'media') return { event: result.data };
  const { payload } = result.data.media;
  if (!STANDARD_BASE64.test(payload))
    return { problem: 'a media payload that is not standard padded base64' };
  const size = Buffer.byteLength(payload, 'base64');
  // Every chunk sits on the 320-byte grid and under the 100 KB limit (options.ts has the source). The
  // 3.2 KB minimum is not checked here: the audio flushed before a mark and at the end may be less,
  // padded up to the grid, and a message alone does not say whether it is such a flush.
  if (size % EXOTEL_CHUNK_GRID_BYTES !== 0 || size > EXOTEL_MAX_CHUNK_BYTES) {
    return {
      problem: `a ${size}-byte media chunk (Exotel takes multiples of ${EXOTEL_CHUNK_GRID_BYTES} bytes up to ${EXOTEL_MAX_CHUNK_BYTES})`,
    };
  }
  return { event: result.data };
}

function eventOf(message: WireMessage): ExotelOutboundEvent | undefined {
  const verdict = judge(message);
  return verdict !== undefined && 'event' in verdict ? verdict.event : undefined;
}

/** How the conformance suite drives Exotel: 8 kHz L16 in base64 JSON, no REST hang-up. */
export const exotelHarness: CarrierHarness<ExotelOptions, ResolvedExotelOptions> = {
  plugin: exotel,
  wireSampleRate: 8000,
  // The Voicebot applet's https URL: Exotel GETs it with the call's `CallSid` and reads `{"url": ...}`.
  answer: {
    request: (callId) => ({ method: 'GET', query: new URLSearchParams({ CallSid: callId }).toString() }),
    streamUrl: (document) => {
      try {
        const url = (JSON.parse(document) as { url?: unknown }).url;
        return typeof url === 'string' ? url : undefined;
      } catch {
        return undefined;
      }
    },
  },
  wireCodec: 'l16',
  supports: {
    dtmf: true,
    clear: true,
    checkpoint: true,
    outputDtmf: false,
    outputDtmfInBand: true,
    // Exotel has no REST API that ends a Voicebot call (see README).
    hangUp: false,
    transportMessage: true,
    metadata: ['from', 'to', 'customParameters'],
  },
  options: () => ({}),
  secrets: [],
  // autoHangUp is always off: Exotel refuses it (no hang-up API).
  call: ({ callId, streamId, sampleRate }) => ({
    streamId,
    callId,
    params: { sampleRate, exotelSampleRate: 8000, autoHangUp: false },
  }),
  wire: {
    start: (call) => [
      '{"event":"connected"}',
      JSON.stringify({
        event: 'start',
        sequence_number: '1',
        stream_sid: call.streamId,
        start: {
          stream_sid: call.streamId,
          call_sid: call.callId,
          account_sid: 'exotel-test-account',
          from: call.metadata?.from ?? '+919876543210',
          to: call.metadata?.to ?? '+918047491899',
          custom_parameters: call.metadata?.customParameters ?? {},
          media_format: { encoding: 'audio/x-raw', sample_rate: '8000', bit_rate: '16' },
        },
      }),
    ],
    media: (call, pcm) =>
      JSON.stringify({
        event: 'media',
        sequence_number: '3',
        stream_sid: call.streamId,
        media: { chunk: '2', timestamp: '200', payload: pcmToBase64(pcm) },
      }),
    dtmf: (call, digit) =>
      JSON.stringify({
        event: 'dtmf',
        sequence_number: '7',
        stream_sid: call.streamId,
        dtmf: { digit, duration: '100' },
      }),
    checkpointReached: (call, name) =>
      JSON.stringify({ event: 'mark', sequence_number: '15', stream_sid: call.streamId, mark: { name } }),
  },
  read: {
    audio: (message) => {
      const event = eventOf(message);
      return event?.event === 'media' ? bytesToPcm(Buffer.from(event.media.payload, 'base64')) : undefined;
    },
    isClear: (message) => eventOf(message)?.event === 'clear',
    checkpointName: (message) => {
      const event = eventOf(message);
      return event?.event === 'mark' ? event.mark.name : undefined;
    },
    problem: (message) => {
      const verdict = judge(message);
      return verdict !== undefined && 'problem' in verdict ? verdict.problem : undefined;
    },
  },
  hostileMessages: [
    '{"event":"media","media":{"payload":"!!!not base64!!!"}}',
    '{"event":"media","media":{"payload":"AQ"}}',
    '{"event":"start","start":{"stream_sid":5}}',
    '{"event":"dtmf","dtmf":{"digit":["1"]}}',
    '{"event":"mark","mark":{"name":""}}',
    '{"event":"stop","stop":"callended"}',
  ],
};

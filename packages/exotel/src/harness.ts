import { l16LeToPcm, pcmToL16Le } from '@callwire/codec';
import type { WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { ExotelOutbound } from './events.js';
import type { ExotelOptions, ResolvedExotelOptions } from './options.js';
import { exotel } from './plugin.js';

function outbound(message: WireMessage) {
  if (typeof message !== 'string') return undefined;
  try {
    const parsed = ExotelOutbound.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function base64(pcm: Int16Array): string {
  const bytes = pcmToL16Le(pcm);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** How the conformance suite drives Exotel: 8 kHz L16 in base64 JSON, no REST hang-up. */
export const exotelHarness: CarrierHarness<ExotelOptions, ResolvedExotelOptions> = {
  plugin: exotel,
  wireSampleRate: 8000,
  wireCodec: 'l16',
  supports: {
    dtmf: true,
    clear: true,
    checkpoint: true,
    outputDtmf: false,
    // Exotel has no REST API that ends a Voicebot call (see README).
    hangUp: false,
    transportMessage: true,
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
          from: '+919876543210',
          to: '+918047491899',
          custom_parameters: {},
          media_format: { encoding: 'audio/x-raw', sample_rate: '8000', bit_rate: '16' },
        },
      }),
    ],
    media: (call, pcm) =>
      JSON.stringify({
        event: 'media',
        sequence_number: '3',
        stream_sid: call.streamId,
        media: { chunk: '2', timestamp: '200', payload: base64(pcm) },
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
      const parsed = outbound(message);
      return parsed?.event === 'media' ? l16LeToPcm(Buffer.from(parsed.media.payload, 'base64')) : undefined;
    },
    isClear: (message) => outbound(message)?.event === 'clear',
    checkpointName: (message) => {
      const parsed = outbound(message);
      return parsed?.event === 'mark' ? parsed.mark.name : undefined;
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

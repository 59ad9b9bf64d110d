import type { WireMessage } from '@callwire/core';

/** The ids a benchmark call uses on every carrier. */
export interface BenchCallIds {
  readonly callId: string;
  readonly streamId: string;
}

/**
 * How to talk to one carrier in the per-frame benchmark: the messages that open its stream
 * (fed to the plugin's `detect` and to the serializer), and one inbound media message built
 * the way the carrier builds it.
 */
export interface CarrierWireSpec {
  /** Package name and the plugin's export name. */
  readonly packageName: string;
  readonly pluginExport: string;
  /** Bytes of one 20 ms inbound frame on the wire, and how to make them from 8 kHz PCM. */
  readonly wireAudio: 'mulaw-8k' | 'l16-8k' | 'l16-16k';
  /** Hz of that audio. */
  readonly wireRate: number;
  /** Options for `registerCarrier` (no real credentials: the benchmark never hangs up). */
  readonly options: Record<string, unknown>;
  /** Per-call params merged over what `detect` returns. */
  readonly params: Record<string, unknown>;
  opening(ids: BenchCallIds): WireMessage[];
  /** One media message carrying `payload` (the wire bytes of one frame), as frame `index` of the call. */
  media(ids: BenchCallIds, payload: Uint8Array, index: number): WireMessage;
}

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** The carriers, in the order they are benchmarked (Plivo first). */
export const carrierWireSpecs: Record<string, CarrierWireSpec> = {
  // Plivo Audio Streams (carrier-protocols.md §1.1).
  plivo: {
    packageName: '@callwire/plivo',
    pluginExport: 'plivo',
    wireAudio: 'mulaw-8k',
    wireRate: 8000,
    options: { authId: 'MABENCHMARKBENCHMARK', authToken: 'bench-token-not-a-secret' },
    params: { autoHangUp: false },
    opening: ({ callId, streamId }) => [
      JSON.stringify({
        event: 'start',
        sequenceNumber: 1,
        start: {
          callId,
          streamId,
          accountId: 'MABENCHMARKBENCHMARK',
          tracks: ['inbound'],
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 },
        },
        extra_headers: 'userId=12345;sessionId=abc-xyz',
      }),
    ],
    media: ({ streamId }, payload, index) =>
      JSON.stringify({
        event: 'media',
        sequenceNumber: index + 2,
        streamId,
        media: {
          track: 'inbound',
          timestamp: String(1705312200000 + index * 20),
          chunk: index + 1,
          payload: base64(payload),
        },
        extra_headers: 'userId=12345;sessionId=abc-xyz',
      }),
  },
  // Twilio Media Streams (§2.1): numbers are strings.
  twilio: {
    packageName: '@callwire/twilio',
    pluginExport: 'twilio',
    wireAudio: 'mulaw-8k',
    wireRate: 8000,
    options: { accountSid: `AC${'0'.repeat(32)}`, authToken: '0'.repeat(32) },
    params: { autoHangUp: false },
    opening: ({ callId, streamId }) => [
      JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }),
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        start: {
          accountSid: `AC${'0'.repeat(32)}`,
          streamSid: streamId,
          callSid: callId,
          tracks: ['inbound'],
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
          customParameters: {},
        },
        streamSid: streamId,
      }),
    ],
    media: ({ streamId }, payload, index) =>
      JSON.stringify({
        event: 'media',
        sequenceNumber: String(index + 2),
        media: {
          track: 'inbound',
          chunk: String(index + 1),
          timestamp: String(index * 20),
          payload: base64(payload),
        },
        streamSid: streamId,
      }),
  },
  // Telnyx media streaming (§3.1): snake_case, stream_id at the top level.
  telnyx: {
    packageName: '@callwire/telnyx',
    pluginExport: 'telnyx',
    wireAudio: 'mulaw-8k',
    wireRate: 8000,
    options: { apiKey: 'KEYBENCHMARK' },
    params: { autoHangUp: false },
    opening: ({ callId, streamId }) => [
      JSON.stringify({ event: 'connected', version: '1.0.0' }),
      JSON.stringify({
        event: 'start',
        sequence_number: '1',
        stream_id: streamId,
        start: {
          user_id: 'bench-user',
          call_control_id: callId,
          call_session_id: 'bench-session',
          from: '+13122010094',
          to: '+13122123456',
          media_format: { encoding: 'PCMU', sample_rate: 8000, channels: 1 },
        },
      }),
    ],
    media: ({ streamId }, payload, index) =>
      JSON.stringify({
        event: 'media',
        sequence_number: String(index + 2),
        stream_id: streamId,
        media: {
          track: 'inbound',
          chunk: String(index + 1),
          timestamp: String(index * 20),
          payload: base64(payload),
        },
      }),
  },
  // Exotel Voicebot (§5.1): base64 of 16-bit little-endian PCM at 8 kHz.
  exotel: {
    packageName: '@callwire/exotel',
    pluginExport: 'exotel',
    wireAudio: 'l16-8k',
    wireRate: 8000,
    options: {},
    params: { autoHangUp: false },
    opening: ({ callId, streamId }) => [
      JSON.stringify({ event: 'connected' }),
      JSON.stringify({
        event: 'start',
        sequence_number: 1,
        stream_sid: streamId,
        start: {
          stream_sid: streamId,
          call_sid: callId,
          account_sid: 'bench-account',
          from: '+911234567890',
          to: '+911234567891',
          custom_parameters: {},
          media_format: { encoding: 'base64', sample_rate: '8000', bit_rate: '128kbps' },
        },
      }),
    ],
    media: ({ streamId }, payload, index) =>
      JSON.stringify({
        event: 'media',
        sequence_number: index + 2,
        stream_sid: streamId,
        media: { chunk: index + 1, timestamp: String(index * 20), payload: base64(payload) },
      }),
  },
  // Vonage Voice WebSocket (§4.1): a JSON `websocket:connected`, then binary 16-bit LE PCM frames.
  vonage: {
    packageName: '@callwire/vonage',
    pluginExport: 'vonage',
    wireAudio: 'l16-16k',
    wireRate: 16_000,
    options: {},
    params: { autoHangUp: false },
    opening: () => [JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000' })],
    media: (_ids, payload) => payload.slice(),
  },
};

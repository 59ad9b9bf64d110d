import type { CallInfo, WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { acme } from '../carrier.js';
import type { AcmeOptions, ResolvedAcmeOptions } from '../options.js';
import { startFakeAcmeApi } from './fake-api.js';

// The harness writes and reads Acme's wire audio with its own G.711 code (the classic Sun g711.c
// mu-law, written out here), so the suite never grades the carrier with the codec the kit uses.

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

/** An outbound message as Acme reads it: JSON with an `event`, else `undefined`. */
function outbound(
  message: WireMessage,
): { event?: unknown; name?: unknown; media?: { payload?: unknown } } | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

const API_KEY = 'acme-test-key-0123456789abcdef';

/** Acme for the carrier test kit and the call simulator: mu-law 8 kHz, every capability but output DTMF. */
export const acmeHarness: CarrierHarness<AcmeOptions, ResolvedAcmeOptions> = {
  plugin: acme,
  wireSampleRate: 8000,
  wireCodec: 'mulaw',
  supports: {
    dtmf: true,
    clear: true,
    checkpoint: true,
    outputDtmf: false,
    hangUp: true,
    transportMessage: true,
  },
  startApi: () => startFakeAcmeApi(API_KEY),
  options: ({ apiUrl, hangUpTimeoutMs }) => ({ apiKey: API_KEY, apiBaseUrl: apiUrl, hangUpTimeoutMs }),
  secrets: [API_KEY],
  call: ({ callId, streamId, sampleRate, autoHangUp }): CallInfo => ({
    callId,
    streamId,
    params: { sampleRate, autoHangUp },
  }),
  wire: {
    start: (call) => [JSON.stringify({ event: 'start', streamId: call.streamId, callId: call.callId })],
    media: (call, pcm) =>
      JSON.stringify({
        event: 'media',
        streamId: call.streamId,
        media: { payload: Buffer.from(Uint8Array.from(pcm, linearToUlaw)).toString('base64') },
      }),
    dtmf: (call, digit) => JSON.stringify({ event: 'dtmf', streamId: call.streamId, digit }),
    checkpointReached: (call, name) => JSON.stringify({ event: 'mark', streamId: call.streamId, name }),
    stop: (call) => JSON.stringify({ event: 'stop', streamId: call.streamId }),
  },
  read: {
    audio(message) {
      const json = outbound(message);
      if (json?.event !== 'media' || typeof json.media?.payload !== 'string') return undefined;
      return Int16Array.from(Buffer.from(json.media.payload, 'base64'), ulawToLinear);
    },
    isClear: (message) => outbound(message)?.event === 'clear',
    checkpointName(message) {
      const json = outbound(message);
      return json?.event === 'mark' && typeof json.name === 'string' ? json.name : undefined;
    },
    problem(message) {
      if (typeof message !== 'string') return 'Acme takes text messages only';
      try {
        JSON.parse(message);
        return undefined;
      } catch {
        return 'not JSON';
      }
    },
  },
  hangUpRequest: { method: 'DELETE', path: (callId) => `/v1/calls/${callId}` },
};

import { generateKeyPairSync } from 'node:crypto';
import type { WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { vonage } from '../carrier.js';
import { type VonageOutboundCommand, VonageOutboundCommandSchema } from '../events.js';
import type { ResolvedVonageOptions, VonageOptions, VonageSampleRate } from '../options.js';
import { startFakeVonageApi } from './fake-api.js';

// The harness writes and reads 16-bit little-endian PCM with its own code (DataView), so the suite
// does not grade the serializer with the codec it uses.

function encodeL16Le(pcm: Int16Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < pcm.length; index++) view.setInt16(2 * index, pcm[index]!, true);
  return bytes;
}

function decodeL16Le(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int16Array.from({ length: bytes.length >> 1 }, (_, index) => view.getInt16(2 * index, true));
}

const APPLICATION_ID = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
// A line from the middle of the key: a partial leak must be caught too.
const PRIVATE_KEY_LINE = PRIVATE_KEY.split('\n')[5] ?? PRIVATE_KEY;

/** Bytes of one 20 ms binary message: the guide's own numbers, not the framer's arithmetic. */
const FRAME_BYTES: Readonly<Record<VonageSampleRate, number>> = { 8000: 320, 16000: 640 };

/** An outbound text command as Vonage would read it, or `undefined` when it is not one. */
function command(message: WireMessage): VonageOutboundCommand | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const parsed = VonageOutboundCommandSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why Vonage would refuse `message` on a `sampleRate` Hz stream: a binary message must be exactly one
 * 20 ms frame ("it is important that each message is 320 or 640 bytes (depending on sample rate) and
 * contains 20ms of audio", the WebSocket guide); text must be JSON, and a command (`action`) one of its own.
 */
export function vonageOutboundProblem(
  message: WireMessage,
  sampleRate: VonageSampleRate,
): string | undefined {
  if (typeof message !== 'string') {
    const frameBytes = FRAME_BYTES[sampleRate];
    return message.length === frameBytes
      ? undefined
      : `a ${message.length}-byte binary message is not one 20 ms frame (${frameBytes} bytes at ${sampleRate} Hz)`;
  }
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return 'a text message that is not JSON';
  }
  const isCommand = value !== null && typeof value === 'object' && 'action' in value;
  return isCommand && command(message) === undefined
    ? `an unknown command ${message.slice(0, 80)}`
    : undefined;
}

/** The conformance harness for Vonage at one wire rate: binary L16 frames, JSON commands, REST hang-up. */
export function createVonageHarness(
  sampleRate: VonageSampleRate,
): CarrierHarness<VonageOptions, ResolvedVonageOptions> {
  const contentType = `audio/l16;rate=${sampleRate}`;
  return {
    plugin: vonage,
    wireSampleRate: sampleRate,
    // Vonage GETs the answer_url with the call's `uuid` and reads an NCCO whose websocket endpoint has the URI.
    answer: {
      request: (callId) => ({ method: 'GET', query: new URLSearchParams({ uuid: callId }).toString() }),
      streamUrl: (document) => {
        try {
          const ncco = JSON.parse(document) as { endpoint?: { type?: string; uri?: unknown }[] }[];
          const uri = ncco
            .flatMap((action) => action.endpoint ?? [])
            .find((endpoint) => endpoint.type === 'websocket')?.uri;
          return typeof uri === 'string' ? uri : undefined;
        } catch {
          return undefined;
        }
      },
    },
    wireCodec: 'l16',
    supports: {
      dtmf: true,
      // The Vonage guide: "digit contains the digit pressed 0-9 * or #".
      dtmfDigits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'],
      clear: true,
      checkpoint: true,
      outputDtmf: false,
      outputDtmfInBand: true,
      outputDtmfRest: true,
      transfer: true,
      hangUp: true,
      transportMessage: true,
      metadata: ['from', 'to', 'customParameters'],
    },
    startApi: () => startFakeVonageApi({ publicKey: PUBLIC_KEY, applicationId: APPLICATION_ID }),
    options: ({ apiUrl, hangUpTimeoutMs }) => ({
      applicationId: APPLICATION_ID,
      privateKey: PRIVATE_KEY,
      apiBaseUrl: apiUrl,
      hangUpTimeoutMs,
    }),
    secrets: [PRIVATE_KEY, PRIVATE_KEY_LINE],
    call: ({ callId, streamId, sampleRate: pipelineRate, autoHangUp }) => ({
      streamId,
      callId,
      params: { sampleRate: pipelineRate, vonageSampleRate: sampleRate, autoHangUp },
    }),
    wire: {
      start: (call) => [
        JSON.stringify({
          event: 'websocket:connected',
          'content-type': contentType,
          call_uuid: call.callId,
          ...call.metadata?.customParameters,
          // Callwire's answer NCCO puts the webhook's from and to in the headers Vonage echoes here.
          ...(call.metadata?.from ? { from: call.metadata.from } : {}),
          ...(call.metadata?.to ? { to: call.metadata.to } : {}),
        }),
      ],
      media: (_call, pcm) => encodeL16Le(pcm),
      dtmf: (_call, digit) => JSON.stringify({ event: 'websocket:dtmf', digit, duration: 260 }),
      checkpointReached: (_call, name) => JSON.stringify({ event: 'websocket:notify', payload: { name } }),
    },
    read: {
      audio: (message) =>
        message instanceof Uint8Array && message.length % 2 === 0 ? decodeL16Le(message) : undefined,
      isClear: (message) => command(message)?.action === 'clear',
      checkpointName: (message) => {
        const parsed = command(message);
        const name =
          parsed?.action === 'notify' ? (parsed.payload as { name?: unknown } | undefined)?.name : undefined;
        return typeof name === 'string' ? name : undefined;
      },
      problem: (message) => vonageOutboundProblem(message, sampleRate),
    },
    hangUpRequest: { method: 'PUT', path: (callId) => `/v1/calls/${callId}` },
    transferRequest: { method: 'PUT', path: (callId) => `/v1/calls/${callId}` },
    dtmfRequest: { method: 'PUT', path: (callId) => `/v1/calls/${callId}/dtmf` },
    hostileMessages: [
      new Uint8Array([7]),
      new Uint8Array(641),
      '{"event":"websocket:connected","content-type":"audio/l16;rate=44100"}',
      '{"event":"websocket:dtmf","digit":{"x":1}}',
      '{"event":"websocket:notify","payload":"x"}',
      '{"event":"websocket:notify","payload":{"name":42}}',
      '{"action":"clear"}',
    ],
  };
}

/** Vonage's usual stream (and `vonageWebSocketNcco`'s default): 16 kHz. */
export const vonageHarness = createVonageHarness(16000);
/** The narrowband stream: 8 kHz, 320-byte frames. */
export const vonage8kHarness = createVonageHarness(8000);

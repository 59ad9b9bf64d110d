import { generateKeyPairSync } from 'node:crypto';
import { l16LeToPcm, pcmToL16Le } from '@callwire/codec';
import type { WireMessage } from '@callwire/core';
import { type CarrierHarness, startFakeVonageApi } from '@callwire/testing';
import { VonageOutboundCommand } from './events.js';
import type { ResolvedVonageOptions, VonageOptions } from './options.js';
import { vonage } from './plugin.js';

const APPLICATION_ID = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
// A line from the middle of the key: a partial leak must be caught too.
const PRIVATE_KEY_LINE = PRIVATE_KEY.split('\n')[5] ?? PRIVATE_KEY;

function command(message: WireMessage) {
  if (typeof message !== 'string') return undefined;
  try {
    const parsed = VonageOutboundCommand.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** How the conformance suite drives Vonage: binary 16 kHz L16 frames, JSON commands, REST hang-up. */
export const vonageHarness: CarrierHarness<VonageOptions, ResolvedVonageOptions> = {
  plugin: vonage,
  wireSampleRate: 16000,
  wireCodec: 'l16',
  supports: {
    dtmf: true,
    // The Vonage guide: "digit contains the digit pressed 0-9 * or #".
    dtmfDigits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'],
    clear: true,
    checkpoint: true,
    outputDtmf: false,
    hangUp: true,
    transportMessage: true,
  },
  startApi: () => startFakeVonageApi({ publicKey: PUBLIC_KEY, applicationId: APPLICATION_ID }),
  options: ({ apiUrl, hangUpTimeoutMs }) => ({
    applicationId: APPLICATION_ID,
    privateKey: PRIVATE_KEY,
    apiBaseUrl: apiUrl,
    hangUpTimeoutMs,
  }),
  secrets: [PRIVATE_KEY, PRIVATE_KEY_LINE],
  call: ({ callId, streamId, sampleRate, autoHangUp }) => ({
    streamId,
    callId,
    params: { sampleRate, vonageSampleRate: 16000, autoHangUp },
  }),
  wire: {
    start: (call) => [
      JSON.stringify({
        event: 'websocket:connected',
        'content-type': 'audio/l16;rate=16000',
        call_uuid: call.callId,
      }),
    ],
    media: (_call, pcm) => pcmToL16Le(pcm),
    dtmf: (_call, digit) => JSON.stringify({ event: 'websocket:dtmf', digit, duration: 260 }),
    checkpointReached: (_call, name) => JSON.stringify({ event: 'websocket:notify', payload: { name } }),
  },
  read: {
    audio: (message) =>
      message instanceof Uint8Array && message.length % 2 === 0 ? l16LeToPcm(message) : undefined,
    isClear: (message) => command(message)?.action === 'clear',
    checkpointName: (message) => {
      const parsed = command(message);
      const name =
        parsed?.action === 'notify' ? (parsed.payload as { name?: unknown } | undefined)?.name : undefined;
      return typeof name === 'string' ? name : undefined;
    },
  },
  hangUpRequest: { method: 'PUT', path: (callId) => `/v1/calls/${callId}` },
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

import type { WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import alawmulaw from 'alawmulaw';
import { genesys } from '../carrier.js';
import { type GenesysServerMessage, GenesysServerMessageSchema } from '../events.js';
import { GENESYS_MAX_BINARY_BYTES, type GenesysOptions, type ResolvedGenesysOptions } from '../options.js';
import { genesysClientMessage, genesysOpenParameters } from './client-messages.js';

// Wire audio is encoded and decoded with an independent G.711 implementation (alawmulaw), so the
// suite does not grade the serializer with the codec it uses.

/** Bytes of each outbound binary message at the default 200 ms of 8 kHz PCMU. */
const FRAME_BYTES = 1600;
/** The test integration's credentials (the Genesys documentation's example values). */
export const GENESYS_TEST_API_KEY = 'SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh';
export const GENESYS_TEST_CLIENT_SECRET = 'TXlTdXBlclNlY3JldEtleVRlbGxOby0xITJAMyM0JDU=';

// Genesys numbers its messages per session: the harness keeps the last seq of each stream.
const sequences = new Map<string, number>();
function nextSeq(streamId: string): number {
  const seq = (sequences.get(streamId) ?? 0) + 1;
  sequences.set(streamId, seq);
  return seq;
}

type Verdict =
  | { readonly message: GenesysServerMessage }
  | { readonly problem: string }
  | { readonly audio: Uint8Array };

/** An outbound message as Genesys reads it. */
function judge(message: WireMessage): Verdict {
  if (typeof message !== 'string') {
    if (message.byteLength > GENESYS_MAX_BINARY_BYTES) {
      return { problem: `a ${message.byteLength}-byte binary message (over ${GENESYS_MAX_BINARY_BYTES})` };
    }
    if (message.byteLength !== FRAME_BYTES) {
      return { problem: `a ${message.byteLength}-byte audio message (every one must be ${FRAME_BYTES})` };
    }
    return { audio: message };
  }
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { problem: 'text that is not JSON' };
  }
  const parsed = GenesysServerMessageSchema.safeParse(json);
  if (!parsed.success) return { problem: `not a Genesys server message: ${message.slice(0, 120)}` };
  return { message: parsed.data as GenesysServerMessage };
}

function messageOf(message: WireMessage): GenesysServerMessage | undefined {
  const verdict = judge(message);
  return 'message' in verdict ? verdict.message : undefined;
}

/** How the conformance suite drives Genesys: Audio Connector's mono 8 kHz PCMU, no REST hang-up. */
export const genesysHarness: CarrierHarness<GenesysOptions, ResolvedGenesysOptions> = {
  plugin: genesys,
  wireSampleRate: 8000,
  wireCodec: 'mulaw',
  supports: {
    dtmf: true,
    clear: true,
    // playback_started/playback_completed carry no id: they cannot acknowledge a named checkpoint.
    checkpoint: false,
    outputDtmf: false,
    // The call ends with an in-protocol disconnect, never over REST.
    hangUp: false,
    // Genesys reads no bare JSON: transport messages are the carrier's control messages (README).
    transportMessage: false,
    metadata: ['from', 'to', 'customParameters'],
  },
  options: () => ({ apiKey: GENESYS_TEST_API_KEY, clientSecret: GENESYS_TEST_CLIENT_SECRET }),
  secrets: [GENESYS_TEST_API_KEY, GENESYS_TEST_CLIENT_SECRET],
  call: ({ callId, streamId, sampleRate }) => {
    sequences.set(streamId, 0);
    return { streamId, callId, params: { sampleRate, autoHangUp: false } };
  },
  wire: {
    start: (call) => [
      genesysClientMessage(
        { id: call.streamId, seq: nextSeq(call.streamId) },
        'open',
        genesysOpenParameters({ conversationId: call.callId ?? 'conversation', metadata: call.metadata }),
      ),
    ],
    media: (_call, pcm) => Uint8Array.from(alawmulaw.mulaw.encode(pcm)),
    dtmf: (call, digit) =>
      genesysClientMessage({ id: call.streamId, seq: nextSeq(call.streamId), positionS: 1.5 }, 'dtmf', {
        digit,
      }),
    stop: (call) =>
      genesysClientMessage({ id: call.streamId, seq: nextSeq(call.streamId), positionS: 9 }, 'close', {
        reason: 'end',
      }),
  },
  read: {
    audio: (message) => {
      const verdict = judge(message);
      return 'audio' in verdict ? alawmulaw.mulaw.decode(verdict.audio) : undefined;
    },
    isClear: (message) => {
      const parsed = messageOf(message);
      return (
        parsed?.type === 'event' &&
        (parsed.parameters.entities as { type: string }[]).some((entity) => entity.type === 'barge_in')
      );
    },
    problem: (message) => {
      const verdict = judge(message);
      return 'problem' in verdict ? verdict.problem : undefined;
    },
  },
  hostileMessages: [
    '{"version":"2","id":"x","type":"open","seq":1,"serverseq":0,"position":"PT0S","parameters":{}}',
    '{"version":"2","id":"fuzz-stream-1","type":"ping","seq":-1,"serverseq":0,"position":"PT0S","parameters":{}}',
    '{"version":"2","id":"fuzz-stream-1","type":"dtmf","seq":1,"serverseq":99,"position":"PT0S","parameters":{"digit":"1"}}',
    '{"version":"2","id":"fuzz-stream-1","type":"error","seq":1,"serverseq":0,"position":"PT1S","parameters":{"code":429,"message":"slow down","retryAfter":"PT2S"}}',
    '{"version":"1","type":"close","parameters":{"reason":"end"}}',
    // Oversized text (over 65,535 characters) is answered in server.test.ts; a 70,000-character seed
    // would make every fuzz case slow to mutate.
    new Uint8Array(3),
  ],
};

import { type CallDetection, callMetadata, endFrame, type Frame } from '@callwire/core';
import { defineCarrier, type InboundCall, previewValue } from '@callwire/kit';
import { z } from 'zod/v4';
import { createAsteriskFramer } from '../websocket/framer.js';
import {
  AUDIOSOCKET_AUDIO_RATES,
  AUDIOSOCKET_KIND,
  audioKindFor,
  audioSocketMessage,
  readAudioSocketMessage,
  uuidText,
} from './frames.js';
import { audioSocketFraming } from './framing.js';
import {
  AudioSocketCallParamsSchema,
  AudioSocketOptionsSchema,
  type ResolvedAudioSocketCallParams,
} from './options.js';

/** One call's state (the kit's `session`): only the warning it logs when a transport message is dropped. */
interface AudioSocketSession {
  readonly warn: (kind: string, message: string) => void;
}

/** Milliseconds of audio per outbound message: one 20 ms frame, as Asterisk sends its own. */
export const AUDIOSOCKET_FRAME_MS = 20;

const hangUpMessage = audioSocketMessage(AUDIOSOCKET_KIND.hangup);

/** The frames one AudioSocket message yields (the kit has checked only its size). Never throws. */
function framesOf(
  bytes: Uint8Array,
  call: InboundCall<ResolvedAudioSocketCallParams, AudioSocketSession>,
): Frame | undefined {
  const message = readAudioSocketMessage(bytes);
  if (message === undefined) {
    call.warn('bad-message', `ignoring a ${bytes.length}-byte message whose length field does not match it`);
    return undefined;
  }
  const { kind, payload } = message;
  const rate = AUDIOSOCKET_AUDIO_RATES[kind];
  if (rate !== undefined) {
    if (rate !== call.wireFormat.sampleRate) {
      // The channel's format decides both ways: Asterisk reads what we send as that format too.
      call.logger.debug({ streamId: call.streamId, sampleRate: rate }, '[audiosocket] audio rate set');
      call.setWireFormat({ encoding: 'l16', sampleRate: rate }, 'both');
    }
    return call.audioFromBytes(payload);
  }
  switch (kind) {
    case AUDIOSOCKET_KIND.dtmf:
      if (payload.length !== 1) {
        call.warn(
          'bad-dtmf',
          `ignoring a DTMF message of ${payload.length} bytes (one ASCII digit expected)`,
        );
        return undefined;
      }
      return call.dtmf(String.fromCharCode(payload[0] as number));
    case AUDIOSOCKET_KIND.hangup:
      return endFrame();
    case AUDIOSOCKET_KIND.uuid:
      call.logger.debug({ streamId: call.streamId }, '[audiosocket] UUID after the first message: ignored');
      return undefined;
    case AUDIOSOCKET_KIND.error:
      call.warn(
        'asterisk-error',
        `Asterisk reported an error${payload.length > 0 ? ` (code 0x${Buffer.from(payload.subarray(0, 8)).toString('hex')})` : ''}`,
      );
      return undefined;
    default:
      call.warn(
        'unknown-kind',
        `ignoring a message of unknown kind ${previewValue(`0x${kind.toString(16)}`)}`,
      );
      return undefined;
  }
}

/**
 * Asterisk's AudioSocket (`res_audiosocket`: the `AudioSocket()` application and the `AudioSocket/`
 * channel driver), over plain TCP: `registerCarrier(container, audioSocket, {})`. Each message is a
 * kind byte, a big-endian 16-bit length and the payload; Asterisk sends the call's UUID first, then
 * signed-linear audio (8 kHz, or 12-192 kHz with the channel driver), DTMF, hang-up and error; we send
 * only audio (20 ms messages at the call's rate) and hang-up (`end`). No credentials and no
 * authentication (`streamAuth: 'network'`): serve it on a private network only.
 */
export const audioSocket = defineCarrier({
  name: 'audiosocket',
  options: AudioSocketOptionsSchema,
  params: AudioSocketCallParamsSchema,
  wireFormat: (params) => ({ encoding: 'l16', sampleRate: params.audioSocketSampleRate }),
  detect: detectAudioSocketCall,
  streamFraming: audioSocketFraming,
  // A raw TCP stream has no way to authenticate: the server's tcp listener must be on a private network.
  streamAuth: 'network',
  session: ({ warn }): AudioSocketSession => ({ warn }),
  inbound: {
    // AudioSocket has no text messages: anything that is not a framed binary message is refused.
    events: new Set<string>(),
    schema: z.never(),
    // Every binary message is one whole AudioSocket message (the server's deframer cut it): its kind
    // says whether it is audio, DTMF, hang-up or an error.
    binary: 'audio',
    audio: framesOf,
    toFrames: () => undefined,
  },
  outbound: (call) => ({
    media: (bytes) =>
      audioSocketMessage(audioKindFor(call.wireFormat.sampleRate) ?? AUDIOSOCKET_KIND.audio, bytes),
    end: () => [hangUpMessage],
    // Asterisk accepts only audio and hang-up from us ("Received AudioSocket message other than
    // hangup or audio" ends the call): nothing else may reach the socket.
    transportMessage: () => {
      call.session.warn('transport-message', 'audiosocket cannot carry transport messages; dropped');
      return [];
    },
  }),
  framer: (format) =>
    createAsteriskFramer(Math.round((format.sampleRate * AUDIOSOCKET_FRAME_MS) / 1000) * 2, 0, 1),
});

const UuidMessageSchema = z.instanceof(Uint8Array);

/**
 * Recognises AudioSocket's first message: kind 0x01 with the call's 16-byte UUID. The UUID is the
 * stream id and the call id, and `call.info.customParameters.uuid`. Never throws.
 */
export function detectAudioSocketCall(message: unknown): CallDetection {
  try {
    if (!UuidMessageSchema.safeParse(message).success) return undefined;
    const parsed = readAudioSocketMessage(message as Uint8Array);
    if (parsed?.kind !== AUDIOSOCKET_KIND.uuid || parsed.payload.length !== 16) return undefined;
    const uuid = uuidText(parsed.payload);
    return {
      streamId: uuid,
      callId: uuid,
      metadata: callMetadata({ customParameters: { uuid }, raw: message }),
    };
  } catch {
    return undefined;
  }
}

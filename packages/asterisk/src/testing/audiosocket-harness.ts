import { createHash } from 'node:crypto';
import type { CallInfo, WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { audioSocket } from '../audiosocket/carrier.js';
import type { AudioSocketOptions, ResolvedAudioSocketOptions } from '../audiosocket/options.js';

// AudioSocket messages are written and read here byte by byte from res_audiosocket.h (kind, big-endian
// length, payload), not with the carrier's own helpers, so the suite checks the framing independently.

/** Audio kinds by rate (Hz): res_audiosocket.h `AST_AUDIOSOCKET_KIND_AUDIO*`. */
const AUDIO_KIND: Readonly<Record<number, number>> = {
  8000: 0x10,
  12000: 0x11,
  16000: 0x12,
  24000: 0x13,
  32000: 0x14,
  44100: 0x15,
  48000: 0x16,
  96000: 0x17,
  192000: 0x18,
};

/** One AudioSocket message. */
export function audioSocketFrame(kind: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const bytes = new Uint8Array(3 + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, kind);
  view.setUint16(1, payload.length, false);
  bytes.set(payload, 3);
  return bytes;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Asterisk's first message: kind 0x01 and the 16 bytes of `uuid` (8-4-4-4-12 hex). An id that is not a
 * UUID (a test's `stream-1`) stands for the 16 bytes of its MD5 digest.
 */
export function audioSocketUuidFrame(uuid: string): Uint8Array {
  const bytes = UUID.test(uuid)
    ? Buffer.from(uuid.replaceAll('-', ''), 'hex')
    : createHash('md5').update(uuid).digest();
  return audioSocketFrame(0x01, Uint8Array.from(bytes));
}

/** An audio message of `pcm` at `sampleRate` Hz (16-bit little-endian). */
export function audioSocketAudioFrame(pcm: Int16Array, sampleRate: number): Uint8Array {
  const payload = new Uint8Array(pcm.length * 2);
  const view = new DataView(payload.buffer);
  for (let index = 0; index < pcm.length; index++) view.setInt16(2 * index, pcm[index] as number, true);
  return audioSocketFrame(AUDIO_KIND[sampleRate] ?? 0x10, payload);
}

/** A message as read off the wire: kind and payload, or `undefined` when its length does not match. */
export function readAudioSocketFrame(
  message: WireMessage,
): { readonly kind: number; readonly payload: Uint8Array } | undefined {
  if (typeof message === 'string' || message.length < 3) return undefined;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const length = view.getUint16(1, false);
  if (message.length !== 3 + length) return undefined;
  return { kind: view.getUint8(0), payload: message.subarray(3) };
}

/** The PCM of an outbound audio message at `sampleRate` Hz, else `undefined`. */
export function audioSocketPcm(message: WireMessage, sampleRate: number): Int16Array | undefined {
  const frame = readAudioSocketFrame(message);
  if (frame === undefined || frame.kind !== AUDIO_KIND[sampleRate] || frame.payload.length === 0)
    return undefined;
  const view = new DataView(frame.payload.buffer, frame.payload.byteOffset, frame.payload.byteLength);
  return Int16Array.from({ length: frame.payload.length >> 1 }, (_, index) => view.getInt16(2 * index, true));
}

/** The conformance harness for AudioSocket at `sampleRate` Hz (8000: the `AudioSocket()` application). */
export function createAudioSocketHarness(
  sampleRate: number,
): CarrierHarness<AudioSocketOptions, ResolvedAudioSocketOptions> {
  const frameBytes = (sampleRate / 50) * 2;
  return {
    plugin: audioSocket,
    wireSampleRate: sampleRate,
    wireCodec: 'l16',
    supports: {
      dtmf: true,
      clear: false,
      checkpoint: false,
      outputDtmf: false,
      hangUp: false,
      transportMessage: false,
    },
    options: () => ({}),
    secrets: [],
    call: ({ callId: _callId, streamId, sampleRate: pipelineRate }) => ({
      // AudioSocket's only id is the UUID: stream and call alike.
      streamId,
      callId: streamId,
      params: { sampleRate: pipelineRate, audioSocketSampleRate: sampleRate, autoHangUp: false },
    }),
    wire: {
      start: (call: CallInfo) => [audioSocketUuidFrame(call.streamId)],
      media: (_call, pcm) => audioSocketAudioFrame(pcm, sampleRate),
      dtmf: (_call, digit) => audioSocketFrame(0x03, new TextEncoder().encode(digit)),
      stop: () => audioSocketFrame(0x00),
    },
    read: {
      audio: (message) => audioSocketPcm(message, sampleRate),
      isClear: () => false,
      problem: (message) => {
        // res_audiosocket accepts from us only hang-up and audio of the channel's format.
        const frame = readAudioSocketFrame(message);
        if (frame === undefined) return 'not one well-formed AudioSocket message';
        if (frame.kind === 0x00) return frame.payload.length === 0 ? undefined : 'a hang-up with a payload';
        if (frame.kind !== AUDIO_KIND[sampleRate])
          return `kind 0x${frame.kind.toString(16)} is not ${sampleRate} Hz audio`;
        if (frame.payload.length !== frameBytes)
          return `a ${frame.payload.length}-byte audio payload is not one 20 ms frame`;
        return undefined;
      },
    },
    hostileMessages: [
      audioSocketFrame(0x01, new Uint8Array(15)),
      audioSocketFrame(0x03),
      audioSocketFrame(0x03, new Uint8Array([0x80])),
      audioSocketFrame(0x10, new Uint8Array(3)),
      audioSocketFrame(0x42, new Uint8Array(4)),
      audioSocketFrame(0xff, new Uint8Array([1, 2, 3])),
      new Uint8Array([0x10, 0xff, 0xff, 1, 2]),
      new Uint8Array([0x10]),
      '{"event":"start"}',
    ],
  };
}

/** The `AudioSocket()` dialplan application: slin at 8 kHz. */
export const audioSocketHarness = createAudioSocketHarness(8000);
/** The `AudioSocket/` channel driver with `c(slin16)`. */
export const audioSocket16kHarness = createAudioSocketHarness(16000);

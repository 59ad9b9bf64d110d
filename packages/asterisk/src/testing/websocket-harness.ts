import type { CallInfo, WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import alawmulaw from 'alawmulaw';
import { asteriskWebSocket } from '../websocket/carrier.js';
import type { AsteriskControlFormat } from '../websocket/events.js';
import type { AsteriskWebSocketOptions, ResolvedAsteriskWebSocketOptions } from '../websocket/options.js';

// Wire audio is encoded and decoded here with code that is not the serializer's (alawmulaw for G.711,
// DataView for linear PCM), so the suite does not grade the serializer with the codec it uses. The
// shapes are chan_websocket's own (channels/chan_websocket.c `_create_event_*`, `handle_command`).

/**
 * The `username`/`password` the harnesses' `websocket_client.conf` connection presents (HTTP basic auth
 * on the upgrade), registered as the carrier's `wsUsername`/`wsPassword`.
 */
export const ASTERISK_WS_AUTH = { username: 'callwire-test', password: 'asterisk-test-ws-password' } as const;

/** Formats the harnesses cover: chan_websocket's name, coding and rate (Hz). */
const FORMATS = {
  ulaw: { codec: 'mulaw', rate: 8000 },
  alaw: { codec: 'alaw', rate: 8000 },
  slin16: { codec: 'l16', rate: 16000 },
} as const;
type HarnessFormat = keyof typeof FORMATS;

/** Largest text message chan_websocket reads (`MAX_TEXT_MESSAGE_LEN`). */
const MAX_TEXT_BYTES = 128;
/** Largest binary message it accepts (the driver guide: stay at or under 65,500 bytes). */
const MAX_BINARY_BYTES = 65_500;

function encodeL16Le(pcm: Int16Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < pcm.length; index++) view.setInt16(2 * index, pcm[index] as number, true);
  return bytes;
}

function decodeL16Le(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int16Array.from({ length: bytes.length >> 1 }, (_, index) => view.getInt16(2 * index, true));
}

/** `pcm` as the channel's format puts it on the wire. */
export function encodeAsteriskMedia(format: HarnessFormat, pcm: Int16Array): Uint8Array {
  if (format === 'ulaw') return alawmulaw.mulaw.encode(pcm);
  if (format === 'alaw') return alawmulaw.alaw.encode(pcm);
  return encodeL16Le(pcm);
}

/** The PCM a binary media message carries in `format`. */
export function decodeAsteriskMedia(format: HarnessFormat, bytes: Uint8Array): Int16Array {
  if (format === 'ulaw') return alawmulaw.mulaw.decode(bytes);
  if (format === 'alaw') return alawmulaw.alaw.decode(bytes);
  return decodeL16Le(bytes);
}

/** A command as chan_websocket reads it in `format`: its name and correlation id, or `undefined`. */
export function readAsteriskCommand(
  controlFormat: AsteriskControlFormat,
  message: WireMessage,
): { readonly command: string; readonly correlationId?: string } | undefined {
  if (typeof message !== 'string') return undefined;
  if (controlFormat === 'plain-text') {
    const text = message.trim();
    const space = text.indexOf(' ');
    if (space < 0) return /^[A-Z_]+$/.test(text) ? { command: text } : undefined;
    const command = text.slice(0, space);
    return /^[A-Z_]+$/.test(command) ? { command, correlationId: text.slice(space + 1) } : undefined;
  }
  try {
    const value = JSON.parse(message) as { command?: unknown; correlation_id?: unknown } | null;
    if (typeof value?.command !== 'string') return undefined;
    return typeof value.correlation_id === 'string'
      ? { command: value.command, correlationId: value.correlation_id }
      : { command: value.command };
  } catch {
    return undefined;
  }
}

/** Options of `createAsteriskWebSocketHarness`. */
export interface AsteriskWebSocketHarnessOptions {
  readonly format: HarnessFormat;
  readonly controlFormat: AsteriskControlFormat;
}

/** Bytes of one 20 ms frame of `format`: `optimal_frame_size` as MEDIA_START announces it. */
export function asteriskFrameBytes(format: HarnessFormat): number {
  const { codec, rate } = FORMATS[format];
  return (rate / 50) * (codec === 'l16' ? 2 : 1);
}

/** chan_websocket's MEDIA_START for `call`, in `controlFormat` (channel variables only in JSON). */
export function asteriskMediaStart(
  call: CallInfo,
  format: HarnessFormat,
  controlFormat: AsteriskControlFormat,
): string {
  const fields = {
    connection_id: call.streamId,
    channel: `WebSocket/media_connection1/0x${call.streamId.slice(0, 8)}`,
    channel_id: call.callId ?? '1722960000.1',
    format,
    optimal_frame_size: asteriskFrameBytes(format),
    ptime: 20,
  };
  if (controlFormat === 'plain-text') {
    return `MEDIA_START ${Object.entries(fields)
      .map(([key, value]) => `${key}:${value}`)
      .join(' ')}`;
  }
  return JSON.stringify({
    event: 'MEDIA_START',
    ...fields,
    channel_variables: { ...call.metadata?.customParameters },
  });
}

/** An event in the call's control format: JSON, or chan_websocket's plain-text line. */
function event(
  controlFormat: AsteriskControlFormat,
  call: CallInfo,
  name: string,
  fields: Readonly<Record<string, string>> = {},
  correlationId?: string,
): string {
  const channelId = call.callId ?? '1722960000.1';
  if (controlFormat === 'plain-text') {
    if (correlationId !== undefined) return correlationId === '' ? name : `${name} ${correlationId}`;
    const pairs = Object.entries({ ...fields, channel_id: channelId }).map(
      ([key, value]) => `${key}:${value}`,
    );
    return [name, ...pairs].join(' ');
  }
  return JSON.stringify({
    event: name,
    channel_id: channelId,
    ...fields,
    ...(correlationId !== undefined ? { correlation_id: correlationId } : {}),
  });
}

/** The conformance harness for chan_websocket in one media format and control format. */
export function createAsteriskWebSocketHarness(
  options: AsteriskWebSocketHarnessOptions,
): CarrierHarness<AsteriskWebSocketOptions, ResolvedAsteriskWebSocketOptions> {
  const { format, controlFormat } = options;
  const { codec, rate } = FORMATS[format];
  const frameBytes = asteriskFrameBytes(format);
  const command = (message: WireMessage) => readAsteriskCommand(controlFormat, message);
  return {
    plugin: asteriskWebSocket,
    wireSampleRate: rate,
    wireCodec: codec,
    supports: {
      dtmf: true,
      clear: true,
      checkpoint: true,
      outputDtmf: false,
      // Calls end with the in-protocol HANGUP command, not over REST.
      hangUp: false,
      transportMessage: true,
      // channel_variables (JSON only) are the call's custom parameters.
      ...(controlFormat === 'json' ? { metadata: ['customParameters'] as const } : {}),
    },
    options: () => ({ wsUsername: ASTERISK_WS_AUTH.username, wsPassword: ASTERISK_WS_AUTH.password }),
    secrets: [ASTERISK_WS_AUTH.password],
    // autoHangUp is always off: the carrier refuses it (it hangs up in the protocol).
    call: ({ callId, streamId, sampleRate }) => ({
      streamId,
      callId,
      params: {
        sampleRate,
        format,
        optimalFrameSize: frameBytes,
        ptime: 20,
        controlFormat,
        autoHangUp: false,
      },
    }),
    wire: {
      start: (call) => [asteriskMediaStart(call, format, controlFormat)],
      media: (_call, pcm) => encodeAsteriskMedia(format, pcm),
      dtmf: (call, digit) => event(controlFormat, call, 'DTMF_END', { digit }),
      checkpointReached: (call, name) => event(controlFormat, call, 'MEDIA_MARK_PROCESSED', {}, name),
    },
    read: {
      audio: (message) =>
        message instanceof Uint8Array && message.length > 0
          ? decodeAsteriskMedia(format, message)
          : undefined,
      isClear: (message) => command(message)?.command === 'FLUSH_MEDIA',
      checkpointName: (message) => {
        const parsed = command(message);
        return parsed?.command === 'MARK_MEDIA' ? parsed.correlationId : undefined;
      },
      problem: (message) => {
        if (typeof message === 'string') {
          const parsed = command(message);
          const bytes = Buffer.byteLength(message);
          return parsed !== undefined && bytes > MAX_TEXT_BYTES
            ? `a ${bytes}-byte command (chan_websocket reads at most ${MAX_TEXT_BYTES})`
            : undefined;
        }
        if (message.length > MAX_BINARY_BYTES)
          return `a ${message.length}-byte binary message (limit ${MAX_BINARY_BYTES})`;
        return message.length % frameBytes === 0
          ? undefined
          : `a ${message.length}-byte binary message is not whole ${frameBytes}-byte frames`;
      },
    },
    hostileMessages: [
      'MEDIA_START',
      'MEDIA_START format:opus optimal_frame_size:0',
      'DTMF_END digit:',
      'DTMF_END digit:55',
      'STATUS queue_length:-1',
      'STATUS queue_length:x queue_full:maybe',
      'MEDIA_MARK_PROCESSED',
      'ERROR channel_id:1 error_text:',
      '{"event":"MEDIA_XON","channel_id":{}}',
      '{"event":"STATUS","queue_length":1e300}',
      '{"event":"MEDIA_MARK_PROCESSED","correlation_id":42}',
      '{"event":"DTMF_END","digit":null}',
      'media_start connection_id:x',
      new Uint8Array(frameBytes + 1),
    ],
  };
}

/** `Dial(WebSocket/…/c(ulaw)f(json))`: mu-law, JSON control. */
export const asteriskUlawHarness = createAsteriskWebSocketHarness({ format: 'ulaw', controlFormat: 'json' });
/** `c(slin16)` with the JSON control format. */
export const asteriskSlin16Harness = createAsteriskWebSocketHarness({
  format: 'slin16',
  controlFormat: 'json',
});
/** `c(alaw)` with the default (deprecated) plain-text control format. */
export const asteriskAlawPlainTextHarness = createAsteriskWebSocketHarness({
  format: 'alaw',
  controlFormat: 'plain-text',
});

import type { CallInfo, WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import { jambonz } from '../carrier.js';
import { type JambonzOutboundCommand, JambonzOutboundCommandSchema } from '../events.js';
import type { JambonzOptions, JambonzSampleRate, ResolvedJambonzOptions } from '../options.js';

/** The listen verb's `wsAuth` the test harnesses and the fake jambonz use. */
export const WS_AUTH = { username: 'callwire-test', password: 'jambonz-test-ws-password' } as const;

// The harness writes and reads 16-bit little-endian PCM with its own code (DataView), so the suite
// does not grade the serializer with the codec it uses.

/** 16-bit little-endian bytes of `pcm`. */
export function encodeL16Le(pcm: Int16Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < pcm.length; index++) view.setInt16(2 * index, pcm[index] as number, true);
  return bytes;
}

/** The samples of 16-bit little-endian `bytes` (a trailing odd byte is left out). */
export function decodeL16Le(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int16Array.from({ length: bytes.length >> 1 }, (_, index) => view.getInt16(2 * index, true));
}

/** An outbound text command as jambonz reads it, or `undefined` when it is not one. */
export function jambonzCommandOf(message: WireMessage): JambonzOutboundCommand | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const parsed = JambonzOutboundCommandSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The commands jambonz acts on; other JSON text is logged by jambonz as unsupported and ignored. */
const COMMANDS = new Set(['killAudio', 'mark', 'clearMarks', 'disconnect']);
/** jambonz writes a mark's name back into its event unescaped (`send_mark_event` in `lws_glue.cpp`). */
function isUnsafeMarkName(name: string): boolean {
  for (const character of name) {
    if (character === '"' || character === '\\' || character.charCodeAt(0) < 0x20) return true;
  }
  return false;
}

/**
 * Why jambonz would refuse or mangle an outbound message: binary audio must be whole 16-bit samples;
 * text must be JSON, a known command must be well formed, and a mark name must survive jambonz's
 * unescaped echo of it.
 */
export function jambonzOutboundProblem(message: WireMessage): string | undefined {
  if (typeof message !== 'string') {
    return message.length % 2 === 0
      ? undefined
      : `a ${message.length}-byte binary message is not whole 16-bit samples`;
  }
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return 'a text message that is not JSON';
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !COMMANDS.has(type)) return undefined;
  const command = jambonzCommandOf(message);
  if (command === undefined) return `a malformed "${type}": ${message.slice(0, 80)}`;
  if (command.type === 'mark' && isUnsafeMarkName(command.data.name)) {
    return `mark name ${JSON.stringify(command.data.name)} would come back from jambonz as invalid JSON`;
  }
  return undefined;
}

/** What the opening of a listen stream says of the call (the fake jambonz builds it too). */
export interface JambonzOpeningInput {
  readonly callSid: string;
  readonly sampleRate: number;
  readonly mixType?: 'mono' | 'mixed' | 'stereo';
  readonly from?: string;
  readonly to?: string;
  readonly direction?: string;
  /** The `tag` verb's data. */
  readonly customerData?: Readonly<Record<string, unknown>>;
  /** The listen verb's `metadata`, merged in at the top level. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * jambonz's opening text frame, shaped as jambonz-feature-server builds it:
 * `Object.assign({sampleRate, mixType}, callInfo.toJSON(), verb.metadata)`.
 */
export function jambonzOpening(input: JambonzOpeningInput): string {
  return JSON.stringify({
    sampleRate: input.sampleRate,
    mixType: input.mixType ?? 'mono',
    callSid: input.callSid,
    direction: input.direction ?? 'inbound',
    from: input.from ?? '15085551212',
    to: input.to ?? '15083730299',
    callId: `${input.callSid}@10.0.0.1`,
    sipStatus: 200,
    sipReason: 'OK',
    callStatus: 'in-progress',
    accountSid: '9351f46a-678c-43f5-b8a6-d4eb58d131af',
    applicationSid: 'c9a02386-5a12-4b1c-8f86-3c5b4a01f4a2',
    traceId: '4cd2c9bcd5a5e1a4b3e5c8c0d1f2a3b4',
    fsSipAddress: '10.0.0.5:5070',
    ...(input.customerData !== undefined ? { customerData: input.customerData } : {}),
    ...input.metadata,
  });
}

/** jambonz's mark event, byte for byte as `send_mark_event` writes it (spaces included). */
export function jambonzMarkEvent(name: string, event: 'playout' | 'cleared'): string {
  return `{"type": "mark", "data": {"name":${JSON.stringify(name)}, "event": "${event}"}}`;
}

/** jambonz's DTMF message with `passDtmf` (`_onDtmf` in listen.js); `duration` in samples at 8 kHz. */
export function jambonzDtmfEvent(digit: string, duration = 1600): string {
  return JSON.stringify({ event: 'dtmf', dtmf: digit, duration });
}

function openingOf(call: CallInfo, sampleRate: number): string {
  const metadata = call.metadata;
  return jambonzOpening({
    callSid: call.callId ?? call.streamId,
    sampleRate,
    ...(metadata?.from !== undefined ? { from: metadata.from } : {}),
    ...(metadata?.to !== undefined ? { to: metadata.to } : {}),
    ...(metadata?.direction !== undefined ? { direction: metadata.direction } : {}),
    ...(metadata !== undefined ? { customerData: metadata.customParameters } : {}),
  });
}

/** The conformance harness for jambonz at one rate, both ways: binary L16, JSON commands, no REST. */
export function createJambonzHarness(
  sampleRate: JambonzSampleRate,
): CarrierHarness<JambonzOptions, ResolvedJambonzOptions> {
  return {
    plugin: jambonz,
    wireSampleRate: sampleRate,
    wireCodec: 'l16',
    supports: {
      dtmf: true,
      clear: true,
      checkpoint: true,
      outputDtmf: false,
      // `end` sends `disconnect` in the protocol; there is no REST hang-up to test.
      hangUp: false,
      transportMessage: true,
      metadata: ['from', 'to', 'direction', 'customParameters'],
    },
    options: () => ({ wsUsername: WS_AUTH.username, wsPassword: WS_AUTH.password }),
    secrets: [WS_AUTH.password],
    call: ({ callId, streamId, sampleRate: pipelineRate }) => ({
      streamId,
      callId,
      params: { sampleRate: pipelineRate, jambonzSampleRate: sampleRate, autoHangUp: false },
    }),
    wire: {
      start: (call) => [openingOf(call, sampleRate)],
      media: (_call, pcm) => encodeL16Le(pcm),
      dtmf: (_call, digit) => jambonzDtmfEvent(digit),
      checkpointReached: (_call, name) => jambonzMarkEvent(name, 'playout'),
    },
    read: {
      audio: (message) =>
        message instanceof Uint8Array && message.length % 2 === 0 ? decodeL16Le(message) : undefined,
      isClear: (message) => jambonzCommandOf(message)?.type === 'killAudio',
      checkpointName: (message) => {
        const command = jambonzCommandOf(message);
        return command?.type === 'mark' ? command.data.name : undefined;
      },
      problem: jambonzOutboundProblem,
    },
    hostileMessages: [
      new Uint8Array([7]),
      '{"callSid":"x","sampleRate":"8000","mixType":"mono"}',
      '{"callSid":"x","sampleRate":44100,"mixType":"mono"}',
      '{"callSid":"x","sampleRate":8000,"mixType":"quad"}',
      '{"event":"dtmf","dtmf":{"digit":"1"}}',
      '{"event":"dtmf","dtmf":"12","duration":"x"}',
      '{"type":"mark","data":{"name":"","event":"playout"}}',
      '{"type":"mark","data":{"name":"m","event":"played"}}',
      '{"type":"mark","data":"m"}',
      '{"type":"killAudio"}',
      '{"type":"playDone","data":{"id":1}}',
    ],
  };
}

/** jambonz's default `sampleRate`: 8 kHz. */
export const jambonzHarness = createJambonzHarness(8000);
/** A wideband listen stream: 16 kHz both ways. */
export const jambonz16kHarness = createJambonzHarness(16000);

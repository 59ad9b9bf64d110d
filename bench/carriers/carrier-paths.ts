import {
  type CallInfo,
  createCallwireContainer,
  createWireSerializer,
  outputAudioFrame,
  registerCarrier,
  silentLogger,
  startFrame,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';

/** Default pipeline rate (Hz) of the benchmark: the common 16 kHz of speech models. */
export const PIPELINE_RATE = 16_000;
/** Frames per benchmark iteration: one second of 20 ms frames. */
export const FRAMES_PER_ITERATION = 50;

/** One harness, ready to run its inbound and outbound paths and their floors on one second of audio. */
export interface CarrierPaths {
  /** The carrier's name and wire format (`acme mulaw/8k`). */
  readonly carrier: string;
  /** Hz; at the harness's wire rate no resampling happens. */
  readonly pipelineRate: number;
  readonly wireRate: number;
  /** Deserializes the 50 inbound messages (validate, decode, resample, frame). */
  inbound(): void;
  /** `JSON.parse` + base64 decode of the payload of the same 50 messages (a copy for binary ones). */
  inboundFloor(): void;
  /** Serializes 50 frames of pipeline-rate audio (resample, encode, frame, JSON). */
  outbound(): void;
  /** base64 encode + `JSON.stringify` of the same outbound messages (a byte copy for binary ones). */
  outboundFloor(): void;
  /** The serializer the paths run through (the runtime's `createWireSerializer`). */
  readonly serializer: WireSerializer;
}

/** A 20 ms-framed two-tone signal, frame `index` of a call. */
export function tone(sampleRate: number, samples: number, offset: number): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = (offset + i) / sampleRate;
    pcm[i] = Math.round(6000 * Math.sin(2 * Math.PI * 440 * t) + 3000 * Math.sin(2 * Math.PI * 1230 * t));
  }
  return pcm;
}

type JsonPath = readonly (string | number)[];
type JsonContainer = Record<string | number, unknown>;

/** The path of the longest string in `value` (a parsed JSON message): where its audio payload sits. */
export function longestStringPath(value: unknown): JsonPath | undefined {
  let best: { path: JsonPath; length: number } | undefined;
  const walk = (node: unknown, path: JsonPath): void => {
    if (typeof node === 'string') {
      if (!best || node.length > best.length) best = { path, length: node.length };
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node))
        walk(child, [...path, Array.isArray(node) ? Number(key) : key]);
    }
  };
  walk(value, []);
  return best?.path;
}

/** A getter and a setter for `path`, compiled once, so the floor pays a property walk and nothing more. */
function accessors(path: JsonPath): {
  get(root: unknown): string;
  set(root: unknown, value: string): void;
} {
  const parent = (root: unknown): JsonContainer => {
    let node = root as JsonContainer;
    for (let i = 0; i < path.length - 1; i++) node = node[path[i]!] as JsonContainer;
    return node;
  };
  const last = path[path.length - 1]!;
  return {
    get: (root) => parent(root)[last] as string,
    set: (root, value) => {
      parent(root)[last] = value;
    },
  };
}

const BENCH_CALL = {
  callId: '12345678-1234-1234-1234-123456789abc',
  streamId: '87654321-4321-4321-4321-cba987654321',
};

/** A registered carrier's serializer for one call at `pipelineRate`, its opening already read. */
export function openSerializer(
  harness: CarrierHarness<unknown, unknown>,
  pipelineRate: number,
): { serializer: WireSerializer; call: CallInfo } {
  const container = createCallwireContainer({ logger: silentLogger });
  // No hang-up is ever made: the URL is never called.
  registerCarrier(
    container,
    harness.plugin,
    harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 1000 }),
  );
  const call = harness.call({ ...BENCH_CALL, sampleRate: pipelineRate, autoHangUp: false });
  const serializer = createWireSerializer(container, harness.plugin.name, call);
  serializer.setup(startFrame({ audioInSampleRate: pipelineRate, audioOutSampleRate: pipelineRate }));
  const ignoreReply = () => {};
  for (const message of harness.wire.start?.(call) ?? []) serializer.deserialize(message, ignoreReply);
  return { serializer, call };
}

/**
 * Opens one call of `harness`'s carrier, registered from its package as the runtime does, with
 * `pipelineRate` audio. Returns the reason instead when a media message does not give that audio.
 */
export function openCarrierPaths(
  label: string,
  harness: CarrierHarness<unknown, unknown>,
  pipelineRate: number = PIPELINE_RATE,
): CarrierPaths | string {
  const wireRate = harness.wireSampleRate;
  const { serializer, call } = openSerializer(harness, pipelineRate);
  const wireSamples = (wireRate / 1000) * 20;
  const inboundMessages = Array.from({ length: FRAMES_PER_ITERATION }, (_, index) =>
    harness.wire.media(call, tone(wireRate, wireSamples, index * wireSamples)),
  );
  const first = serializer.deserialize(inboundMessages[0]!).find((frame) => frame.type === 'input-audio');
  const expectedSamples = (pipelineRate / 1000) * 20;
  if (first?.type !== 'input-audio' || first.sampleRate !== pipelineRate) {
    return `${label}: a media message did not give ${pipelineRate} Hz input-audio`;
  }
  if (Math.abs(first.audio.length - expectedSamples) > expectedSamples / 4) {
    return `${label}: a 20 ms frame gave ${first.audio.length} samples, expected about ${expectedSamples}`;
  }

  const outboundFrames = Array.from({ length: FRAMES_PER_ITERATION }, (_, index) =>
    outputAudioFrame(tone(pipelineRate, expectedSamples, index * expectedSamples), pipelineRate),
  );
  // What the carrier puts on the wire for one second, to build the outbound floor from.
  const probe = openSerializer(harness, pipelineRate).serializer;
  const sent: WireMessage[] = outboundFrames.flatMap((frame) => probe.serialize(frame));
  if (sent.length === 0) return `${label}: serializing audio sent nothing`;

  // Inbound floor: the payload is the longest string of a parsed text message.
  const inboundText = inboundMessages.find((message) => typeof message === 'string');
  const inboundPayload =
    inboundText === undefined ? undefined : accessors(longestStringPath(JSON.parse(inboundText)) ?? []);
  // Outbound floor: each message's payload bytes, put back into a template of the same message.
  const outboundFloorParts = sent.map((message) => {
    if (typeof message !== 'string') return { bytes: message, template: undefined, payload: undefined };
    const template = JSON.parse(message) as unknown;
    const path = longestStringPath(template);
    if (!path) throw new Error(`${label}: outbound text message without a string: ${message}`);
    const payload = accessors(path);
    return { bytes: new Uint8Array(Buffer.from(payload.get(template), 'base64')), template, payload };
  });

  return {
    carrier: label,
    pipelineRate,
    wireRate,
    serializer,
    inbound() {
      for (const message of inboundMessages) serializer.deserialize(message);
    },
    inboundFloor() {
      for (const message of inboundMessages) {
        if (typeof message === 'string') {
          Buffer.from(inboundPayload!.get(JSON.parse(message)), 'base64');
        } else {
          new Int16Array(message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength));
        }
      }
    },
    outbound() {
      for (const frame of outboundFrames) serializer.serialize(frame);
    },
    outboundFloor() {
      for (const part of outboundFloorParts) {
        if (part.template !== undefined) {
          part.payload!.set(
            part.template,
            Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.byteLength).toString('base64'),
          );
          JSON.stringify(part.template);
        } else {
          part.bytes.slice();
        }
      }
    },
  };
}

import { mulawEncode, pcmToL16Le } from '@callwire/codec';
import {
  type CarrierPlugin,
  createCallwireContainer,
  createSerializer,
  type FrameSerializer,
  outputAudioFrame,
  registerCarrier,
  serializeAll,
  silentLogger,
  startFrame,
  type WireMessage,
} from '@callwire/core';
import { type BenchCallIds, type CarrierWireSpec, carrierWireSpecs } from './wire-specs.js';

/** Default pipeline rate (Hz) of the benchmark: the common 16 kHz of speech models. */
export const PIPELINE_RATE = 16_000;
/** Frames per benchmark iteration: one second of 20 ms frames. */
export const FRAMES_PER_ITERATION = 50;

/** One carrier, ready to run its inbound and outbound paths and their floors on one second of audio. */
export interface CarrierPaths {
  readonly carrier: string;
  /** Hz; at the carrier's own wire rate no resampling happens. */
  readonly pipelineRate: number;
  /** Deserializes the 50 inbound messages (validate, decode, resample 8 -> 16 kHz, frame). */
  inbound(): Promise<void>;
  /** `JSON.parse` + base64 decode of the same 50 messages (a byte copy for binary ones). */
  inboundFloor(): void;
  /** Serializes 50 frames of 16 kHz audio (resample, encode, frame, JSON). */
  outbound(): Promise<void>;
  /** `JSON.stringify` + base64 encode of the same messages' payloads (a byte copy for binary ones). */
  outboundFloor(): void;
}

function tone(sampleRate: number, samples: number, offset: number): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = (offset + i) / sampleRate;
    pcm[i] = Math.round(6000 * Math.sin(2 * Math.PI * 440 * t) + 3000 * Math.sin(2 * Math.PI * 1230 * t));
  }
  return pcm;
}

function wireFrame(spec: CarrierWireSpec, index: number): Uint8Array {
  if (spec.wireAudio === 'mulaw-8k') return mulawEncode(tone(8000, 160, index * 160));
  if (spec.wireAudio === 'l16-8k') return pcmToL16Le(tone(8000, 160, index * 160));
  return pcmToL16Le(tone(16_000, 320, index * 320));
}

function parseIfJson(message: WireMessage): unknown {
  if (typeof message !== 'string') return message;
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}

type JsonWithMedia = { media: { payload: string } };

const hasMediaPayload = (value: unknown): value is JsonWithMedia =>
  typeof (value as JsonWithMedia | undefined)?.media?.payload === 'string';

/**
 * Registers `carrier` from its package (dist) and opens one call with 16 kHz pipeline audio.
 * Returns `undefined` with the reason when the package is missing, unbuilt or incompatible.
 */
export async function openCarrierPaths(
  carrier: string,
  pipelineRate: number = PIPELINE_RATE,
): Promise<CarrierPaths | string> {
  const spec = carrierWireSpecs[carrier];
  if (!spec) return `no wire spec for ${carrier}`;
  let plugin: CarrierPlugin<unknown, unknown> | undefined;
  try {
    const module = (await import(spec.packageName)) as Record<string, unknown>;
    plugin = module[spec.pluginExport] as CarrierPlugin<unknown, unknown> | undefined;
  } catch (error) {
    return `${spec.packageName} not built (${(error as Error).message.split('\n')[0]})`;
  }
  if (!plugin?.register) return `${spec.packageName} exports no \`${spec.pluginExport}\` plugin yet`;

  const container = createCallwireContainer({ logger: silentLogger });
  registerCarrier(container, plugin, spec.options);
  const ids: BenchCallIds = {
    callId: '12345678-1234-1234-1234-123456789abc',
    streamId: '87654321-4321-4321-4321-cba987654321',
  };
  const opening = spec.opening(ids);
  let detected: { streamId: string; callId?: string; params?: Readonly<Record<string, unknown>> } = ids;
  for (const message of opening) {
    const detection = plugin.detect?.(parseIfJson(message));
    if (detection && detection !== 'need-more') {
      detected = detection;
      break;
    }
  }
  const newSerializer = async (): Promise<FrameSerializer> => {
    const serializer = createSerializer(container, carrier, {
      ...detected,
      params: { ...detected.params, ...spec.params, sampleRate: pipelineRate },
    });
    await serializer.setup(startFrame({ audioInSampleRate: pipelineRate }));
    for (const message of opening) await serializer.deserialize(message);
    return serializer;
  };
  const serializer = await newSerializer();

  const inboundMessages = Array.from({ length: FRAMES_PER_ITERATION }, (_, index) =>
    spec.media(ids, wireFrame(spec, index), index),
  );
  const first = await serializer.deserialize(inboundMessages[0]!);
  const expectedSamples = (pipelineRate / 1000) * 20;
  if (first?.type !== 'input-audio' || first.sampleRate !== pipelineRate) {
    return `${carrier}: a media message did not give ${pipelineRate} Hz input-audio (got ${first?.type ?? 'nothing'})`;
  }
  if (Math.abs(first.audio.length - expectedSamples) > expectedSamples / 4) {
    return `${carrier}: a 20 ms frame gave ${first.audio.length} samples, expected about ${expectedSamples}`;
  }

  const outboundFrames = Array.from({ length: FRAMES_PER_ITERATION }, (_, index) =>
    outputAudioFrame(tone(pipelineRate, expectedSamples, index * expectedSamples), pipelineRate),
  );
  // What the carrier puts on the wire for one second, to build the outbound floor from.
  const probe = await newSerializer();
  const sent: WireMessage[] = [];
  for (const frame of outboundFrames) sent.push(...(await serializeAll(probe, frame)));
  if (sent.length === 0) return `${carrier}: serializing audio sent nothing`;
  const outboundFloorParts = sent.map((message) => {
    const json = parseIfJson(message);
    if (typeof message !== 'string') return { bytes: message, template: undefined };
    if (!hasMediaPayload(json))
      throw new Error(`${carrier}: outbound message without media.payload: ${message}`);
    return { bytes: new Uint8Array(Buffer.from(json.media.payload, 'base64')), template: json };
  });

  return {
    carrier,
    pipelineRate,
    async inbound() {
      for (const message of inboundMessages) await serializer.deserialize(message);
    },
    inboundFloor() {
      for (const message of inboundMessages) {
        if (typeof message === 'string') {
          const parsed = JSON.parse(message) as JsonWithMedia;
          Buffer.from(parsed.media.payload, 'base64');
        } else {
          new Int16Array(message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength));
        }
      }
    },
    async outbound() {
      for (const frame of outboundFrames) await serializeAll(serializer, frame);
    },
    outboundFloor() {
      for (const part of outboundFloorParts) {
        if (part.template) {
          part.template.media.payload = Buffer.from(
            part.bytes.buffer,
            part.bytes.byteOffset,
            part.bytes.byteLength,
          ).toString('base64');
          JSON.stringify(part.template);
        } else {
          part.bytes.slice();
        }
      }
    },
  };
}

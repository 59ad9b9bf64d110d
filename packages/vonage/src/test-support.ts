// Helpers the vonage tests share (not part of the package: excluded from the build and from mutation).
import { generateKeyPairSync } from 'node:crypto';
import {
  type CallControl,
  createCallwireContainer,
  createWireSerializer,
  type Frame,
  type FrameSerializer,
  type Logger,
  registerCarrier,
  startFrame,
  type WireMessage,
  type WireSerializer,
  withAutoHangUp,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { vonage } from './carrier.js';

/** A call id in Vonage's UUID form. */
export const CALL = '63f61863-4a51-4f6b-86e1-46edebcf9356';

/** A Vonage application's credentials, made once for the test files that import this module. */
export const APP = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';
export const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** A deterministic test signal of `length` samples that covers most of the 16-bit range. */
export function ramp(length: number, start = 0): Int16Array {
  return Int16Array.from({ length }, (_, index) => (((start + index) * 91) % 60000) - 30000);
}

/** `pcm` as new 16-bit little-endian bytes. */
export function le(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
}

/** Every message's bytes (text as UTF-8) in one buffer. */
export function joined(messages: readonly WireMessage[]): Buffer {
  return Buffer.concat(
    messages.map((message) => (typeof message === 'string' ? Buffer.from(message) : message)),
  );
}

/** What a Pipecat-shaped `serialize` returned, as a list. */
export function listed(result: WireMessage | WireMessage[] | undefined): WireMessage[] {
  return result === undefined ? [] : Array.isArray(result) ? result : [result];
}

/** What a Pipecat-shaped `deserialize` returned, when it is one frame (not a list). */
export function one(result: Frame | Frame[] | undefined): Frame | undefined {
  if (Array.isArray(result)) throw new Error(`expected one frame, got ${result.length}`);
  return result;
}

/**
 * One call through the registered carrier: `wire` is the pure serializer the runtime drives,
 * `serializer` Pipecat's wrapper of it, hanging up through a `CallControl` that records its calls
 * (no network). Set up unless `setup: false`.
 */
export async function makeSerializer(
  params: Record<string, unknown> = {},
  options: {
    logger?: Logger;
    control?: CallControl;
    callId?: string;
    pipelineRate?: number;
    setup?: boolean;
  } = {},
): Promise<{ serializer: FrameSerializer; wire: WireSerializer; hangUps: string[] }> {
  const hangUps: string[] = [];
  const control: CallControl = options.control ?? {
    carrier: 'vonage',
    async hangUp(callId) {
      hangUps.push(callId);
      return { outcome: 'ended' };
    },
  };
  const logger = options.logger ?? recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, vonage, { applicationId: APP, privateKey: PRIVATE_KEY });
  const wire = createWireSerializer(container, 'vonage', {
    streamId: 'stream-1',
    ...(options.callId !== undefined ? { callId: options.callId } : {}),
    params: { autoHangUp: false, ...params },
  });
  const serializer = withAutoHangUp(wire, control, logger);
  if (options.setup !== false) {
    await serializer.setup(startFrame({ audioInSampleRate: options.pipelineRate ?? 16000 }));
  }
  return { serializer, wire, hangUps };
}

// Helpers the vonage tests share (not part of the package: excluded from the build and from mutation).
import { type CallControl, type Logger, startFrame, type WireMessage } from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { VonageCallParamsSchema } from './options.js';
import { VonageFrameSerializer } from './serializer.js';

/** A call id in Vonage's UUID form. */
export const CALL = '63f61863-4a51-4f6b-86e1-46edebcf9356';

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

/** A serializer built directly, with a hang-up that records its calls (no network); set up unless `setup: false`. */
export async function makeSerializer(
  params: Record<string, unknown> = {},
  options: {
    logger?: Logger;
    control?: CallControl;
    callId?: string;
    pipelineRate?: number;
    setup?: boolean;
  } = {},
): Promise<{ serializer: VonageFrameSerializer; hangUps: string[] }> {
  const hangUps: string[] = [];
  const control: CallControl = options.control ?? {
    carrier: 'vonage',
    async hangUp(callId) {
      hangUps.push(callId);
      return { outcome: 'ended' };
    },
  };
  const serializer = new VonageFrameSerializer({
    streamId: 'stream-1',
    ...(options.callId !== undefined ? { callId: options.callId } : {}),
    params: VonageCallParamsSchema.parse({ autoHangUp: false, ...params }),
    control,
    logger: options.logger ?? recordingLogger(),
  });
  if (options.setup !== false) {
    await serializer.setup(startFrame({ audioInSampleRate: options.pipelineRate ?? 16000 }));
  }
  return { serializer, hangUps };
}

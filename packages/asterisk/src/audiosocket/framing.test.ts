import { randomUUID } from 'node:crypto';
import {
  createCallwireContainer,
  createWireSerializer,
  registerCarrier,
  silentLogger,
  startFrame,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { audioSocketFrame, audioSocketUuidFrame } from '../testing/audiosocket-harness.js';
import { audioSocket } from './carrier.js';
import { createAudioSocketDeframer } from './framing.js';

const concat = (parts: readonly Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

/** A stream of a UUID, audio of several sizes, DTMF, an error and a hang-up. */
const messages = [
  audioSocketUuidFrame(randomUUID()),
  audioSocketFrame(
    0x10,
    Uint8Array.from({ length: 320 }, (_, i) => i & 0xff),
  ),
  audioSocketFrame(0x03, Uint8Array.of(0x35)),
  audioSocketFrame(
    0x12,
    Uint8Array.from({ length: 640 }, (_, i) => (i * 7) & 0xff),
  ),
  audioSocketFrame(0xff, Uint8Array.of(2)),
  audioSocketFrame(0x00),
];
const stream = concat(messages);

describe('AudioSocket deframer', () => {
  it('reassembles every message exactly when the stream is split in two at every byte boundary', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const deframer = createAudioSocketDeframer(65_538);
      const out = [stream.subarray(0, cut), stream.subarray(cut)].flatMap((part) => {
        const result = deframer.push(part);
        if ('problem' in result) throw new Error(result.problem);
        return [...result.messages];
      });
      expect(out, `split at byte ${cut}`).toEqual(messages);
    }
  });

  it('reassembles every message when each byte is a read of its own', () => {
    const deframer = createAudioSocketDeframer(65_538);
    const out = [...stream].flatMap((byte) => {
      const result = deframer.push(Uint8Array.of(byte));
      return 'problem' in result ? [] : [...result.messages];
    });
    expect(out).toEqual(messages);
  });

  it('names garbage and an over-long message as problems, and stays failed', () => {
    const garbage = createAudioSocketDeframer(1000);
    expect(garbage.push(Uint8Array.of(0x42))).toEqual({
      problem: expect.stringMatching(/unknown message kind 0x42/),
    });
    expect('problem' in garbage.push(audioSocketFrame(0x00))).toBe(true);
    const long = createAudioSocketDeframer(1000);
    expect(long.push(Uint8Array.of(0x10, 0x04, 0x00))).toEqual({
      problem: 'a 1027-byte AudioSocket message exceeds the 1000-byte limit',
    });
  });
});

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const runs = Number(process.env.CALLWIRE_FUZZ_RUNS ?? 2000);

describe('AudioSocket fuzzed byte streams', () => {
  it(`survive ${runs} fuzzed streams through the deframer and the serializer with no exception`, () => {
    const seed = Number(process.env.CALLWIRE_FUZZ_SEED ?? Date.now() % 2 ** 31);
    const next = random(seed);
    const container = createCallwireContainer({ logger: silentLogger });
    registerCarrier(container, audioSocket, {});
    let exceptions = 0;
    let messagesSeen = 0;
    for (let run = 0; run < runs; run++) {
      const serializer = createWireSerializer(container, 'audiosocket', {
        streamId: 'fuzz',
        params: { autoHangUp: false },
      });
      serializer.setup(startFrame({ audioInSampleRate: 16000 }));
      // Valid messages, mutated: flipped bytes, truncations, random kinds and lengths, pure noise.
      const parts: Uint8Array[] = [];
      const count = 1 + Math.floor(next() * 6);
      for (let index = 0; index < count; index++) {
        const base = messages[Math.floor(next() * messages.length)] as Uint8Array;
        const choice = next();
        if (choice < 0.4) parts.push(base);
        else if (choice < 0.6) {
          const copy = Uint8Array.from(base);
          copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
          parts.push(copy);
        } else if (choice < 0.8) parts.push(base.subarray(0, Math.floor(next() * base.length)));
        else parts.push(Uint8Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256)));
      }
      const bytes = concat(parts);
      const deframer = createAudioSocketDeframer(1 + Math.floor(next() * 70_000));
      try {
        let offset = 0;
        while (offset < bytes.length) {
          const size = 1 + Math.floor(next() * 40);
          const result = deframer.push(bytes.subarray(offset, offset + size));
          offset += size;
          if ('problem' in result) break;
          for (const message of result.messages) {
            messagesSeen += 1;
            audioSocket.detect?.(message);
            serializer.deserialize(message);
          }
        }
      } catch (error) {
        exceptions += 1;
        throw new Error(`seed ${seed}, run ${run}: ${String(error)}`);
      }
    }
    expect(exceptions).toBe(0);
    expect(messagesSeen).toBeGreaterThan(0);
    console.info(
      `[audiosocket fuzz] ${runs} byte streams, ${messagesSeen} messages, 0 exceptions (seed ${seed})`,
    );
  }, 600_000);
});

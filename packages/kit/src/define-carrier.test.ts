import { detectDtmf, dtmfTones, l16LeToPcm } from '@callwire/codec';
import {
  CallwireError,
  cancelFrame,
  checkpointFrame,
  checkpointReachedFrame,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  endFrame,
  type Frame,
  type Logger,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  resolveCallControl,
  startFrame,
  type WireMessage,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { createByteQueue } from './byte-queue.js';
import { defineCarrier } from './define-carrier.js';
import type { InboundCall } from './definition.js';
import type { Framer } from './framer.js';
import { autoHangUpParam, pipelineSampleRateParam } from './option-fragments.js';

// A toy protocol declared on the kit: JSON text with `kind`, binary L16 audio both ways in 4-byte
// chunks, a `hello` that must be answered with `welcome`, and a REST-less hang-up that records calls.

const Hello = z.object({ kind: z.literal('hello'), stream: z.string() });
const Key = z.object({ kind: z.literal('key'), stream: z.string().optional(), key: z.unknown() });
const Played = z.object({ kind: z.literal('played'), name: z.string().min(1) });
const Inbound = z.discriminatedUnion('kind', [Hello, Key, Played]);

function fourByteFramer(): Framer {
  const queue = createByteQueue();
  return {
    push(bytes) {
      queue.push(bytes);
      const chunks: Uint8Array[] = [];
      while (queue.length >= 4) chunks.push(queue.take(4));
      return chunks;
    },
    flush() {
      if (queue.length === 0) return [];
      const last = new Uint8Array(4);
      last.set(queue.take(queue.length));
      return [last];
    },
    clear: () => queue.clear(),
  };
}

function toyCarrier(
  hungUp: string[],
  audio?: (bytes: Uint8Array, call: InboundCall<unknown>) => Frame | undefined,
) {
  return defineCarrier({
    name: 'toy',
    options: z.strictObject({ token: z.string().optional() }),
    params: z.strictObject({ sampleRate: pipelineSampleRateParam, autoHangUp: autoHangUpParam }),
    hangUp: {
      control: () => ({
        carrier: 'toy',
        async hangUp(callId) {
          hungUp.push(callId);
          return { outcome: 'ended' };
        },
      }),
      needs: (options) => ({ token: options.token }),
    },
    wireFormat: () => ({ encoding: 'l16', sampleRate: 8000 }),
    detect: () => undefined,
    inbound: {
      events: new Set(['hello', 'key', 'played']),
      eventKey: 'kind',
      schema: Inbound,
      binary: 'audio',
      ...(audio ? { audio } : {}),
      streamIdOf: (event) => (event.kind === 'played' ? undefined : event.stream),
      toFrames(event, call) {
        if (event.kind === 'hello') {
          call.reply(JSON.stringify({ kind: 'welcome' }));
          return undefined;
        }
        if (event.kind === 'key') return call.dtmf(event.key);
        return checkpointReachedFrame(event.name);
      },
    },
    framer: fourByteFramer,
    outbound: () => ({
      media: (bytes) => Uint8Array.from(bytes),
      checkpoint: (name) => JSON.stringify({ kind: 'mark', name }),
      end: () => [JSON.stringify({ kind: 'bye' })],
    }),
  });
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const keep = (fields: unknown, message?: string) => {
    warnings.push(typeof fields === 'string' ? fields : String(message));
  };
  return { warnings, debug: () => {}, info: () => {}, warn: keep, error: keep };
}

function open(params: Record<string, unknown> = { autoHangUp: false }) {
  const hungUp: string[] = [];
  const logger = recordingLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, toyCarrier(hungUp), { token: 't' });
  const serializer = createWireSerializer(container, 'toy', { streamId: 's1', callId: 'c1', params });
  return { container, serializer, logger, hungUp };
}

const bytes = (message: WireMessage | undefined) => Array.from(message as Uint8Array);

describe('defineCarrier: inbound', () => {
  it('sends protocol replies through the reply function, in order, and yields no frame for them', () => {
    const { serializer } = open();
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    const replies: WireMessage[] = [];
    expect(serializer.deserialize('{"kind":"hello","stream":"s1"}', (reply) => replies.push(reply))).toEqual(
      [],
    );
    expect(replies).toEqual(['{"kind":"welcome"}']);
  });

  it('warns once when a reply is needed but no reply function was given', () => {
    const { serializer, logger } = open();
    serializer.deserialize('{"kind":"hello","stream":"s1"}');
    serializer.deserialize('{"kind":"hello","stream":"s1"}');
    expect(logger.warnings.filter((line) => line.includes('reply was dropped'))).toHaveLength(1);
  });

  it('decodes binary audio at the pipeline rate and refuses it before setup with one warning', () => {
    const { serializer, logger } = open();
    expect(serializer.deserialize(Uint8Array.of(1, 0, 2, 0))).toEqual([]);
    expect(logger.warnings).toEqual(['[toy] dropping audio received before setup()']);
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    const [frame] = serializer.deserialize(Uint8Array.of(1, 0, 2, 0, 9));
    expect(frame).toMatchObject({ type: 'input-audio', sampleRate: 8000, audio: Int16Array.of(1, 2) });
  });

  it("hands binary audio to the carrier's audio hook, which may decode one channel or drop it", () => {
    const seen: number[] = [];
    // Keeps the first of two interleaved 16-bit channels; refuses a message of one byte.
    const stereo = toyCarrier([], (data, call) => {
      seen.push(call.wireFormat.sampleRate);
      if (data.length < 2) return undefined;
      const left = new Uint8Array(Math.floor(data.length / 4) * 2);
      for (let at = 0; at < left.length; at += 2) left.set(data.subarray(2 * at, 2 * at + 2), at);
      return call.audioFromBytes(left);
    });
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, stereo, {});
    const serializer = createWireSerializer(container, 'toy', {
      streamId: 's1',
      params: { autoHangUp: false },
    });
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    const [frame] = serializer.deserialize(Uint8Array.of(1, 0, 7, 0, 2, 0, 8, 0));
    expect(frame).toMatchObject({ type: 'input-audio', audio: Int16Array.of(1, 2) });
    expect(serializer.deserialize(Uint8Array.of(5))).toEqual([]);
    expect(seen).toEqual([8000, 8000]);
  });

  it('guards DTMF digits and names a foreign stream once', () => {
    const { serializer, logger } = open();
    expect(serializer.deserialize('{"kind":"key","stream":"s1","key":"#"}')).toEqual([
      { type: 'input-dtmf', digit: '#' },
    ]);
    expect(serializer.deserialize('{"kind":"key","key":"X"}')).toEqual([]);
    expect(serializer.deserialize('{"kind":"key","stream":"other","key":"1"}')).toHaveLength(1);
    expect(serializer.deserialize('{"kind":"key","stream":"other","key":"2"}')).toHaveLength(1);
    expect(logger.warnings).toEqual([
      '[toy] ignoring DTMF digit "X" (not 0-9 * # A-D)',
      `[toy] "key" names stream "other", not this call's; decoding it anyway`,
    ]);
  });

  it('reads the event name from the declared key and refuses unknown ones', () => {
    const { serializer, logger } = open();
    expect(serializer.deserialize('{"event":"played","name":"x"}')).toEqual([]);
    expect(serializer.deserialize('{"kind":"played","name":"x"}')).toEqual([checkpointReachedFrame('x')]);
    expect(logger.warnings).toEqual(['[toy] ignoring an unknown event "undefined"']);
  });
});

describe('defineCarrier: outbound', () => {
  it('frames audio and sends what the framer holds before a checkpoint and at the end', () => {
    const { serializer } = open();
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    expect(serializer.serialize(outputAudioFrame(Int16Array.of(1, 2, 3), 8000)).map(bytes)).toEqual([
      [1, 0, 2, 0],
    ]);
    const marked = serializer.serialize(checkpointFrame('cp'));
    expect(marked.slice(0, -1).map(bytes)).toEqual([[3, 0, 0, 0]]);
    expect(marked.at(-1)).toBe('{"kind":"mark","name":"cp"}');
    serializer.serialize(outputAudioFrame(Int16Array.of(4), 8000));
    const ended = serializer.serialize(endFrame());
    expect(ended.slice(0, -1).map(bytes)).toEqual([[4, 0, 0, 0]]);
    expect(ended.at(-1)).toBe('{"kind":"bye"}');
  });

  it('drops held audio on cancel and still says the protocol goodbye', () => {
    const { serializer } = open();
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    serializer.serialize(outputAudioFrame(Int16Array.of(7), 8000));
    expect(serializer.serialize(cancelFrame())).toEqual(['{"kind":"bye"}']);
  });

  it('sends output DTMF as in-band tones after the audio before it when the carrier has no DTMF message', () => {
    const { serializer, logger } = open();
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    serializer.serialize(outputAudioFrame(Int16Array.of(5), 8000));
    const messages = serializer.serialize(outputDtmfFrame('1#'));
    const pcm = Int16Array.from(messages.flatMap((message) => Array.from(l16LeToPcm(message as Uint8Array))));
    // The framer's held sample first, then 2 × (100 ms tone + 100 ms gap) at 8 kHz, on the framer's
    // 2-sample grid (it holds back the last sample until more audio or the end).
    expect(pcm[0]).toBe(5);
    expect(pcm.length).toBe(3200);
    expect(Array.from(pcm.subarray(1))).toEqual(Array.from(dtmfTones('1#', 8000).subarray(0, 3199)));
    expect(detectDtmf(pcm, 8000)).toBe('1#');
    expect(logger.warnings).toEqual([]);
  });

  it('drops output DTMF that is not 0-9 * # A-D, or longer than 64 keys, with a warning', () => {
    const { serializer, logger } = open();
    expect(serializer.serialize({ type: 'output-dtmf', digits: '1x' } as Frame)).toEqual([]);
    expect(serializer.serialize(outputDtmfFrame('1'.repeat(65)))).toEqual([]);
    expect(logger.warnings).toEqual([
      '[toy] output DTMF "1x" is not 0-9 * # A-D; dropped',
      '[toy] output DTMF of 65 keys (limit 64); dropped',
    ]);
  });
});

describe('defineCarrier: configuration and hang-up', () => {
  it('refuses a pipeline rate the codec cannot resample to, naming the field, at creation', () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, toyCarrier([]), {});
    const create = () =>
      createWireSerializer(container, 'toy', {
        streamId: 's',
        params: { sampleRate: 500, autoHangUp: false },
      });
    expect(create).toThrow(CallwireError);
    expect(create).toThrow(/sampleRate/);
  });

  it('refuses, at creation, a pipeline rate whose ratio to the wire rate the codec cannot handle', () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, toyCarrier([]), {});
    expect(() =>
      createWireSerializer(container, 'toy', {
        streamId: 's',
        params: { sampleRate: 192_001, autoHangUp: false },
      }),
    ).toThrow(/\[toy\] invalid call params: sampleRate: 192001 Hz cannot be resampled from 8000 Hz/);
  });

  it('refuses a start frame whose rate the codec cannot resample to with a CONFIG error', () => {
    const { serializer } = open();
    expect(() => serializer.setup(startFrame({ audioInSampleRate: 500_000 }))).toThrow(/audioInSampleRate/);
  });

  it('names every field auto hang-up lacks in one CONFIG error', () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, toyCarrier([]), {});
    expect(() => createWireSerializer(container, 'toy', { streamId: 's' })).toThrow(
      '[toy] auto hang-up needs callId, token (provide them, or set params.autoHangUp: false)',
    );
  });

  it('registers its CallControl: the pure serializer never hangs up, the Pipecat one does once', async () => {
    const { container, serializer, hungUp } = open({});
    expect(serializer.autoHangUp).toBe(true);
    serializer.serialize(endFrame());
    expect(hungUp).toEqual([]);
    const pipecat = createSerializer(container, 'toy', { streamId: 's1', callId: 'c2' });
    await pipecat.serialize(endFrame());
    await pipecat.serialize(cancelFrame());
    expect(hungUp).toEqual(['c2']);
    expect(resolveCallControl(container, 'toy').carrier).toBe('toy');
  });

  it('says whether options hold what a hang-up needs', () => {
    const plugin = toyCarrier([]);
    expect(plugin.canHangUp?.({ token: 't' })).toBe(true);
    expect(plugin.canHangUp?.({})).toBe(false);
    expect(plugin.canHangUp?.({ token: '' })).toBe(false);
  });
});

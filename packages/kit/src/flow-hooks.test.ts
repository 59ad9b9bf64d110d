import {
  checkpointFrame,
  createCallwireContainer,
  createWireSerializer,
  type Frame,
  type Logger,
  outputAudioFrame,
  registerCarrier,
  type StreamFraming,
  startFrame,
  type WireMessage,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { defineCarrier } from './define-carrier.js';
import { noAutoHangUpParam, pipelineSampleRateParam } from './option-fragments.js';

// A toy protocol with a plain-text dialect (`PAUSE`, `RESUME`, `DIGIT d:5`) beside its JSON one, and
// flow control: between `pause` and `resume` every outbound message is held by the gate, in order, and
// `resume` releases them through the protocol-reply path.

const Inbound = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pause') }),
  z.object({ kind: z.literal('resume') }),
  z.object({ kind: z.literal('digit'), d: z.string() }),
]);

/** `NAME key:value …` as the object its JSON form would be; `undefined` for anything else. */
function readPlainText(text: string): unknown {
  const [name, ...pairs] = text.split(' ');
  if (name === undefined || !/^[A-Z]+$/.test(name)) return undefined;
  return Object.fromEntries([['kind', name.toLowerCase()], ...pairs.map((pair) => pair.split(':', 2))]);
}

interface Flow {
  paused: boolean;
  held: WireMessage[];
  /** What each `gate` call was given: the frame's type and how many messages it produced. */
  readonly seen: string[];
}

const framing: StreamFraming = { createDeframer: () => ({ push: () => ({ messages: [] }) }) };

const flowing = defineCarrier({
  name: 'flowing',
  options: z.strictObject({}),
  params: z.strictObject({ sampleRate: pipelineSampleRateParam, autoHangUp: noAutoHangUpParam('none') }),
  wireFormat: () => ({ encoding: 'l16', sampleRate: 8000 }),
  detect: () => undefined,
  streamFraming: framing,
  session: (): Flow => ({ paused: false, held: [], seen: [] }),
  inbound: {
    events: new Set(['pause', 'resume', 'digit']),
    eventKey: 'kind',
    schema: Inbound,
    plainText: readPlainText,
    toFrames(event, call) {
      if (event.kind === 'digit') return call.dtmf(event.d);
      call.session.paused = event.kind === 'pause';
      if (!call.session.paused) for (const message of call.session.held.splice(0)) call.reply(message);
      return undefined;
    },
  },
  outbound: ({ session }) => ({
    media: (bytes) => Uint8Array.from(bytes),
    checkpoint: (name) => `MARK ${name}`,
    gate(messages: readonly WireMessage[], frame: Frame) {
      session.seen.push(`${frame.type}:${messages.length}`);
      if (!session.paused) return [...messages];
      session.held.push(...messages);
      return [];
    },
  }),
});

function quietLogger(): Logger {
  return { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
}

function open() {
  const container = createCallwireContainer({ logger: quietLogger() });
  registerCarrier(container, flowing, {});
  const serializer = createWireSerializer(container, 'flowing', {
    streamId: 's1',
    params: { autoHangUp: false },
  });
  serializer.setup(startFrame({ audioInSampleRate: 8000 }));
  return serializer;
}

const audio = (value: number) => outputAudioFrame(Int16Array.of(value, value), 8000);

describe('defineCarrier: inbound.plainText', () => {
  it('reads a text message that is not JSON through the carrier, then validates it like JSON', () => {
    const serializer = open();
    expect(serializer.deserialize('DIGIT d:5')).toMatchObject([{ type: 'input-dtmf', digit: '5' }]);
    expect(serializer.deserialize('{"kind":"digit","d":"7"}')).toMatchObject([{ digit: '7' }]);
    // Read as plain text but invalid for the schema, or neither JSON nor plain text: no frame.
    expect(serializer.deserialize('DIGIT')).toEqual([]);
    expect(serializer.deserialize('not a message')).toEqual([]);
  });
});

describe('defineCarrier: outbound.gate', () => {
  it('sees every outbound frame, holds what it keeps, and releases it in order through the reply path', () => {
    const serializer = open();
    expect(serializer.serialize(audio(1))).toEqual([Uint8Array.of(1, 0, 1, 0)]);
    serializer.deserialize('PAUSE');
    expect(serializer.serialize(audio(2))).toEqual([]);
    expect(serializer.serialize(checkpointFrame('a'))).toEqual([]);
    expect(serializer.serialize(audio(3))).toEqual([]);
    const released: WireMessage[] = [];
    serializer.deserialize('{"kind":"resume"}', (message) => released.push(message));
    expect(released).toEqual([Uint8Array.of(2, 0, 2, 0), 'MARK a', Uint8Array.of(3, 0, 3, 0)]);
    expect(serializer.serialize(audio(4))).toEqual([Uint8Array.of(4, 0, 4, 0)]);
  });
});

describe('defineCarrier: streamFraming', () => {
  it('is handed to the plugin as declared (the server serves such a carrier on its tcp listener)', () => {
    expect(flowing.streamFraming).toBe(framing);
  });
});

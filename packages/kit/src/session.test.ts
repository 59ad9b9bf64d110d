import {
  createCallwireContainer,
  createWireSerializer,
  endFrame,
  type Logger,
  registerCarrier,
  startFrame,
  transportMessageFrame,
  type WireMessage,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { defineCarrier } from './define-carrier.js';
import { noAutoHangUpParam, pipelineSampleRateParam } from './option-fragments.js';

// A toy stateful protocol: every message we send carries `n`, a counter shared by replies (made while
// deserializing) and outbound messages (made while serializing); text over 40 characters or malformed
// is answered with `{"kind":"bad"}`; binary audio is 2-channel L16 of which channel 0 is kept.

const Ping = z.object({ kind: z.literal('ping') });
const Inbound = z.discriminatedUnion('kind', [Ping]);

interface Counter {
  n: number;
  readonly streamId: string;
  readonly made: number;
}

let sessionsMade = 0;

const stateful = defineCarrier({
  name: 'stateful',
  options: z.strictObject({ start: z.number().default(0) }),
  params: z.strictObject({ sampleRate: pipelineSampleRateParam, autoHangUp: noAutoHangUpParam('none') }),
  wireFormat: () => ({ encoding: 'l16', sampleRate: 8000 }),
  detect: () => undefined,
  session: ({ streamId, options }): Counter => ({ n: options.start, streamId, made: ++sessionsMade }),
  inbound: {
    events: new Set(['ping']),
    eventKey: 'kind',
    schema: Inbound,
    binary: 'audio',
    maxTextChars: 40,
    refused(kind, call) {
      call.session.n += 1;
      call.reply(JSON.stringify({ kind: 'bad', why: kind, n: call.session.n }));
    },
    audio(bytes, call) {
      const left = new Uint8Array(bytes.length / 2);
      for (let i = 0; i + 3 < bytes.length; i += 4) left.set(bytes.subarray(i, i + 2), i / 2);
      return call.audioFromBytes(left);
    },
    toFrames(_event, call) {
      call.session.n += 1;
      call.reply(JSON.stringify({ kind: 'pong', n: call.session.n }));
      return undefined;
    },
  },
  outbound: ({ session }) => ({
    media: (bytes) => Uint8Array.from(bytes),
    transportMessage: (message) => {
      session.n += 1;
      return [JSON.stringify({ kind: 'wrapped', n: session.n, message })];
    },
    end: () => [JSON.stringify({ kind: 'bye', n: ++session.n, stream: session.streamId })],
  }),
});

function quietLogger(): Logger {
  return { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
}

function open(start = 0) {
  const container = createCallwireContainer({ logger: quietLogger() });
  registerCarrier(container, stateful, { start });
  const serializer = createWireSerializer(container, 'stateful', {
    streamId: 's1',
    params: { autoHangUp: false },
  });
  serializer.setup(startFrame({ audioInSampleRate: 8000 }));
  return serializer;
}

describe('defineCarrier: a per-call session', () => {
  it('is made once per call and shared by replies and outbound messages, in order', () => {
    const before = sessionsMade;
    const serializer = open(10);
    const replies: WireMessage[] = [];
    serializer.deserialize('{"kind":"ping"}', (reply) => replies.push(reply));
    const sent = serializer.serialize(transportMessageFrame({ hi: 1 }));
    serializer.deserialize('{"kind":"ping"}', (reply) => replies.push(reply));
    sent.push(...serializer.serialize(endFrame()));
    expect(sessionsMade - before).toBe(1);
    expect(replies.map((reply) => JSON.parse(String(reply)).n)).toEqual([11, 13]);
    expect(sent.map((message) => JSON.parse(String(message)))).toEqual([
      { kind: 'wrapped', n: 12, message: { hi: 1 } },
      { kind: 'bye', n: 14, stream: 's1' },
    ]);
  });

  it('gives each call its own session', () => {
    const first = open();
    const second = open();
    const replies: WireMessage[] = [];
    first.deserialize('{"kind":"ping"}', (reply) => replies.push(reply));
    second.deserialize('{"kind":"ping"}', (reply) => replies.push(reply));
    expect(replies).toEqual(['{"kind":"pong","n":1}', '{"kind":"pong","n":1}']);
  });
});

describe('defineCarrier: refused text, a carrier text limit, carrier audio', () => {
  it('tells the carrier what the kit refused, so it can answer in-protocol', () => {
    const serializer = open();
    const replies: WireMessage[] = [];
    const reply = (message: WireMessage) => replies.push(message);
    expect(serializer.deserialize(`{"kind":"ping","pad":"${'x'.repeat(40)}"}`, reply)).toEqual([]);
    serializer.deserialize('not json', reply);
    serializer.deserialize('{"kind":"other"}', reply);
    serializer.deserialize('{"kind":"ping"}', reply);
    expect(replies.map((message) => JSON.parse(String(message)).why ?? 'ok')).toEqual([
      'oversized',
      'bad-json',
      'unknown-event',
      'ok',
    ]);
  });

  it("hands binary audio to the carrier's own decoder", () => {
    const serializer = open();
    const [frame] = serializer.deserialize(Uint8Array.of(1, 0, 99, 0, 2, 0, 98, 0));
    expect(frame).toMatchObject({ type: 'input-audio', audio: Int16Array.of(1, 2) });
  });
});

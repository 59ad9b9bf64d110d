import { connect, type Socket } from 'node:net';
import {
  type CallInfo,
  type CarrierPlugin,
  callControlToken,
  createCallwireContainer,
  type Frame,
  inputDtmfFrame,
  registerCarrier,
  type StreamFraming,
  serializerFactoryToken,
  transportMessageFrame,
  type WireSerializer,
} from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CallServer, createCallServer } from './server.js';
import { createMemoryLogger } from './test-support/memory-logger.js';
import { createToyCarrier } from './test-support/toy-carrier.js';

// A toy carrier over plain TCP: each message is a length byte (1-255) and that many bytes. "HELLO"
// opens a call, "D<digit>" is a key press; a transport message goes out as its JSON, `end` as "BYE".

const frame = (text: string) => Uint8Array.from([text.length, ...Buffer.from(text)]);
const textOf = (message: Uint8Array) => Buffer.from(message.subarray(1)).toString();

const lengthByteFraming: StreamFraming = {
  createDeframer(maxMessageBytes) {
    let pending = Buffer.alloc(0);
    return {
      push(chunk) {
        pending = Buffer.concat([pending, chunk]);
        const messages: Uint8Array[] = [];
        while (pending.length > 0) {
          const length = pending[0] as number;
          if (length === 0) return { problem: 'a zero length byte' };
          if (length + 1 > maxMessageBytes) return { problem: `a ${length + 1}-byte message is too long` };
          if (pending.length < length + 1) break;
          messages.push(new Uint8Array(pending.subarray(0, length + 1)));
          pending = pending.subarray(length + 1);
        }
        return { messages };
      },
    };
  },
};

const streamToy: CarrierPlugin = {
  name: 'streamtoy',
  options: z.object({}),
  streamFraming: lengthByteFraming,
  detect: (message) =>
    message instanceof Uint8Array && textOf(message) === 'HELLO'
      ? { streamId: 's-1', callId: 'c-1' }
      : undefined,
  register(container) {
    container.register(callControlToken('streamtoy'), {
      useValue: { carrier: 'streamtoy', hangUp: async () => ({ outcome: 'ended' }) },
    });
    container.register(serializerFactoryToken('streamtoy'), {
      useValue: (call: CallInfo): WireSerializer => ({
        carrier: 'streamtoy',
        streamId: call.streamId,
        callId: call.callId,
        autoHangUp: false,
        setup() {},
        serialize(out: Frame) {
          if (out.type === 'output-transport-message') return [frame(JSON.stringify(out.message))];
          return out.type === 'end' ? [frame('BYE')] : [];
        },
        deserialize(data) {
          const text = typeof data === 'string' ? data : textOf(data);
          return text.startsWith('D') ? [inputDtmfFrame(text.slice(1) as '5')] : [];
        },
      }),
    });
  },
};

const servers: CallServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: { maxPayload?: number } = {}) {
  const logger = createMemoryLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, streamToy, {});
  registerCarrier(container, createToyCarrier().plugin, {});
  const server = createCallServer({
    container,
    logger,
    tcp: { port: 0, host: '127.0.0.1' },
    ...options,
    handler: async (call) => {
      for await (const frame of call.frames) {
        if (frame.type === 'input-dtmf') {
          await call.send(transportMessageFrame({ got: frame.digit }));
          return call.hangUp();
        }
      }
    },
  });
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  return { server, port, tcpPort: server.tcpPort() as number, logger };
}

function dial(port: number): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  let data = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    data = Buffer.concat([data, chunk]);
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return new Promise((resolve) =>
    socket.once('connect', () => resolve({ socket, received: () => data, closed })),
  );
}

describe('the tcp listener', () => {
  it('runs the same handler for a carrier that streams over TCP, messages split at every byte', async () => {
    const { tcpPort, port } = await start();
    expect(tcpPort).toBeGreaterThan(0);
    expect(tcpPort).not.toBe(port);
    const client = await dial(tcpPort);
    for (const byte of [...frame('HELLO'), ...frame('D5')]) {
      client.socket.write(Uint8Array.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await client.closed;
    expect([...client.received()]).toEqual([...frame('{"got":"5"}'), ...frame('BYE')]);
  });

  it('closes a connection it cannot frame, with a log line, and keeps serving', async () => {
    const { tcpPort, logger } = await start({ maxPayload: 10 });
    const garbage = await dial(tcpPort);
    garbage.socket.write(Uint8Array.of(0));
    await garbage.closed;
    const long = await dial(tcpPort);
    long.socket.write(Uint8Array.of(200));
    await long.closed;
    const lines = logger.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message);
    expect(lines).toContain('stream connection closed (streamtoy): a zero length byte');
    expect(lines).toContain('stream connection closed (streamtoy): a 201-byte message is too long');
    const next = await dial(tcpPort);
    next.socket.write(Uint8Array.from([...frame('HELLO'), ...frame('D7')]));
    await next.closed;
    expect(textOf(next.received().subarray(0, (next.received()[0] as number) + 1))).toBe('{"got":"7"}');
  });

  it('is refused at creation when no registered carrier streams over TCP', () => {
    const container = createCallwireContainer({ logger: createMemoryLogger() });
    registerCarrier(container, createToyCarrier().plugin, {});
    expect(() => createCallServer({ container, handler: () => {}, tcp: { port: 0 } })).toThrow(
      /tcp\.carrier: name one of the carriers that stream over TCP \(none registered\)/,
    );
  });
});

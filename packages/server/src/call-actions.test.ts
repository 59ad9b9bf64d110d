import {
  type CallControl,
  callControlToken,
  createCallwireContainer,
  registerCarrier,
  type SendDtmfResult,
  type TransferResult,
  type TransferTarget,
} from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, CallClosed } from './call.js';
import { type CallServer, createCallServer } from './server.js';
import { connectClient, TEST_STREAM_SECRET } from './test-support/client.js';
import { createMemoryLogger } from './test-support/memory-logger.js';
import { eventually } from './test-support/server-harness.js';
import { createToyCarrier } from './test-support/toy-carrier.js';

const servers: CallServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Controls {
  transfer?: (callId: string, target: TransferTarget) => Promise<TransferResult>;
  sendDtmf?: (callId: string, digits: string) => Promise<SendDtmfResult>;
}

/** A server whose toy carrier's CallControl has `controls` besides its recording hang-up. */
async function serve(handler: (call: Call) => Promise<void>, controls: Controls, publicUrl?: string) {
  const { plugin } = createToyCarrier();
  const logger = createMemoryLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, plugin, {});
  const hungUp: string[] = [];
  const control: CallControl = {
    carrier: 'toy',
    hangUp: async (callId) => {
      hungUp.push(callId);
      return { outcome: 'ended' };
    },
    ...controls,
  };
  container.register(callControlToken('toy'), { useValue: control });
  const closings: Promise<CallClosed>[] = [];
  const server = createCallServer({
    container,
    logger,
    streamAuth: { secret: TEST_STREAM_SECRET },
    ...(publicUrl ? { publicUrl } : {}),
    handler: (call) => {
      closings.push(call.closed);
      return handler(call);
    },
  });
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  return { port, hungUp, closings };
}

describe('call.sendDtmf', () => {
  it("uses the carrier's REST DTMF when it has one, and puts nothing on the stream", async () => {
    const asked: string[] = [];
    const results: SendDtmfResult[] = [];
    const { port } = await serve(
      async (call) => {
        results.push(await call.sendDtmf('12#'));
      },
      {
        sendDtmf: async (callId, digits) => {
          asked.push(`${callId}:${digits}`);
          return { outcome: 'sent' };
        },
      },
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c-1' });
    await client.closed;
    expect(asked).toEqual(['c-1:12#']);
    expect(results).toEqual([{ outcome: 'sent' }]);
    expect(client.received).toEqual(['{"toy":"bye"}']);
  });

  it('sends an output-dtmf frame on the stream without REST DTMF, or when REST says unsupported', async () => {
    const { port } = await serve(
      async (call) => {
        expect(await call.sendDtmf('9A')).toEqual({ outcome: 'sent' });
      },
      { sendDtmf: async () => ({ outcome: 'unsupported', reason: 'no key' }) },
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c-2' });
    await client.closed;
    expect(client.received).toEqual(['{"toy":"dtmf","digits":"9A"}', '{"toy":"bye"}']);
  });

  it('refuses keys outside 0-9 * # A-D (and more than 64) without sending anything', async () => {
    const results: SendDtmfResult[] = [];
    const { port } = await serve(async (call) => {
      results.push(await call.sendDtmf('1x'), await call.sendDtmf(''), await call.sendDtmf('1'.repeat(65)));
    }, {});
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's' });
    await client.closed;
    expect(results.map((result) => result.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(client.received).toEqual(['{"toy":"bye"}']);
  });
});

describe('call.transfer', () => {
  it('ends the call without a hang-up or a goodbye once the carrier transferred it, with the answer URL filled in', async () => {
    const asked: [string, TransferTarget][] = [];
    const { port, hungUp, closings } = await serve(
      async (call) => {
        expect(await call.transfer({ to: '+14155550100' })).toEqual({ outcome: 'transferred' });
        await call.closed;
      },
      {
        transfer: async (callId, target) => {
          asked.push([callId, target]);
          return { outcome: 'transferred' };
        },
      },
      'https://bot.example.com',
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c-3' });
    expect(await client.closed).toEqual({ code: 1000, reason: 'transferred' });
    expect(await closings[0]).toMatchObject({ reason: 'transferred' });
    expect(asked).toEqual([['c-3', { to: '+14155550100', answerUrl: 'https://bot.example.com/answer' }]]);
    expect(hungUp).toEqual([]);
    expect(client.received).toEqual([]);
  });

  it('answers unsupported for a carrier without REST transfer, and the call goes on to a normal hang-up', async () => {
    const results: TransferResult[] = [];
    const { port, hungUp } = await serve(async (call) => {
      results.push(await call.transfer({ to: '+14155550100' }));
      await call.send({ type: 'output-dtmf', digits: '1' });
    }, {});
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c-4' });
    expect(await client.closed).toEqual({ code: 1000, reason: 'handler-returned' });
    expect(results).toEqual([{ outcome: 'unsupported', reason: 'toy has no REST transfer' }]);
    expect(client.received).toEqual(['{"toy":"dtmf","digits":"1"}', '{"toy":"bye"}']);
    expect(hungUp).toEqual(['c-4']);
  });

  it('does not hang up when the carrier closes the stream before answering the transfer (Twilio does)', async () => {
    let answer: (result: TransferResult) => void = () => {};
    let asked = 0;
    const { port, hungUp, closings } = await serve(
      async (call) => {
        const first = call.transfer({ to: '+14155550100' });
        const second = call.transfer({ to: '+14155550199' });
        expect(second).toBe(first);
        for await (const _ of call.frames) {
          // Until the carrier stops the stream.
        }
      },
      {
        transfer: () => {
          asked += 1;
          return new Promise((resolve) => {
            answer = resolve;
          });
        },
      },
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c-5' });
    await eventually(() => asked === 1);
    client.send({ toy: 'stop' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hungUp).toEqual([]);
    answer({ outcome: 'transferred' });
    expect(await closings[0]).toMatchObject({ reason: 'transferred' });
    expect(hungUp).toEqual([]);
    expect(asked).toBe(1);
  });

  it('hangs up as usual when the stream closes and the transfer then fails', async () => {
    let answer: (result: TransferResult) => void = () => {};
    const { port, hungUp, closings } = await serve(
      async (call) => {
        void call.transfer({ to: '+14155550100' });
        for await (const _ of call.frames) {
          // Until the carrier stops the stream.
        }
      },
      {
        transfer: () =>
          new Promise((resolve) => {
            answer = resolve;
          }),
      },
    );
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c-6' });
    await eventually(() => closings.length === 1);
    client.send({ toy: 'stop' });
    answer({ outcome: 'failed', reason: 'HTTP 500', status: 500 });
    expect(await closings[0]).toMatchObject({ reason: 'remote-closed' });
    expect(hungUp).toEqual(['c-6']);
  });
});

import type { Call } from '@callwire/server';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { callTools } from './call-tools.js';

function fakeCall(extra: Record<string, unknown> = {}) {
  const calls: string[] = [];
  const call = {
    logger: recordingLogger(),
    hangUp: async () => {
      calls.push('hangUp');
    },
    ...extra,
  } as unknown as Call;
  return { call, calls };
}

type CallTool = ReturnType<typeof callTools>[number];

async function run(tool: CallTool | undefined, input: unknown): Promise<unknown> {
  if (!tool) throw new Error('no such tool');
  return tool.invoke({} as Parameters<CallTool['invoke']>[0], JSON.stringify(input));
}

describe('callTools', () => {
  it('hang_up answers the model, then hangs up once beforeHangUp resolved', async () => {
    const { call, calls } = fakeCall();
    let release: () => void = () => {};
    const goodbyeHeard = new Promise<void>((resolve) => {
      release = resolve;
    });
    const [hangUp] = callTools(call, { beforeHangUp: () => goodbyeHeard });
    expect(await run(hangUp, {})).toBe('The call is ending.');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([]);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['hangUp']);
  });

  it('has no transfer tool without named targets', () => {
    expect(callTools(fakeCall().call).map((tool) => tool.name)).toEqual(['hang_up']);
  });

  it('transfers to the named target through call.transfer', async () => {
    const targets: string[] = [];
    const { call } = fakeCall({
      transfer: async (target: { to: string }) => {
        targets.push(target.to);
        return { outcome: 'transferred' };
      },
    });
    const [, transfer] = callTools(call, {
      transferTargets: { sales: '+14155550100', pbx: { to: 'sip:desk@pbx.example.com' } },
    });
    expect(await run(transfer, { destination: 'sales' })).toBe('The call was transferred to sales.');
    expect(await run(transfer, { destination: 'pbx' })).toBe('The call was transferred to pbx.');
    expect(targets).toEqual(['+14155550100', 'sip:desk@pbx.example.com']);
  });

  it('answers "unsupported" where the carrier cannot transfer', async () => {
    const { call } = fakeCall({
      transfer: async () => ({ outcome: 'unsupported', reason: 'exotel has no transfer API' }),
    });
    const [, transfer] = callTools(call, { transferTargets: { sales: '+14155550100' } });
    expect(await run(transfer, { destination: 'sales' })).toBe('Transfer is unsupported on this call.');
  });

  it('refuses a destination that is not named (the model cannot dial a number of its own)', async () => {
    const transfers: string[] = [];
    const { call } = fakeCall({
      transfer: async (target: { to: string }) => {
        transfers.push(target.to);
        return { outcome: 'transferred' };
      },
    });
    const [, transfer] = callTools(call, { transferTargets: { sales: '+14155550100' } });
    const answer = await run(transfer, { destination: '+19005550000' });
    expect(String(answer)).not.toContain('transferred');
    expect(transfers).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { CallControl } from './call-control.js';
import { transferCall, transferTargetProblem } from './transfer.js';

const hangUpOnly: CallControl = { carrier: 'toy', hangUp: async () => ({ outcome: 'ended' }) };

describe('transferCall', () => {
  it('answers unsupported, without throwing, when the carrier has no REST transfer', async () => {
    const result = await transferCall(hangUpOnly, 'call-1', { to: '+14155550100' });
    expect(result).toEqual({ outcome: 'unsupported', reason: 'toy has no REST transfer' });
    expect((await transferCall(undefined, 'call-1', { to: '+1415' })).outcome).toBe('unsupported');
  });

  it('refuses a bad target or a missing call id before asking the carrier', async () => {
    const asked: string[] = [];
    const control: CallControl = {
      ...hangUpOnly,
      transfer: async (callId) => {
        asked.push(callId);
        return { outcome: 'transferred' };
      },
    };
    expect((await transferCall(control, 'c', { to: '<Dial>' })).outcome).toBe('failed');
    expect((await transferCall(control, 'c', { to: '+1415', from: 'a b' })).outcome).toBe('failed');
    expect((await transferCall(control, undefined, { to: '+1415' })).outcome).toBe('failed');
    expect(asked).toEqual([]);
    expect(await transferCall(control, 'c', { to: 'sip:agent@pbx.example.com' })).toEqual({
      outcome: 'transferred',
    });
    expect(asked).toEqual(['c']);
  });

  it('turns a throwing control into a failure', async () => {
    const control: CallControl = {
      ...hangUpOnly,
      transfer: () => {
        throw new Error('boom');
      },
    };
    expect(await transferCall(control, 'c', { to: '+1415' })).toEqual({
      outcome: 'failed',
      reason: 'transfer threw: boom',
    });
  });
});

describe('transferTargetProblem', () => {
  it('accepts E.164 numbers and SIP URIs, and nothing that could break out of markup or a URL', () => {
    expect(transferTargetProblem({ to: '+14155550100' })).toBeUndefined();
    expect(transferTargetProblem({ to: '14155550100', from: '+14155550199' })).toBeUndefined();
    expect(transferTargetProblem({ to: 'sip:agent@pbx.example.com;transport=tls' })).toBeUndefined();
    for (const to of ['', '+', 'abc', '+1 415', '"/><Hangup/>', 'sip:a b', 'tel:+1415', 'sip:<x>']) {
      expect(transferTargetProblem({ to }), to).toBeDefined();
    }
    expect(transferTargetProblem(null)).toBeDefined();
    expect(transferTargetProblem({ to: '+1415', answerUrl: 'ftp://x' })).toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import { createHangUpOnce, requireForAutoHangUp } from './auto-hang-up.js';
import type { CallControl, HangUpResult } from './call-control.js';
import { CallwireError } from './errors.js';
import type { Logger } from './logger.js';

function recordingLogger(lines: string[]): Logger {
  const log = (fields: string | Record<string, unknown>, message?: string) =>
    lines.push(typeof fields === 'string' ? fields : (message ?? ''));
  return { debug: log, info: log, warn: log, error: log };
}

describe('requireForAutoHangUp', () => {
  it('names every missing field in one CONFIG error and never echoes values', () => {
    let caught: unknown;
    try {
      requireForAutoHangUp('acme', { callId: undefined, accountSid: 'AC1', authToken: '' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CallwireError);
    expect((caught as CallwireError).code).toBe('CONFIG');
    expect((caught as CallwireError).message).toMatch(/^\[acme\] auto hang-up needs callId, authToken /);
    expect((caught as CallwireError).message).not.toContain('AC1');
  });

  it('refuses a call id that is not safe in a REST path', () => {
    expect(() => requireForAutoHangUp('acme', { callId: '../Call', authId: 'MA1' })).toThrow(
      /^\[acme\] invalid callId: /,
    );
  });

  it('passes when everything is there', () => {
    expect(() => requireForAutoHangUp('acme', { callId: 'v3:x', apiKey: 'k' })).not.toThrow();
  });
});

describe('createHangUpOnce', () => {
  const ended: HangUpResult = { outcome: 'ended' };

  it('hangs up the first time only', async () => {
    const calls: string[] = [];
    const control: CallControl = {
      carrier: 'x',
      hangUp: async (id) => {
        calls.push(id);
        return ended;
      },
    };
    const hangUp = createHangUpOnce({
      carrier: 'x',
      control,
      callId: 'c1',
      enabled: true,
      logger: recordingLogger([]),
    });
    expect(await hangUp()).toEqual(ended);
    expect(await hangUp()).toBeUndefined();
    expect(calls).toEqual(['c1']);
  });

  it('does nothing when disabled or without a call id', async () => {
    const calls: string[] = [];
    const control: CallControl = {
      carrier: 'x',
      hangUp: async (id) => {
        calls.push(id);
        return ended;
      },
    };
    const logger = recordingLogger([]);
    expect(
      await createHangUpOnce({ carrier: 'x', control, callId: 'c1', enabled: false, logger })(),
    ).toBeUndefined();
    expect(
      await createHangUpOnce({ carrier: 'x', control, callId: undefined, enabled: true, logger })(),
    ).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('turns a throwing CallControl into a failed result and a log line', async () => {
    const lines: string[] = [];
    const control: CallControl = {
      carrier: 'x',
      hangUp: async () => {
        throw new Error('boom');
      },
    };
    const result = await createHangUpOnce({
      carrier: 'x',
      control,
      callId: 'c1',
      enabled: true,
      logger: recordingLogger(lines),
    })();
    expect(result).toEqual({ outcome: 'failed', reason: 'hang-up threw: boom' });
    expect(lines).toEqual(['[x] hang-up threw: boom']);
  });
});

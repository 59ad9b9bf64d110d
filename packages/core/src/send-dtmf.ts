import { callActionOverRest, type RestCallAction } from './call-action.js';
import type { SendDtmfResult } from './call-control.js';

/** Keys a DTMF request may carry: 1-64 of 0-9 * # A-D. */
export const DTMF_SEQUENCE = /^[0-9*#A-D]{1,64}$/;

/** `callActionOverRest` for keypad tones: `done` is `sent`; a call already gone is a failure. */
export async function sendDtmfOverRest(spec: Omit<RestCallAction, 'action'>): Promise<SendDtmfResult> {
  const result = await callActionOverRest({ ...spec, action: 'DTMF', doneText: 'DTMF sent' });
  if (result.outcome === 'done') return { outcome: 'sent' };
  if (result.outcome === 'gone') {
    return {
      outcome: 'failed',
      reason: 'the call has already ended',
      ...(result.status !== undefined ? { status: result.status } : {}),
    };
  }
  return result;
}

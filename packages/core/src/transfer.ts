import { type CallActionResult, callActionOverRest, type RestCallAction } from './call-action.js';
import type { CallControl, TransferResult, TransferTarget } from './call-control.js';

const PHONE = /^\+?[0-9]{2,20}$/;
const SIP_URI = /^sips?:[A-Za-z0-9._~%!$&'()*+,;=:@-]{1,256}$/;

/** Why `target` cannot be dialled, or `undefined` when it can: `to` must be a phone number or a SIP URI. */
export function transferTargetProblem(target: unknown): string | undefined {
  if (target === null || typeof target !== 'object') return 'transfer target must be an object { to }';
  const { to, from, answerUrl } = target as Record<string, unknown>;
  if (typeof to !== 'string' || !(PHONE.test(to) || SIP_URI.test(to))) {
    return 'transfer target "to" must be a phone number (+ and 2-20 digits) or a sip: URI';
  }
  if (from !== undefined && (typeof from !== 'string' || !/^\+?[A-Za-z0-9]{1,32}$/.test(from))) {
    return 'transfer target "from" must be a number or name of 1-32 letters and digits';
  }
  if (answerUrl !== undefined && (typeof answerUrl !== 'string' || !/^https?:\/\/\S+$/.test(answerUrl))) {
    return 'transfer target "answerUrl" must be an absolute http(s) URL';
  }
  return undefined;
}

/** True when `to` is a SIP URI rather than a phone number. */
export function isSipTarget(to: string): boolean {
  return /^sips?:/.test(to);
}

/** `callActionOverRest` for a transfer: `done` is `transferred`; a call already gone is a failure. */
export async function transferOverRest(spec: Omit<RestCallAction, 'action'>): Promise<TransferResult> {
  const result: CallActionResult = await callActionOverRest({
    ...spec,
    action: 'transfer',
    doneText: 'call transferred',
  });
  if (result.outcome === 'done') return { outcome: 'transferred' };
  if (result.outcome === 'gone') {
    return {
      outcome: 'failed',
      reason: 'the call has already ended',
      ...(result.status !== undefined ? { status: result.status } : {}),
    };
  }
  return result;
}

/**
 * Transfers `callId` through `control`: `unsupported` when the carrier has no REST transfer, `failed`
 * without a call id or with a bad target, else the carrier's answer. Never throws.
 */
export async function transferCall(
  control: CallControl | undefined,
  callId: string | undefined,
  target: TransferTarget,
): Promise<TransferResult> {
  if (!control?.transfer) {
    return { outcome: 'unsupported', reason: `${control?.carrier ?? 'this carrier'} has no REST transfer` };
  }
  const problem = transferTargetProblem(target);
  if (problem !== undefined) return { outcome: 'failed', reason: problem };
  if (callId === undefined) return { outcome: 'failed', reason: 'the carrier sent no call id to transfer' };
  try {
    return await control.transfer(callId, target);
  } catch (error) {
    return {
      outcome: 'failed',
      reason: `transfer threw: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

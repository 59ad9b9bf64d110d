import { detectDtmf } from '@callwire/codec';
import { endFrame, outputDtmfFrame } from '@callwire/core';
import { expect } from 'vitest';
import type { CarrierHarness } from '../harness.js';
import { renderDeep } from '../logger.js';
import {
  type CallActionUnderTest,
  DEADLINE_SLACK_MS,
  FAULT_MATRIX_DEADLINE_MS,
  failureLines,
  type HangUpFault,
  runHangUp,
  visibleTexts,
} from '../reliability/hang-up-run.js';
import { expectNoSecretIn } from './checks-secrets.js';
import type { ConformanceContext } from './context.js';

/** Keys the in-band check sends: one of each row and column. */
const IN_BAND_KEYS = '159#*D';

/** `output-dtmf` comes out as audio in which codec's Goertzel detector hears exactly the keys sent. */
export async function checkInBandDtmf(context: ConformanceContext): Promise<void> {
  const { harness } = context;
  const call = await context.openCall({ sampleRate: 16000, autoHangUp: false });
  // `end` flushes what a framing carrier holds back; with auto hang-up off it makes no request.
  const messages = [
    ...(await call.serialize(outputDtmfFrame(IN_BAND_KEYS))),
    ...(await call.serialize(endFrame())),
  ];
  const chunks: Int16Array[] = [];
  for (const message of messages) {
    expect(
      harness.read.problem?.(message),
      'the carrier would refuse an in-band DTMF message',
    ).toBeUndefined();
    const pcm = harness.read.audio(message);
    if (pcm !== undefined) chunks.push(pcm);
  }
  const pcm = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    pcm.set(chunk, at);
    at += chunk.length;
  }
  // 100 ms of tone and 100 ms of gap per key, at least (a framer may pad the last chunk).
  expect(pcm.length, 'in-band DTMF audio length').toBeGreaterThanOrEqual(
    (IN_BAND_KEYS.length * 0.2 - 0.02) * harness.wireSampleRate,
  );
  expect(detectDtmf(pcm, harness.wireSampleRate), 'keys heard in the outbound audio').toBe(IN_BAND_KEYS);
}

/** Which REST call action a check drives. */
export type RestCallActionKind = 'transfer' | 'dtmf';

const SUCCESS = { transfer: 'transferred', dtmf: 'sent' } as const;

/** The transfer or REST DTMF of `harness`'s `CallControl`, and where its request goes. */
export function restCallAction(
  harness: CarrierHarness<unknown, unknown>,
  kind: RestCallActionKind,
): CallActionUnderTest {
  const spec = kind === 'transfer' ? harness.transferRequest : harness.dtmfRequest;
  if (!spec) throw new Error(`the harness declares REST ${kind} but has no ${kind}Request`);
  return {
    path: (callId) => spec.path(callId),
    run: async (control, callId) => {
      if (kind === 'transfer') {
        if (!control.transfer) throw new Error('the CallControl has no transfer()');
        return control.transfer(callId, { to: '+14155550100', answerUrl: 'https://bot.example.com/answer' });
      }
      if (!control.sendDtmf) throw new Error('the CallControl has no sendDtmf()');
      return control.sendDtmf(callId, '12#');
    },
  };
}

/**
 * One row of the hang-up fault matrix against the carrier's transfer or REST DTMF: the same deadline,
 * retries, single failure line and secrecy; `ended` reads as `transferred`/`sent`, and a call that is
 * already over as `failed` (logged at debug, as for the hang-up).
 */
export async function checkCallActionFault(
  harness: CarrierHarness<unknown, unknown>,
  kind: RestCallActionKind,
  fault: HangUpFault,
): Promise<void> {
  const scenario =
    fault.alreadyEnded && harness.alreadyEndedFault ? { fault: harness.alreadyEndedFault } : fault.scenario;
  const run = await runHangUp(harness, scenario, FAULT_MATRIX_DEADLINE_MS, restCallAction(harness, kind));
  expect(run.settled, `${kind} did not settle in time`).toBe(true);
  expect(run.thrown, `${kind} threw (it must never throw)`).toBeUndefined();
  expect(run.result?.outcome, renderDeep(run.result)).toBe(
    fault.outcome === 'ended' ? SUCCESS[kind] : 'failed',
  );
  expect(run.elapsedMs, 'settled past its deadline').toBeLessThan(
    FAULT_MATRIX_DEADLINE_MS + DEADLINE_SLACK_MS,
  );
  if (typeof fault.requests === 'number') expect(run.requests, `${kind} requests`).toBe(fault.requests);
  else expect(run.requests, `${kind} requests`).toBeGreaterThanOrEqual(fault.requests === 'retried' ? 2 : 1);
  const failures = failureLines(run);
  expect(failures, 'failure log lines').toHaveLength(fault.failureLines);
  if (fault.failureLines === 1) expect(failures[0]).toContain(`[${harness.plugin.name}]`);
  expectNoSecretIn(harness, visibleTexts(run), run.authorizationHeaders);
}

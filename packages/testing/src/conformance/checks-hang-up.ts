import {
  CallwireError,
  cancelFrame,
  checkpointFrame,
  endFrame,
  type Frame,
  interruptionFrame,
  outputAudioFrame,
  outputDtmfFrame,
  transportMessageFrame,
} from '@callwire/core';
import { expect } from 'vitest';
import { tone } from '../audio/signals.js';
import type { CarrierHarness } from '../harness.js';
import { recordingLogger, renderDeep } from '../logger.js';
import {
  DEADLINE_SLACK_MS,
  FAULT_MATRIX_DEADLINE_MS,
  failureLines,
  type HangUpFault,
  runHangUp,
  visibleTexts,
} from '../reliability/hang-up-run.js';
import { expectNoSecretIn, expectNoSecrets } from './checks-secrets.js';
import { type ConformanceCall, type ConformanceContext, createWithoutCallId } from './context.js';

/** Extra time (ms) past `hangUpTimeoutMs` that `serialize(end)` may take when the API misbehaves. */
export const HANG_UP_SLACK_MS = 2000;
/** How long (ms) the suite waits for late or duplicate hang-up requests. */
const SETTLE_MS = 150;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The end/cancel sequences that must each hang up exactly once. */
export const HANG_UP_SEQUENCES: Record<string, () => Frame[]> = {
  'end then cancel': () => [endFrame(), cancelFrame()],
  'cancel then end': () => [cancelFrame(), endFrame()],
  'end twice': () => [endFrame(), endFrame()],
  'cancel alone': () => [cancelFrame()],
};

function hangUpSpec(context: ConformanceContext) {
  const spec = context.harness.hangUpRequest;
  if (!spec) throw new Error('the harness declares hang-up support but has no hangUpRequest');
  return spec;
}

/** `serialize(frame)` that must settle within the hang-up deadline plus slack. */
async function serializeWithinDeadline(context: ConformanceContext, call: ConformanceCall, frame: Frame) {
  const limitMs = context.hangUpTimeoutMs + HANG_UP_SLACK_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limitMs);
  });
  try {
    const result = await Promise.race([call.serialize(frame), timeout]);
    expect(result, `serialize(${frame.type}) did not settle within ${limitMs} ms`).not.toBe('timeout');
    return result;
  } finally {
    clearTimeout(timer);
  }
}

async function waitForRequests(context: ConformanceContext, callId: string, count: number): Promise<void> {
  for (let waitedMs = 0; waitedMs < 2000 && context.hangUpRequests(callId).length < count; waitedMs += 10) {
    await sleep(10);
  }
}

/** `frames` (end/cancel in some order) make exactly one hang-up request, the harness's, accepted by the API. */
export async function checkHangUpOnce(context: ConformanceContext, frames: readonly Frame[]): Promise<void> {
  const spec = hangUpSpec(context);
  const call = await context.openCall({ sampleRate: 16000, autoHangUp: true });
  const callId = call.info.callId;
  if (!callId) throw new Error('harness.call() dropped the call id');
  // Nothing but end/cancel may hang up: play, interrupt, checkpoint and send DTMF and messages first.
  const { supports } = context.harness;
  const others: Frame[] = [
    outputAudioFrame(tone({ frequencyHz: 440, durationMs: 40, sampleRate: 16000 }), 16000),
    interruptionFrame(),
    ...(supports.checkpoint ? [checkpointFrame('before-end')] : []),
    ...(supports.outputDtmf ? [outputDtmfFrame('1')] : []),
    ...(supports.transportMessage ? [transportMessageFrame({ hello: 'world' })] : []),
  ];
  for (const frame of others) await call.serialize(frame);
  await sleep(20);
  expect(context.hangUpRequests(callId), 'a frame other than end/cancel made a hang-up request').toEqual([]);
  for (const frame of frames) await serializeWithinDeadline(context, call, frame);
  await waitForRequests(context, callId, 1);
  await sleep(SETTLE_MS);
  const requests = context.hangUpRequests(callId);
  expect(
    requests.map((request) => `${request.method} ${request.path}`),
    `${frames.map((frame) => frame.type).join(' + ')} must hang up exactly once`,
  ).toEqual([`${spec.method.toUpperCase()} ${spec.path(callId)}`]);
  expect(
    requests[0]?.responseStatus,
    'the fake API refused the hang-up (wrong credentials or body?)',
  ).toBeGreaterThanOrEqual(200);
  expect(requests[0]?.responseStatus).toBeLessThan(300);
  expectNoSecrets(context);
}

/** With auto hang-up off, `end` and `cancel` make no request. */
export async function checkNoHangUpWhenOff(context: ConformanceContext): Promise<void> {
  const call = await context.openCall({ sampleRate: 16000, autoHangUp: false });
  const callId = call.info.callId ?? '';
  await serializeWithinDeadline(context, call, endFrame());
  await serializeWithinDeadline(context, call, cancelFrame());
  await sleep(SETTLE_MS);
  expect(context.hangUpRequests(callId), 'a hang-up request was made with autoHangUp off').toEqual([]);
}

/**
 * One row of the fault matrix against the carrier's `CallControl` (its fake API, a real local HTTP
 * server): it never throws, settles within the deadline, sends the request once unless it retried an
 * idempotent failure, logs a failure exactly once (naming the carrier) and a success not at all, and
 * leaks no credential.
 */
export async function checkHangUpFault(
  harness: CarrierHarness<unknown, unknown>,
  fault: HangUpFault,
): Promise<void> {
  const scenario =
    fault.alreadyEnded && harness.alreadyEndedFault ? { fault: harness.alreadyEndedFault } : fault.scenario;
  const run = await runHangUp(harness, scenario);
  expect(run.settled, `hangUp did not settle within ${FAULT_MATRIX_DEADLINE_MS + DEADLINE_SLACK_MS} ms`).toBe(
    true,
  );
  expect(run.thrown, 'hangUp threw (it must never throw)').toBeUndefined();
  expect(run.result?.outcome, renderDeep(run.result)).toBe(fault.outcome);
  expect(run.elapsedMs, 'settled past its deadline').toBeLessThan(
    FAULT_MATRIX_DEADLINE_MS + DEADLINE_SLACK_MS,
  );
  if (typeof fault.requests === 'number') expect(run.requests, 'hang-up requests').toBe(fault.requests);
  else expect(run.requests, 'hang-up requests').toBeGreaterThanOrEqual(fault.requests === 'retried' ? 2 : 1);
  const failures = failureLines(run);
  expect(failures, 'failure log lines').toHaveLength(fault.failureLines);
  // The one line says it is this carrier's hang-up.
  if (fault.failureLines === 1) expect(failures[0]).toContain(`[${harness.plugin.name}]`);
  expectNoSecretIn(harness, visibleTexts(run), run.authorizationHeaders);
}

/**
 * With auto hang-up on, a call without a call id is refused at `createSerializer` with one
 * `CallwireError('CONFIG')` naming the call id (and holding no secret), not later in the call.
 */
export async function checkMissingCallIdRefused(context: ConformanceContext): Promise<void> {
  const thrown = createWithoutCallId(context.harness, recordingLogger({ sink: context.logs }), {
    apiUrl: context.api.url,
    hangUpTimeoutMs: context.hangUpTimeoutMs,
  });
  if (thrown !== undefined) context.thrownMessages.push(renderDeep(thrown));
  expect(
    thrown,
    'auto hang-up without a call id must be refused when the serializer is created',
  ).toBeInstanceOf(CallwireError);
  expect((thrown as CallwireError).code).toBe('CONFIG');
  expect((thrown as CallwireError).message, 'the error must name the missing call id').toMatch(
    /call[ _-]?id/i,
  );
  expectNoSecrets(context);
}

import { randomUUID } from 'node:crypto';
import {
  createCallwireContainer,
  type HangUpResult,
  registerCarrier,
  resolveCallControl,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import type { CarrierHarness } from '../conformance/harness.js';
import type { FakeFault } from '../fake-api/types.js';
import {
  type CapturedLine,
  captureConsole,
  captureLogger,
  findLeaks,
  renderDeep,
  secretForms,
} from './capture.js';
import { startEchoServer } from './echo-server.js';
import { startSlowBodyServer } from './slow-body-server.js';

/** The hang-up deadline (ms) the matrix registers the carrier with. */
export const FAULT_MATRIX_DEADLINE_MS = 2000;
/** How far past its deadline (ms) a hang-up may settle: timers and a loaded machine, not a retry. */
export const DEADLINE_SLACK_MS = 1500;

/** One hang-up made against a misbehaving API, and everything it left behind. */
export interface HangUpRun {
  readonly callId: string;
  /** The result, or `undefined` when `hangUp` threw (a contract breach). */
  readonly result: HangUpResult | undefined;
  readonly thrown: unknown;
  readonly elapsedMs: number;
  /** Hang-up requests the server received for this call. */
  readonly requests: number;
  /** Authorization headers the server received (to look for in logs). */
  readonly authorizationHeaders: string[];
  readonly lines: CapturedLine[];
  /** What was written to the console meanwhile. */
  readonly consoleOutput: string[];
}

/** How the API misbehaves in one run: a fake-API fault, a slow body, an echo of the credential, or a call id to refuse. */
export type HangUpScenario =
  | { readonly fault?: FakeFault; readonly callId?: string }
  | { readonly slowBody: { readonly status: number } }
  | { readonly echoAuthorization: { readonly padding: number } };

/** Hangs up one call of `harness`'s carrier against its fake API (or a slow-body server) set up for `scenario`. */
export async function runHangUp(
  harness: CarrierHarness,
  scenario: HangUpScenario,
  deadlineMs = FAULT_MATRIX_DEADLINE_MS,
): Promise<HangUpRun> {
  const slow =
    'slowBody' in scenario
      ? await startSlowBodyServer({ status: scenario.slowBody.status })
      : 'echoAuthorization' in scenario
        ? await startEchoServer({ padding: scenario.echoAuthorization.padding })
        : undefined;
  const api = slow ? undefined : await harness.startApi!();
  try {
    const logger = captureLogger();
    const container = createCallwireContainer({ logger });
    registerCarrier(
      container,
      harness.plugin,
      harness.options({ apiUrl: (slow?.url ?? api?.url)!, hangUpTimeoutMs: deadlineMs }),
    );
    const info = harness.call({
      callId: randomUUID(),
      streamId: randomUUID(),
      sampleRate: 16000,
      autoHangUp: true,
    });
    const callId = 'callId' in scenario && scenario.callId !== undefined ? scenario.callId : info.callId!;
    if (api && 'fault' in scenario && scenario.fault) api.setFault(scenario.fault);
    const control = resolveCallControl(container, harness.plugin.name);
    const startedAt = performance.now();
    let result: HangUpResult | undefined;
    let thrown: unknown;
    const { output } = await captureConsole(async () => {
      try {
        result = await control.hangUp(callId);
      } catch (error) {
        thrown = error;
      }
    });
    const elapsedMs = performance.now() - startedAt;
    // Late duplicates would show up here.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const path = harness.hangUpRequest?.path(callId);
    const received = slow
      ? slow.requests.map((request) => ({ path: request.path, authorization: request.authorization }))
      : api!.requests.map((request) => ({
          path: request.path,
          authorization: request.headers.authorization,
        }));
    return {
      callId,
      result,
      thrown,
      elapsedMs,
      requests: received.filter((request) => slow || path === undefined || request.path === path).length,
      authorizationHeaders: received
        .map((request) => request.authorization)
        .filter((value): value is string => typeof value === 'string'),
      lines: logger.lines,
      consoleOutput: output,
    };
  } finally {
    await api?.close();
    await slow?.close();
  }
}

/** Error and warning lines of a run (debug and info lines do not count as "logged"). */
export function failureLines(run: HangUpRun): string[] {
  return run.lines.filter((line) => line.level === 'error' || line.level === 'warn').map((line) => line.text);
}

/** Every text of a run a user could see: log lines, console output, the rendered result and thrown error. */
export function visibleTexts(run: HangUpRun): string[] {
  return [
    ...run.lines.map((line) => line.text),
    ...run.consoleOutput,
    renderDeep(run.result),
    ...(run.thrown === undefined ? [] : [renderDeep(run.thrown), String(run.thrown)]),
  ];
}

/** Asserts that no secret of the harness (nor a credential the server received) is in `texts`. */
export function expectNoSecretIn(
  harness: CarrierHarness,
  texts: readonly string[],
  authorizationHeaders: string[] = [],
) {
  const leaks = findLeaks(texts, secretForms(harness.secrets, authorizationHeaders));
  expect(leaks, `a credential reached a log line, console output, result or error: ${leaks[0]}`).toEqual([]);
}

interface FaultCase {
  readonly name: string;
  readonly scenario: HangUpScenario;
  readonly outcome: HangUpResult['outcome'];
  /** Exact number of requests, or `'retried'` (at least two) or `'some'` (at least one). */
  readonly requests: number | 'retried' | 'some';
  /** Error/warning lines expected: 0 on success, exactly 1 on failure. */
  readonly failureLines: 0 | 1;
  /** The scenario is the carrier's "already ended" answer: `harness.alreadyEndedFault` replaces it when set. */
  readonly alreadyEnded?: true;
}

/** The REST faults every carrier's hang-up must survive. */
export const HANG_UP_FAULT_CASES: readonly FaultCase[] = [
  {
    name: 'a normal answer: ended, one request, nothing logged',
    scenario: {},
    outcome: 'ended',
    requests: 1,
    failureLines: 0,
  },
  {
    name: 'already ended (404 unless the harness says otherwise): already-ended, not retried, not logged as a failure',
    scenario: { fault: { status: 404 } },
    outcome: 'already-ended',
    requests: 1,
    failureLines: 0,
    alreadyEnded: true,
  },
  {
    name: 'a timeout (the API never answers): failed within the deadline, logged once',
    scenario: { fault: { hang: true } },
    outcome: 'failed',
    requests: 'some',
    failureLines: 1,
  },
  {
    name: '429 with Retry-After 1 s, then success: retried after the wait, ended, nothing logged',
    scenario: { fault: { status: 429, headers: { 'Retry-After': '1' }, times: 1 } },
    outcome: 'ended',
    requests: 2,
    failureLines: 0,
  },
  {
    name: '429 with Retry-After past the deadline: given up without waiting, logged once',
    scenario: { fault: { status: 429, headers: { 'Retry-After': '3600' } } },
    outcome: 'failed',
    requests: 1,
    failureLines: 1,
  },
  {
    name: '503 twice, then success: retried (DELETE is idempotent), ended, nothing logged',
    scenario: { fault: { status: 503, times: 2 } },
    outcome: 'ended',
    requests: 3,
    failureLines: 0,
  },
  {
    name: '500 on every attempt: retried until the deadline, failed, logged once',
    scenario: { fault: { status: 500 } },
    outcome: 'failed',
    requests: 'retried',
    failureLines: 1,
  },
  {
    name: '401: failed at once, not retried, logged once',
    scenario: { fault: { status: 401 } },
    outcome: 'failed',
    requests: 1,
    failureLines: 1,
  },
  {
    name: '400: failed at once, not retried, logged once',
    scenario: { fault: { status: 400 } },
    outcome: 'failed',
    requests: 1,
    failureLines: 1,
  },
  {
    name: 'a connection reset, then success: retried, ended, nothing logged',
    scenario: { fault: { reset: true, times: 1 } },
    outcome: 'ended',
    requests: 2,
    failureLines: 0,
  },
  {
    name: 'a connection reset on every attempt: failed within the deadline, logged once',
    scenario: { fault: { reset: true } },
    outcome: 'failed',
    requests: 'some',
    failureLines: 1,
  },
  {
    name: 'a 500 whose body trickles past the deadline: failed within the deadline, logged once',
    scenario: { slowBody: { status: 500 } },
    outcome: 'failed',
    requests: 'some',
    failureLines: 1,
  },
];

/**
 * The REST fault matrix for a carrier's hang-up (`CallControl.hangUp`, against its fake API, a real
 * local HTTP server): each case never throws, settles within the deadline, sends the request once
 * unless it retried an idempotent failure, logs a failure exactly once and a success not at all,
 * and leaks no credential. Skipped, with the reason, for a carrier without hang-up.
 */
export function describeHangUpFaultMatrix(harness: CarrierHarness): void {
  const name = harness.plugin.name;
  const skip = !harness.supports.hangUp || !harness.startApi;
  describe.skipIf(skip)(
    `${name}: hang-up under REST faults${skip ? ' (skipped: no REST hang-up)' : ''}`,
    () => {
      for (const faultCase of HANG_UP_FAULT_CASES) {
        it(
          faultCase.name,
          async () => {
            const scenario =
              faultCase.alreadyEnded && harness.alreadyEndedFault
                ? { fault: harness.alreadyEndedFault }
                : faultCase.scenario;
            const run = await runHangUp(harness, scenario);
            expect(run.thrown, 'hangUp threw').toBeUndefined();
            expect(run.result?.outcome, renderDeep(run.result)).toBe(faultCase.outcome);
            expect(run.elapsedMs, 'settled past its deadline').toBeLessThan(
              FAULT_MATRIX_DEADLINE_MS + DEADLINE_SLACK_MS,
            );
            if (typeof faultCase.requests === 'number') expect(run.requests).toBe(faultCase.requests);
            else expect(run.requests).toBeGreaterThanOrEqual(faultCase.requests === 'retried' ? 2 : 1);
            expect(failureLines(run), 'failure log lines').toHaveLength(faultCase.failureLines);
            if (run.result?.outcome === 'failed' && faultCase.failureLines === 1) {
              // The one line says it is this carrier's hang-up.
              expect(failureLines(run)[0]).toContain(`[${name}]`);
            }
            expectNoSecretIn(harness, visibleTexts(run), run.authorizationHeaders);
          },
          FAULT_MATRIX_DEADLINE_MS + DEADLINE_SLACK_MS + 5000,
        );
      }
    },
  );
}

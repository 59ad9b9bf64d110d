import { randomUUID } from 'node:crypto';
import {
  type CallControl,
  createCallwireContainer,
  type HangUpResult,
  registerCarrier,
  resolveCallControl,
  type SendDtmfResult,
  type TransferResult,
} from '@callwire/core';
import type { FakeFault } from '../fake-api/types.js';
import type { CarrierHarness } from '../harness.js';
import { type LogRecord, recordingLogger, renderDeep, visibleText } from '../logger.js';
import { type Misbehaviour, startMisbehavingServer } from './servers.js';

/** The hang-up deadline (ms) the fault matrix registers the carrier with. */
export const FAULT_MATRIX_DEADLINE_MS = 2000;
/** How far past its deadline (ms) a hang-up may settle: timers and a loaded machine, not a retry. */
export const DEADLINE_SLACK_MS = 1500;
/** Deadline (ms) of the secrets probes: short, as only what they leave behind matters. */
export const SECRET_PROBE_DEADLINE_MS = 600;

/** How the API misbehaves in one run: a fake-API fault (and a call id to use), or a misbehaving server. */
export type HangUpScenario = { readonly fault?: FakeFault; readonly callId?: string } | Misbehaviour;

/** One hang-up made against a misbehaving API, and everything it left behind. */
export interface HangUpRun {
  readonly callId: string;
  /** The result, or `undefined` when the action threw or did not settle (contract breaches). */
  readonly result: HangUpResult | TransferResult | SendDtmfResult | undefined;
  /** False when `hangUp` had not settled by its deadline plus `DEADLINE_SLACK_MS` (a contract breach). */
  readonly settled: boolean;
  readonly thrown: unknown;
  readonly elapsedMs: number;
  /** Hang-up requests the server received for this call. */
  readonly requests: number;
  /** Authorization headers the server received (to look for in logs). */
  readonly authorizationHeaders: string[];
  readonly lines: LogRecord[];
  /** What was written to the console meanwhile. */
  readonly consoleOutput: string[];
}

/** One row of the fault matrix: what the API does, and what the carrier's hang-up must make of it. */
export interface HangUpFault {
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

/** The REST faults every carrier's hang-up must survive: the one fault table of the kit. */
export const HANG_UP_FAULTS: readonly HangUpFault[] = [
  {
    name: 'a normal answer: ended, one request, nothing logged',
    scenario: {},
    outcome: 'ended',
    requests: 1,
    failureLines: 0,
  },
  {
    name: 'already ended (404 unless the harness says otherwise): already-ended, not retried, not logged as a failure',
    scenario: { fault: { status: 404, body: '{"error":"not found"}' } },
    outcome: 'already-ended',
    requests: 1,
    failureLines: 0,
    alreadyEnded: true,
  },
  {
    name: 'a stall (the API never answers): failed within the deadline, logged once',
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
    name: '503 with Retry-After past the deadline: given up without waiting, logged once',
    scenario: { fault: { status: 503, headers: { 'Retry-After': '120' } } },
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
    scenario: { fault: { status: 500, body: '{"error":"internal"}' } },
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
 * Runs `action` while recording whatever it writes to `console.*`, `process.stdout` and `process.stderr`
 * (still passed through), and returns its result with that output.
 */
async function captureConsole<T>(action: () => Promise<T>): Promise<{ result: T; output: string[] }> {
  const output: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const savedConsole = methods.map((method) => console[method]);
  const savedStdout = process.stdout.write;
  const savedStderr = process.stderr.write;
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      output.push(args.map((arg) => (typeof arg === 'string' ? arg : renderDeep(arg))).join(' '));
    };
  }
  const tap =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    };
  process.stdout.write = tap(savedStdout) as typeof process.stdout.write;
  process.stderr.write = tap(savedStderr) as typeof process.stderr.write;
  try {
    return { result: await action(), output };
  } finally {
    methods.forEach((method, index) => {
      console[method] = savedConsole[index]!;
    });
    process.stdout.write = savedStdout;
    process.stderr.write = savedStderr;
  }
}

/** A call action the fault matrix can run instead of the hang-up (transfer, REST DTMF). */
export interface CallActionUnderTest {
  run(control: CallControl, callId: string): Promise<HangUpResult | TransferResult | SendDtmfResult>;
  /** The path its requests go to (requests elsewhere are not counted). */
  path?(callId: string): string;
}

/**
 * Hangs up one call of `harness`'s carrier (or runs `action` on it), through the `CallControl` it
 * registers, against its fake API (or a misbehaving server) set up for `scenario`.
 */
export async function runHangUp(
  harness: CarrierHarness,
  scenario: HangUpScenario,
  deadlineMs = FAULT_MATRIX_DEADLINE_MS,
  action?: CallActionUnderTest,
): Promise<HangUpRun> {
  const misbehaving = 'slowBody' in scenario || 'echoAuthorization' in scenario;
  const server = misbehaving ? await startMisbehavingServer(scenario) : undefined;
  if (!server && !harness.startApi) throw new Error(`[${harness.plugin.name}] the harness has no startApi`);
  const api = server ? undefined : await harness.startApi?.();
  try {
    const logger = recordingLogger();
    const container = createCallwireContainer({ logger });
    const apiUrl = server?.url ?? api?.url ?? '';
    registerCarrier(container, harness.plugin, harness.options({ apiUrl, hangUpTimeoutMs: deadlineMs }));
    const info = harness.call({
      callId: randomUUID(),
      streamId: randomUUID(),
      sampleRate: 16000,
      autoHangUp: true,
    });
    const chosen = 'callId' in scenario ? scenario.callId : undefined;
    const callId = chosen ?? info.callId ?? '';
    if (api && 'fault' in scenario && scenario.fault) api.setFault(scenario.fault);
    const control = resolveCallControl(container, harness.plugin.name);
    const startedAt = performance.now();
    let result: HangUpRun['result'];
    let thrown: unknown;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const { output } = await captureConsole(async () => {
      const hangUp = (action ? action.run(control, callId) : control.hangUp(callId)).then(
        (value) => {
          result = value;
        },
        (error: unknown) => {
          thrown = error;
        },
      );
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deadlineMs + DEADLINE_SLACK_MS);
      });
      await Promise.race([hangUp.then(() => (settled = true)), limit]);
      clearTimeout(timer);
    });
    const elapsedMs = performance.now() - startedAt;
    // Late duplicates would show up here.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const path = action ? action.path?.(callId) : harness.hangUpRequest?.path(callId);
    const received = server
      ? server.requests
      : (api?.requests ?? []).map((request) => ({
          path: request.path,
          authorization: request.headers.authorization,
        }));
    return {
      callId,
      result,
      settled,
      thrown,
      elapsedMs,
      requests: received.filter((request) => server || path === undefined || request.path === path).length,
      authorizationHeaders: received
        .map((request) => request.authorization)
        .filter((value): value is string => typeof value === 'string'),
      lines: logger.lines,
      consoleOutput: output,
    };
  } finally {
    await api?.close();
    await server?.close();
  }
}

/** Error and warning lines of a run (debug and info lines do not count as "logged"). */
export function failureLines(run: HangUpRun): string[] {
  return run.lines.filter((line) => line.level === 'error' || line.level === 'warn').map((line) => line.text);
}

/** Every text of a run a user could see: log lines, console output, the rendered result and thrown error. */
export function visibleTexts(run: HangUpRun): string[] {
  return [
    ...run.lines.map(visibleText),
    ...run.consoleOutput,
    renderDeep(run.result),
    ...(run.thrown === undefined ? [] : [renderDeep(run.thrown), String(run.thrown)]),
  ];
}

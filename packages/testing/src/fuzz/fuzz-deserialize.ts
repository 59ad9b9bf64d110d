import { openingMessage, type StartFrame, type WireMessage, type WireSerializer } from '@callwire/core';
import fc from 'fast-check';
import { inboundFrameProblem } from './frame-problem.js';
import { hostileWireMessage } from './hostile-input.js';

/** What went wrong in one fuzz case. */
export type FuzzFindingKind =
  | 'threw'
  | 'rejected'
  | 'invalid-frame'
  | 'unhandled-rejection'
  | 'uncaught-exception'
  | 'hung'
  | 'prototype-polluted'
  | 'amplification'
  | 'detect-failed';

/** One input that broke the serializer's contract, and how. */
export interface FuzzFinding {
  readonly kind: FuzzFindingKind;
  readonly detail: string;
  readonly input: WireMessage;
}

export interface FuzzDeserializeOptions {
  /** Builds a fresh serializer for the carrier under test; called again every `casesPerSerializer` cases. */
  createSerializer: () => WireSerializer | Promise<WireSerializer>;
  /** When given, `setup(start)` is called on each new serializer. */
  start?: StartFrame;
  /** Valid wire messages of the carrier (start, media, DTMF, ...); the fuzzer mutates them. */
  seeds: readonly WireMessage[];
  /** Number of cases (inputs). @default 2000 */
  runs?: number;
  /** fast-check seed, for a reproducible run. @default random */
  seed?: number;
  /** Cases sent to one serializer before a fresh one is made, so state builds up as on a real socket. @default 200 */
  casesPerSerializer?: number;
  /** A case whose `deserialize` has not settled after this many ms is a `hung` finding. @default 2000 */
  caseTimeoutMs?: number;
  /** An audio frame with more samples than this many per input byte is an `amplification` finding. @default 16 */
  maxSamplesPerInputByte?: number;
  /** Findings kept in the report (all are counted). @default 25 */
  maxFindings?: number;
  /**
   * The carrier's `detect` hook, also fed every input (JSON-parsed when it parses, as the server does):
   * it must not throw and must return `undefined`, `'need-more'` or ids with a non-empty `streamId`.
   */
  detect?: (message: unknown) => unknown;
}

export interface FuzzReport {
  readonly cases: number;
  readonly seed: number;
  readonly durationMs: number;
  readonly casesPerSecond: number;
  /** Every finding up to `maxFindings`. */
  readonly findings: readonly FuzzFinding[];
  readonly findingCount: number;
  /** How many cases returned each frame type, or `undefined`: shows which paths the fuzzer reached. */
  readonly outcomes: Readonly<Record<string, number>>;
}

/** A short printable form of a fuzz input (JSON-quoted text or hex bytes), at most `maxLength` characters. */
export function formatFuzzInput(input: WireMessage, maxLength = 240): string {
  if (typeof input === 'string') {
    const quoted = JSON.stringify(input);
    return quoted.length > maxLength ? `${quoted.slice(0, maxLength)}… (${input.length} chars)` : quoted;
  }
  const hex = Buffer.from(input.buffer, input.byteOffset, Math.min(input.byteLength, maxLength / 2)).toString(
    'hex',
  );
  return `bytes[${input.byteLength}] ${hex}${input.byteLength * 2 > maxLength ? '…' : ''}`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}

function byteLength(input: WireMessage): number {
  return typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
}

const TIMED_OUT = Symbol('timed-out');

/** Why a `detect` result breaks its contract, or `undefined`. */
function detectionProblem(result: unknown): string | undefined {
  if (result === undefined || result === 'need-more') return undefined;
  if (typeof result !== 'object' || result === null) return `detect returned ${typeof result}`;
  const { streamId, callId } = result as { streamId?: unknown; callId?: unknown };
  if (typeof streamId !== 'string' || streamId.length === 0) return 'detect returned ids without a streamId';
  if (callId !== undefined && typeof callId !== 'string') return 'detect returned a non-string callId';
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function prototypeKeys(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype].flatMap((proto) =>
    Object.getOwnPropertyNames(proto),
  );
}

/** Removes anything a case added to the built-in prototypes, returning the names it added. */
function restorePrototypes(baseline: ReadonlySet<string>): string[] {
  const added: string[] = [];
  for (const proto of [Object.prototype, Array.prototype, Function.prototype]) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (!baseline.has(name)) {
        added.push(name);
        delete (proto as Record<string, unknown>)[name];
      }
    }
  }
  return added;
}

/**
 * Throws `runs` hostile inputs (random JSON, mutated seeds, truncated and binary input) at a carrier's
 * `deserialize` and reports every contract breach: a throw or rejection, a result that is neither
 * `undefined` nor a valid frame, an unhandled rejection or uncaught exception during the run, a case
 * that never settles, prototype pollution, or audio out of proportion to the input.
 * While it runs it is the only `unhandledRejection`/`uncaughtException` listener (others are restored after).
 */
export async function fuzzDeserialize(options: FuzzDeserializeOptions): Promise<FuzzReport> {
  const runs = options.runs ?? 2000;
  const seed = options.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0;
  const casesPerSerializer = options.casesPerSerializer ?? 200;
  const caseTimeoutMs = options.caseTimeoutMs ?? 2000;
  const maxSamplesPerInputByte = options.maxSamplesPerInputByte ?? 16;
  const maxFindings = options.maxFindings ?? 25;

  const findings: FuzzFinding[] = [];
  let findingCount = 0;
  const outcomes: Record<string, number> = {};
  const recent: WireMessage[] = [];
  const record = (kind: FuzzFindingKind, detail: string, input: WireMessage | undefined): void => {
    findingCount += 1;
    if (findings.length < maxFindings) findings.push({ kind, detail, input: input ?? '' });
  };

  const onRejection = (reason: unknown): void =>
    record('unhandled-rejection', describeError(reason), recent.at(-1));
  const onException = (error: unknown): void =>
    record('uncaught-exception', describeError(error), recent.at(-1));
  const savedRejection = process.listeners('unhandledRejection');
  const savedException = process.listeners('uncaughtException');
  process.removeAllListeners('unhandledRejection');
  process.removeAllListeners('uncaughtException');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);

  const baseline = new Set(prototypeKeys());
  const baselineCount = prototypeKeys().length;
  let serializer: WireSerializer | undefined;
  let served = 0;
  let cases = 0;
  const startedAt = performance.now();

  const runCase = async (input: WireMessage): Promise<boolean> => {
    cases += 1;
    if (serializer === undefined || served >= casesPerSerializer) {
      serializer = await options.createSerializer();
      if (options.start) serializer.setup(options.start);
      served = 0;
    }
    served += 1;
    recent.push(input);
    if (recent.length > 2) recent.shift();
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(serializer.deserialize(input));
    } catch (error) {
      record('threw', describeError(error), input);
      return true;
    }
    let result: unknown;
    try {
      result = await withTimeout(pending, caseTimeoutMs);
    } catch (error) {
      record('rejected', describeError(error), input);
      return true;
    }
    if (result === TIMED_OUT) {
      record('hung', `deserialize did not settle within ${caseTimeoutMs} ms`, input);
    } else if (!Array.isArray(result)) {
      record('invalid-frame', 'deserialize must return an array of frames', input);
    } else if (result.length === 0) {
      outcomes.undefined = (outcomes.undefined ?? 0) + 1;
    } else {
      let samples = 0;
      for (const item of result) {
        const problem = inboundFrameProblem(item);
        if (problem !== undefined) {
          record('invalid-frame', problem, input);
          continue;
        }
        const frame = item as { type: string; audio?: Int16Array };
        outcomes[frame.type] = (outcomes[frame.type] ?? 0) + 1;
        samples += frame.audio?.length ?? 0;
      }
      if (samples > maxSamplesPerInputByte * byteLength(input)) {
        record('amplification', `${samples} samples from ${byteLength(input)} input bytes`, input);
      }
    }
    if (options.detect) {
      try {
        const problem = detectionProblem(options.detect(openingMessage(input)));
        if (problem !== undefined) record('detect-failed', problem, input);
      } catch (error) {
        record('detect-failed', `detect threw ${describeError(error)}`, input);
      }
    }
    if (prototypeKeys().length !== baselineCount) {
      record('prototype-polluted', `added ${restorePrototypes(baseline).join(', ')}`, input);
    }
    return true;
  };

  try {
    await fc.check(
      fc.asyncProperty(hostileWireMessage(options.seeds), async (input) => {
        try {
          return await runCase(input);
        } catch (error) {
          // Only createSerializer or setup can throw here.
          record('threw', `creating or setting up the serializer: ${describeError(error)}`, input);
          return true;
        }
      }),
      { numRuns: runs, seed },
    );
    // Let rejections left behind by the last cases surface while our listener is installed.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    for (const listener of savedRejection) process.on('unhandledRejection', listener);
    for (const listener of savedException) process.on('uncaughtException', listener);
  }
  const durationMs = performance.now() - startedAt;
  return {
    cases,
    seed,
    durationMs,
    casesPerSecond: durationMs > 0 ? (cases * 1000) / durationMs : cases,
    findings,
    findingCount,
    outcomes,
  };
}

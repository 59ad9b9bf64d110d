import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkChunkInvariance,
  checkEmptyAudio,
  checkInboundAudio,
  checkInboundChunkInvariance,
  checkOutboundAudio,
  PIPELINE_RATES,
  snrBarDb,
} from './checks-audio.js';
import {
  checkCheckpoint,
  checkDtmfDigits,
  checkInterruption,
  checkInvalidDtmf,
  checkOutputDtmf,
  checkTransportMessages,
  checkUnsentFrames,
} from './checks-control.js';
import {
  checkHangUpFault,
  checkHangUpOnce,
  checkMissingCallIdRefused,
  checkNoHangUpWhenOff,
  HANG_UP_FAULTS,
  HANG_UP_SEQUENCES,
} from './checks-hang-up.js';
import { checkGeneratedMessages, checkHostileCorpus, checkMutatedMessages } from './checks-hostile.js';
import { checkNoSecretsLogged } from './checks-secrets.js';
import { type ConformanceContext, createConformanceContext } from './context.js';
import type { CarrierCapabilities, CarrierHarness } from './harness.js';

/** Options of `describeCarrierConformance`. */
export interface ConformanceOptions {
  /** Hang-up deadline (ms) given to the carrier; stalls must end within it plus slack. Default 300. */
  readonly hangUpTimeoutMs?: number;
  /** fast-check runs of generated hostile messages. Default 300. */
  readonly fuzzRuns?: number;
}

const SLOW_TEST_MS = 30_000;

/** Problems with a harness's declarations: a declared capability without the functions it needs. */
export function harnessProblems(harness: CarrierHarness<unknown, unknown>): string[] {
  const problems: string[] = [];
  const { supports, wire, read } = harness;
  if (supports.dtmf && !wire.dtmf) problems.push('supports.dtmf without wire.dtmf');
  if (supports.checkpoint && !wire.checkpointReached)
    problems.push('supports.checkpoint without wire.checkpointReached');
  if (supports.checkpoint && !read.checkpointName)
    problems.push('supports.checkpoint without read.checkpointName');
  if (supports.outputDtmf && !read.outputDtmf) problems.push('supports.outputDtmf without read.outputDtmf');
  if (supports.hangUp && !harness.startApi) problems.push('supports.hangUp without startApi');
  if (supports.hangUp && !harness.hangUpRequest) problems.push('supports.hangUp without hangUpRequest');
  if (!Number.isInteger(harness.wireSampleRate) || harness.wireSampleRate <= 0)
    problems.push('bad wireSampleRate');
  if (harness.secrets.length === 0 && supports.hangUp) problems.push('supports.hangUp but no secrets listed');
  return problems;
}

/**
 * `it` when the carrier declares `capability`, else an `it.skip` whose title says why — never a
 * silent pass.
 */
function itIf(supports: CarrierCapabilities, capability: keyof CarrierCapabilities, what: string) {
  return (title: string, fn: () => Promise<void>, timeoutMs?: number): void => {
    if (supports[capability]) it(title, fn, timeoutMs);
    else it.skip(`${title} — skipped: carrier declares no ${what} support`, fn);
  };
}

/**
 * Declares the shared carrier conformance suite (vitest) for `harness`. Call it at the top level of
 * a carrier's test file; the suite starts and closes the fake API, opens a fresh container with a
 * recording logger per call, and skips, with the reason in the title, what the carrier does not support.
 */
export function describeCarrierConformance<Options, Resolved>(
  harness: CarrierHarness<Options, Resolved>,
  options: ConformanceOptions = {},
): void {
  const { supports } = harness;
  const name = harness.plugin.name;
  describe(`${name} carrier conformance`, () => {
    let started: ConformanceContext | undefined;
    const context = (): ConformanceContext => {
      if (!started) throw new Error('conformance context not started (beforeAll failed?)');
      return started;
    };
    beforeAll(async () => {
      started = await createConformanceContext(harness as CarrierHarness<unknown, unknown>, options);
    });
    afterAll(async () => {
      await started?.close();
    });

    it('has a harness whose capabilities match its functions', () => {
      expect(harnessProblems(harness)).toEqual([]);
    });

    describe('inbound audio', () => {
      for (const rate of PIPELINE_RATES) {
        it(`arrives at ${rate} Hz with the right length and a 1 kHz tone at ≥ ${snrBarDb(harness.wireCodec)} dB SNR`, () =>
          checkInboundAudio(context(), rate));
      }
    });

    describe('inbound audio chunking', () => {
      for (const rate of [16000, 48000]) {
        it(`at ${rate} Hz does not depend on how the carrier splits its media messages`, () =>
          checkInboundChunkInvariance(context(), rate));
      }
    });

    describe('outbound audio', () => {
      for (const rate of PIPELINE_RATES) {
        it(`from ${rate} Hz reaches the wire at ${harness.wireSampleRate} Hz with the right length and the tone intact`, () =>
          checkOutboundAudio(context(), rate));
      }
      for (const rate of PIPELINE_RATES) {
        it(
          `from ${rate} Hz gives the same wire audio however it is split into frames`,
          () => checkChunkInvariance(context(), rate),
          SLOW_TEST_MS,
        );
      }
      it('gives nothing for empty audio', () => checkEmptyAudio(context(), 16000));
      it('gives nothing for frames a carrier never sends', () => checkUnsentFrames(context()));
    });

    describe('DTMF', () => {
      const dtmfIt = itIf(supports, 'dtmf', 'DTMF');
      dtmfIt(
        `delivers every supported key (${(supports.dtmfDigits ?? ['0-9', '*', '#', 'A-D']).join(' ')})`,
        () => checkDtmfDigits(context()),
      );
      dtmfIt("ignores invalid keys ('X', '', '10', ...) with a warning", () => checkInvalidDtmf(context()));
      itIf(
        supports,
        'outputDtmf',
        'output DTMF',
      )('sends output-dtmf digits', () => checkOutputDtmf(context()));
    });

    describe('interruption and checkpoints', () => {
      itIf(
        supports,
        'clear',
        'clear/interruption',
      )("sends the carrier's clear message on interruption", () => checkInterruption(context()));
      itIf(
        supports,
        'checkpoint',
        'checkpoint',
      )('sends checkpoints and turns their acknowledgement into checkpoint-reached', () =>
        checkCheckpoint(context()),
      );
    });

    itIf(
      supports,
      'transportMessage',
      'transport message',
    )('passes transport messages through as JSON', () => checkTransportMessages(context()));

    const hangUpIt = itIf(supports, 'hangUp', 'REST hang-up');
    describe('hang-up', () => {
      for (const [sequence, frames] of Object.entries(HANG_UP_SEQUENCES)) {
        hangUpIt(
          `hangs up exactly once, with the right request, on ${sequence}`,
          () => checkHangUpOnce(context(), frames()),
          SLOW_TEST_MS,
        );
      }
      hangUpIt('makes no request with auto hang-up off', () => checkNoHangUpWhenOff(context()), SLOW_TEST_MS);
      hangUpIt('refuses auto hang-up without a call id at createSerializer', () =>
        checkMissingCallIdRefused(context()),
      );
      for (const [fault, { fault: spec, logsFailure, alreadyEnded }] of Object.entries(HANG_UP_FAULTS)) {
        const answer = alreadyEnded ? (harness.alreadyEndedFault ?? spec) : spec;
        hangUpIt(
          `never throws nor hangs when the API answers with ${fault}`,
          () => checkHangUpFault(context(), answer, { logsFailure, alreadyEnded: alreadyEnded ?? false }),
          SLOW_TEST_MS,
        );
      }
    });

    describe('hostile input', () => {
      it(
        'ignores a corpus of malformed and hostile messages',
        () => checkHostileCorpus(context()),
        SLOW_TEST_MS,
      );
      it(
        'ignores every field of valid messages deleted or of the wrong type',
        () => checkMutatedMessages(context()),
        SLOW_TEST_MS,
      );
      it(
        'ignores fast-check generated messages',
        () => checkGeneratedMessages(context(), options.fuzzRuns),
        SLOW_TEST_MS,
      );
    });

    // Last, so that it sees the log lines of every test above.
    it('never put a credential in a log line or an error message during the suite', () => {
      checkNoSecretsLogged(context());
    });
  });
}

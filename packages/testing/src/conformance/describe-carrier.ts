import type { WireMessage } from '@callwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRunsFromEnv } from '../fuzz/fuzz-carrier.js';
import type { CallMetadataField, CarrierCapabilities, CarrierHarness } from '../harness.js';
import { HANG_UP_FAULTS } from '../reliability/hang-up-run.js';
import { SECRET_PROBES } from '../reliability/secrets.js';
import {
  checkChunkInvariance,
  checkEmptyAudio,
  checkInboundAudio,
  checkInboundChunkInvariance,
  checkOutboundAudio,
  PIPELINE_RATES,
  snrBarDb,
} from './checks-audio.js';
import { checkCallActionFault, checkInBandDtmf } from './checks-call-actions.js';
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
  HANG_UP_SEQUENCES,
} from './checks-hang-up.js';
import {
  checkFuzzedDeserialize,
  checkGeneratedMessages,
  checkHostileCorpus,
  checkMutatedMessages,
} from './checks-hostile.js';
import { checkMetadataField, checkOpeningMetadata } from './checks-metadata.js';
import {
  checkCheckpointAfterInterruption,
  checkCheckpointAfterItsAudio,
  checkPlaybackMarkNames,
} from './checks-playback.js';
import {
  checkBadOptionsHoldNoSecret,
  checkMissingCallIdHoldsNoSecret,
  checkNoSecretsLogged,
  checkSecretProbe,
} from './checks-secrets.js';
import {
  answerFlowProblem,
  checkAnsweredStreamRuns,
  checkDeclaredStreamAuth,
  checkStreamTokenRefusals,
} from './checks-stream-auth.js';
import { type ConformanceContext, createConformanceContext } from './context.js';

/** The parts of `describeCarrier`, each of which can be skipped with a reason. */
export type CarrierSuitePart = 'conformance' | 'hostile' | 'fuzz' | 'hangUpFaults' | 'secrets' | 'streamAuth';

/** Options of `describeCarrier`. */
export interface DescribeCarrierOptions {
  /** Hang-up deadline (ms) of the conformance calls; stalls must end within it plus slack. Default 300. */
  readonly hangUpTimeoutMs?: number;
  /** fast-check runs of generated hostile messages in the conformance calls. Default 300. */
  readonly hostileRuns?: number;
  /** Cases of the deserialize fuzzer. Default `CALLWIRE_FUZZ_RUNS`, else 2,000. */
  readonly fuzzRuns?: number;
  /** Seed of the deserialize fuzzer, for a reproducible run. Default: random (printed on failure). */
  readonly fuzzSeed?: number;
  /** Valid messages of the carrier the fuzzer mutates, besides those the harness builds. */
  readonly fuzzSeeds?: readonly WireMessage[];
  /** Parts to skip, each with the reason (shown in the skipped test's title). */
  readonly skip?: Readonly<Partial<Record<CarrierSuitePart, string>>>;
  /** Secrets probes (names of the kit's probes) known to leak today, each with the reason and fix: skipped, titled with both. */
  readonly knownLeaks?: Readonly<Record<string, string>>;
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
  if (supports.playback && !(wire.checkpointReached && read.checkpointName))
    problems.push('supports.playback without wire.checkpointReached and read.checkpointName');
  if (supports.outputDtmf && !read.outputDtmf) problems.push('supports.outputDtmf without read.outputDtmf');
  if (supports.hangUp && !harness.startApi) problems.push('supports.hangUp without startApi');
  if (supports.transfer && !harness.transferRequest)
    problems.push('supports.transfer without transferRequest');
  if (supports.outputDtmfRest && !harness.dtmfRequest)
    problems.push('supports.outputDtmfRest without dtmfRequest');
  if ((supports.transfer || supports.outputDtmfRest) && !harness.startApi)
    problems.push('a REST call action without startApi');
  if (supports.hangUp && !harness.hangUpRequest) problems.push('supports.hangUp without hangUpRequest');
  if (!Number.isInteger(harness.wireSampleRate) || harness.wireSampleRate <= 0)
    problems.push('bad wireSampleRate');
  if (harness.secrets.length === 0 && supports.hangUp) problems.push('supports.hangUp but no secrets listed');
  return problems;
}

type Test = (title: string, fn: () => Promise<void> | void, timeoutMs?: number) => void;

/** `it`, or an `it.skip` whose title says why when `reason` is set — never a silent pass. */
function itUnless(reason: string | undefined): Test {
  return (title, fn, timeoutMs) => {
    if (reason === undefined) it(title, fn, timeoutMs);
    else it.skip(`${title} — skipped: ${reason}`, fn);
  };
}

function lacking(supports: CarrierCapabilities, capability: keyof CarrierCapabilities, what: string) {
  return supports[capability] ? undefined : `carrier declares no ${what} support`;
}

/**
 * The carrier test kit: declares (vitest) every shared check for `harness` in one call at the top level
 * of a carrier's test file: conformance (audio in and out, DTMF, interruption, checkpoints, transport
 * messages, hang-up once through the runtime's path), hostile input (a corpus, mutations of the
 * carrier's own messages, fast-check messages, and the deserialize fuzzer), the hang-up REST fault
 * matrix, and the secrets check. It starts and closes the fake API and opens a fresh container with a
 * recording logger per call. What the carrier declares it cannot do, and each part in `options.skip`,
 * is a skipped test whose title says why.
 */
export function describeCarrier<Options, Resolved>(
  harness: CarrierHarness<Options, Resolved>,
  options: DescribeCarrierOptions = {},
): void {
  const generic = harness as CarrierHarness<unknown, unknown>;
  const { supports } = harness;
  const skip = options.skip ?? {};
  const name = harness.plugin.name;
  describe(`${name} carrier (${harness.wireCodec}, ${harness.wireSampleRate} Hz)`, () => {
    let started: ConformanceContext | undefined;
    const context = (): ConformanceContext => {
      if (!started) throw new Error('carrier suite context not started (beforeAll failed?)');
      return started;
    };
    beforeAll(async () => {
      started = await createConformanceContext(generic, {
        ...(options.hangUpTimeoutMs !== undefined ? { hangUpTimeoutMs: options.hangUpTimeoutMs } : {}),
      });
    });
    afterAll(async () => {
      await started?.close();
    });

    it('has a harness whose capabilities match its functions', () => {
      expect(harnessProblems(generic)).toEqual([]);
    });

    describe('conformance', () => {
      const test = (reason?: string) => itUnless(skip.conformance ?? reason);
      describe('inbound audio', () => {
        for (const rate of PIPELINE_RATES) {
          test()(
            `arrives at ${rate} Hz with the right length and a 1 kHz tone at ≥ ${snrBarDb(harness.wireCodec)} dB SNR`,
            () => checkInboundAudio(context(), rate),
          );
        }
        for (const rate of [16000, 48000]) {
          test()(`at ${rate} Hz does not depend on how the carrier splits its media messages`, () =>
            checkInboundChunkInvariance(context(), rate),
          );
        }
      });

      describe('outbound audio', () => {
        for (const rate of PIPELINE_RATES) {
          test()(
            `from ${rate} Hz reaches the wire at ${harness.wireSampleRate} Hz with the right length and the tone intact`,
            () => checkOutboundAudio(context(), rate),
          );
        }
        for (const rate of PIPELINE_RATES) {
          test()(
            `from ${rate} Hz gives the same wire audio however it is split into frames`,
            () => checkChunkInvariance(context(), rate),
            SLOW_TEST_MS,
          );
        }
        test()('gives nothing for empty audio', () => checkEmptyAudio(context(), 16000));
        test()('gives nothing for frames a carrier never sends', () => checkUnsentFrames(context()));
      });

      describe('DTMF', () => {
        const dtmf = test(lacking(supports, 'dtmf', 'DTMF'));
        dtmf(
          `delivers every supported key (${(supports.dtmfDigits ?? ['0-9', '*', '#', 'A-D']).join(' ')})`,
          () => checkDtmfDigits(context()),
        );
        dtmf("ignores invalid keys ('X', '', '10', ...) with a warning", () => checkInvalidDtmf(context()));
        test(lacking(supports, 'outputDtmf', 'output DTMF stream message'))('sends output-dtmf digits', () =>
          checkOutputDtmf(context()),
        );
        test(lacking(supports, 'outputDtmfInBand', 'in-band output DTMF'))(
          'sends output-dtmf as in-band tones that a Goertzel detector hears back, key for key',
          () => checkInBandDtmf(context()),
        );
      });

      describe('interruption and checkpoints', () => {
        test(lacking(supports, 'clear', 'clear/interruption'))(
          "sends the carrier's clear message on interruption",
          () => checkInterruption(context()),
        );
        test(lacking(supports, 'checkpoint', 'checkpoint'))(
          'sends checkpoints and turns their acknowledgement into checkpoint-reached',
          () => checkCheckpoint(context()),
        );
      });

      describe('playback acknowledgements (call.play)', () => {
        const playback = test(
          (supports.playback ?? supports.checkpoint)
            ? undefined
            : 'carrier declares no playback acknowledgements',
        );
        playback('sends a checkpoint after every sample of the audio sent before it', () =>
          checkCheckpointAfterItsAudio(context()),
        );
        playback('brings no audio from before an interruption with the next checkpoint', () =>
          checkCheckpointAfterInterruption(context()),
        );
        playback("round-trips the playback layer's mark names", () => checkPlaybackMarkNames(context()));
      });

      describe('call metadata (call.info)', () => {
        const noOpening = !harness.wire.start
          ? 'the harness has no opening message'
          : harness.plugin.detect
            ? undefined
            : 'the carrier has no detect hook (the server cannot serve it)';
        test(noOpening)('hands the opening message to call.info.raw', () => checkOpeningMetadata(context()));
        const fields: readonly CallMetadataField[] = ['from', 'to', 'direction', 'customParameters'];
        for (const field of fields) {
          const undeclared = supports.metadata?.includes(field)
            ? undefined
            : `carrier declares no ${field} in its opening message`;
          test(noOpening ?? undeclared)(`carries ${field} from the opening message into call.info`, () =>
            checkMetadataField(context(), field),
          );
        }
      });

      test(lacking(supports, 'transportMessage', 'transport message'))(
        'passes transport messages through as JSON',
        () => checkTransportMessages(context()),
      );

      describe('hang-up', () => {
        const hangUp = test(lacking(supports, 'hangUp', 'REST hang-up'));
        for (const [sequence, frames] of Object.entries(HANG_UP_SEQUENCES)) {
          hangUp(
            `hangs up exactly once, with the right request, on ${sequence}`,
            () => checkHangUpOnce(context(), frames()),
            SLOW_TEST_MS,
          );
        }
        hangUp('makes no request with auto hang-up off', () => checkNoHangUpWhenOff(context()), SLOW_TEST_MS);
        hangUp('refuses auto hang-up without a call id at createSerializer', () =>
          checkMissingCallIdRefused(context()),
        );
      });
    });

    describe('stream auth', () => {
      const kind = harness.plugin.streamAuth ?? 'token';
      const byAnswer = itUnless(skip.streamAuth ?? answerFlowProblem(generic));
      byAnswer(
        "the answer's stream URL carries a token the server accepts for that call",
        () => checkAnsweredStreamRuns(generic),
        SLOW_TEST_MS,
      );
      byAnswer(
        'that token is refused for another call (1008) and a second time (403); no token is 401',
        () => checkStreamTokenRefusals(generic),
        SLOW_TEST_MS,
      );
      itUnless(
        skip.streamAuth ?? (kind === 'token' ? 'the carrier authenticates by token (above)' : undefined),
      )(
        `refuses an upgrade without its declared credential ('${kind}')`,
        () => checkDeclaredStreamAuth(generic),
        SLOW_TEST_MS,
      );
    });

    describe('hostile input', () => {
      const hostile = itUnless(skip.hostile);
      hostile(
        'ignores a corpus of malformed and hostile messages',
        () => checkHostileCorpus(context()),
        SLOW_TEST_MS,
      );
      hostile(
        'ignores every field of valid messages deleted or of the wrong type',
        () => checkMutatedMessages(context()),
        SLOW_TEST_MS,
      );
      hostile(
        'ignores fast-check generated messages',
        () => checkGeneratedMessages(context(), options.hostileRuns),
        SLOW_TEST_MS,
      );
      const runs = options.fuzzRuns ?? fuzzRunsFromEnv();
      // Generous: a hostile case can take a while (huge payloads), and 2 cores are shared.
      itUnless(skip.fuzz)(
        `deserialize survives ${runs} fuzzed messages (no throw, no rejection, valid frames, no pollution)`,
        () =>
          checkFuzzedDeserialize(generic, {
            runs,
            ...(options.fuzzSeed !== undefined ? { seed: options.fuzzSeed } : {}),
            ...(options.fuzzSeeds ? { extraSeeds: options.fuzzSeeds } : {}),
          }),
        30_000 + runs * 20,
      );
    });

    describe('hang-up under REST faults', () => {
      const noRestHangUp =
        harness.supports.hangUp && harness.startApi ? undefined : 'carrier declares no REST hang-up';
      const fault = itUnless(skip.hangUpFaults ?? noRestHangUp);
      for (const row of HANG_UP_FAULTS) {
        fault(row.name, () => checkHangUpFault(generic, row), SLOW_TEST_MS);
      }
    });

    for (const [kind, capability, what] of [
      ['transfer', 'transfer', 'REST transfer'],
      ['dtmf', 'outputDtmfRest', 'REST DTMF'],
    ] as const) {
      describe(`${what} under REST faults`, () => {
        const unsupported =
          harness.supports[capability] && harness.startApi ? undefined : `carrier declares no ${what}`;
        const fault = itUnless(skip.hangUpFaults ?? unsupported);
        for (const row of HANG_UP_FAULTS) {
          fault(
            `as for hang-up (ended = done, already ended = failed): ${row.name}`,
            () => checkCallActionFault(generic, kind, row),
            SLOW_TEST_MS,
          );
        }
      });
    }

    describe('secrets', () => {
      const noCredential = harness.secrets.some((secret) => secret.length >= 6)
        ? undefined
        : 'the carrier holds no credential';
      const secrets = skip.secrets ?? noCredential;
      const noHangUp =
        harness.supports.hangUp && harness.startApi ? undefined : 'carrier declares no REST hang-up';
      for (const probe of Object.keys(SECRET_PROBES)) {
        const known = options.knownLeaks?.[probe];
        itUnless(secrets ?? noHangUp ?? (known === undefined ? undefined : `KNOWN LEAK: ${known}`))(
          `no credential in logs, results or errors on a hang-up that meets ${probe}`,
          () => checkSecretProbe(generic, probe),
          10_000,
        );
      }
      itUnless(secrets)('bad options: the CONFIG error names fields, never the credential values', () =>
        checkBadOptionsHoldNoSecret(generic),
      );
      itUnless(secrets ?? noHangUp)('auto hang-up without a call id: a refusal holds no credential', () =>
        checkMissingCallIdHoldsNoSecret(generic),
      );
      // Last, so that it sees the log lines of every conformance and hostile-input test above.
      itUnless(secrets ?? skip.conformance)(
        'never put a credential in a log line or an error message during the suite',
        () => checkNoSecretsLogged(context()),
      );
    });
  });
}

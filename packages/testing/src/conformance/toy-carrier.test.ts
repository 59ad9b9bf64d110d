// The carrier test kit on a toy carrier that implements the harness correctly and passes every part,
// and on deliberately broken variants that the kit's checks must catch.
import { endFrame } from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { harnessSeeds } from '../fuzz/fuzz-carrier.js';
import type { CarrierHarness } from '../harness.js';
import {
  failureLines,
  HANG_UP_FAULTS,
  type HangUpFault,
  runHangUp,
  visibleTexts,
} from '../reliability/hang-up-run.js';
import { findLeaks, secretForms } from '../reliability/secrets.js';
import { type Flaw, TOY_AUTH_TOKEN, toyHarness } from '../test-support/toy-carriers.js';
import {
  checkChunkInvariance,
  checkEmptyAudio,
  checkInboundAudio,
  checkInboundChunkInvariance,
  checkOutboundAudio,
} from './checks-audio.js';
import {
  checkCheckpoint,
  checkDtmfDigits,
  checkInterruption,
  checkInvalidDtmf,
  checkOutputDtmf,
  checkTransportMessages,
} from './checks-control.js';
import { checkHangUpFault, checkHangUpOnce, checkMissingCallIdRefused } from './checks-hang-up.js';
import {
  checkFuzzedDeserialize,
  checkGeneratedMessages,
  checkHostileCorpus,
  checkMutatedMessages,
} from './checks-hostile.js';
import { checkNoSecretsLogged, checkSecretProbe, expectNoSecrets } from './checks-secrets.js';
import { type ConformanceContext, createConformanceContext } from './context.js';
import { describeCarrier, harnessProblems } from './describe-carrier.js';

describeCarrier(toyHarness(), { fuzzRuns: 500, fuzzSeed: 1 });

// The same toy declaring fewer capabilities: those checks show up as skipped with a reason, and the
// suite runs without a carrier API (an empty fake records any stray request).
const { startApi: _noApi, hangUpRequest: _noRequest, ...basic } = toyHarness();
describe('declaring fewer capabilities', () => {
  describeCarrier(
    {
      ...basic,
      supports: {
        dtmf: false,
        clear: true,
        checkpoint: false,
        outputDtmf: false,
        hangUp: false,
        transportMessage: false,
      },
    },
    { fuzzRuns: 200, fuzzSeed: 2, skip: { secrets: 'the toy without hang-up is checked above' } },
  );
});

const fault = (name: string): HangUpFault => {
  const row = HANG_UP_FAULTS.find((candidate) => candidate.name.startsWith(name));
  if (!row) throw new Error(`no fault row starting ${name}`);
  return row;
};

describe('the kit catches broken carriers', () => {
  let context: ConformanceContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  const open = async (flaw: Flaw) => {
    context = await createConformanceContext(toyHarness(new Set([flaw])));
    return context;
  };
  const broken = (flaw: Flaw) => toyHarness(new Set([flaw])) as CarrierHarness<unknown, unknown>;

  // Each flaw, the check that must catch it, and what the failure must say.
  const cases: Array<[Flaw, (context: ConformanceContext) => Promise<void>, RegExp]> = [
    ['wrong-clear', checkInterruption, /not the carrier's clear message/],
    ['drops-dtmf-D', checkDtmfDigits, /DTMF key "D"/],
    ['hangs-up-twice', (c) => checkHangUpOnce(c, [endFrame(), endFrame()]), /exactly once/],
    ['hang-up-wrong-path', (c) => checkHangUpOnce(c, [endFrame()]), /exactly once/],
    ['no-inbound-resample', (c) => checkInboundAudio(c, 16000), /gave 4800 at 16000 Hz, expected 9600/],
    ['half-gain-outbound', (c) => checkOutboundAudio(c, 8000), /tone level changed/],
    ['throws-on-bad-json', checkHostileCorpus, /hostile messages were not ignored/],
    ['throws-on-bad-json', (c) => checkGeneratedMessages(c, 100), /Property failed/],
    ['trusts-payload-type', checkMutatedMessages, /mutated messages were not ignored/],
    ['resampler-per-chunk', (c) => checkChunkInvariance(c, 24000), /differs on the wire/],
    ['empty-audio-message', (c) => checkChunkInvariance(c, 48000), /must not be empty/],
    [
      'oversized-audio-message',
      (c) => checkChunkInvariance(c, 48000),
      /sent a message the carrier refuses: audio message over/,
    ],
    ['wraps-transport', checkTransportMessages, /transport message on the wire/],
    ['wrong-checkpoint-name', checkCheckpoint, /checkpoint message name/],
    ['accepts-bad-dtmf', checkInvalidDtmf, /invalid DTMF key "X"/],
    ['silent-on-bad-dtmf', checkInvalidDtmf, /no warning logged/],
    ['no-call-id-check', checkMissingCallIdRefused, /refused when the serializer is created/],
    ['logs-token', (c) => checkHangUpOnce(c, [endFrame()]), /credentials reached a log line/],
    [
      'inbound-resampler-per-message',
      (c) => checkInboundChunkInvariance(c, 48000),
      /decode differently|gave \d+ samples/,
    ],
    ['hangs-up-on-interruption', (c) => checkHangUpOnce(c, [endFrame()]), /other than end\/cancel/],
  ];
  for (const [flaw, check, failure] of cases) {
    it(`fails a carrier with the flaw "${flaw}"`, async () => {
      await expect(check(await open(flaw))).rejects.toThrow(failure);
    }, 15_000);
  }

  it('fails a carrier whose hang-up has no deadline (the fault matrix stall row)', async () => {
    await expect(checkHangUpFault(broken('no-hang-up-deadline'), fault('a stall'))).rejects.toThrow(
      /did not settle within/,
    );
  }, 15_000);

  it('fails a carrier whose hang-up throws (the fault matrix 500 row)', async () => {
    await expect(
      checkHangUpFault(broken('throws-on-hang-up-failure'), fault('500 on every attempt')),
    ).rejects.toThrow(/hangUp threw/);
  }, 15_000);

  it('fails a carrier that puts its credential in a failure line (a secrets probe)', async () => {
    await expect(
      checkSecretProbe(broken('logs-authorization-on-failure'), '401 (credentials refused)'),
    ).rejects.toThrow(/credentials reached a log line/);
  }, 15_000);

  it('fails a carrier whose deserialize throws (the fuzzer)', async () => {
    await expect(
      checkFuzzedDeserialize(broken('throws-on-bad-json'), { runs: 200, seed: 3 }),
    ).rejects.toThrow(/threw/);
  }, 30_000);

  it('passes the same checks on the correct toy (so the failures above are the flaws)', async () => {
    context = await createConformanceContext(toyHarness());
    await checkInterruption(context);
    await checkDtmfDigits(context);
    await checkHangUpOnce(context, [endFrame(), endFrame()]);
    await checkInboundAudio(context, 16000);
    await checkChunkInvariance(context, 24000);
    await checkEmptyAudio(context, 48000);
    await checkOutboundAudio(context, 48000);
    await checkOutputDtmf(context);
    expectNoSecrets(context);
    const correct = toyHarness() as CarrierHarness<unknown, unknown>;
    await checkHangUpFault(correct, fault('a stall'));
    await checkHangUpFault(correct, fault('500 on every attempt'));
    await checkSecretProbe(correct, '401 (credentials refused)');
  }, 30_000);

  it('fails the secrets check when a log line holds the token, without printing it', async () => {
    const leaky = await open('logs-token');
    await leaky.openCall({ sampleRate: 8000, autoHangUp: true }).then((call) => call.serialize(endFrame()));
    const failure = await Promise.resolve()
      .then(() => checkNoSecretsLogged(leaky))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(failure?.message).toMatch(/credentials reached a log line/);
    expect(failure?.message).not.toContain(TOY_AUTH_TOKEN);
  });

  it('reports harnesses whose declared capabilities lack their functions', () => {
    const harness = toyHarness() as CarrierHarness<unknown, unknown>;
    expect(harnessProblems({ ...harness, wire: { media: harness.wire.media } })).toEqual([
      'supports.dtmf without wire.dtmf',
      'supports.checkpoint without wire.checkpointReached',
    ]);
  });

  it('builds fuzz seeds from the harness: media of several lengths and all sixteen DTMF keys', () => {
    const seeds = harnessSeeds(toyHarness() as CarrierHarness);
    expect(seeds.filter((seed) => String(seed).includes('"dtmf"'))).toHaveLength(16);
    expect(seeds.filter((seed) => String(seed).includes('"media"')).length).toBeGreaterThanOrEqual(6);
  });

  it('finds the credential a leaky carrier logs, in any encoding, and masks it', async () => {
    const leaky = broken('logs-authorization-on-failure');
    const run = await runHangUp(leaky, { fault: { status: 401 } }, 500);
    const leaks = findLeaks(visibleTexts(run), secretForms(leaky.secrets, run.authorizationHeaders));
    expect(leaks.length).toBeGreaterThanOrEqual(1);
    expect(leaks.join('\n')).toContain('<secret>');
    expect(leaks.join('\n')).not.toContain(TOY_AUTH_TOKEN);
  });

  it('counts failure lines and requests of a run', async () => {
    const run = await runHangUp(
      toyHarness() as CarrierHarness<unknown, unknown>,
      { fault: { status: 500 } },
      500,
    );
    expect(run.result?.outcome).toBe('failed');
    expect(run.settled).toBe(true);
    expect(failureLines(run)).toHaveLength(1);
    expect(run.requests).toBeGreaterThanOrEqual(2);
  });
});

import { createCallwireContainer, registerCarrier } from '@callwire/core';
import { expect } from 'vitest';
import type { CarrierHarness } from '../harness.js';
import { recordingLogger, renderDeep, visibleText } from '../logger.js';
import { runHangUp, SECRET_PROBE_DEADLINE_MS, visibleTexts } from '../reliability/hang-up-run.js';
import { findLeaks, SECRET_PROBES, secretForms } from '../reliability/secrets.js';
import { type ConformanceContext, createWithoutCallId } from './context.js';

/** Asserts that no secret of the harness (in any usual encoding), nor a credential a server received, is in `texts`. */
export function expectNoSecretIn(
  harness: CarrierHarness<unknown, unknown>,
  texts: readonly string[],
  authorizationHeaders: readonly string[] = [],
): void {
  const leaks = findLeaks(texts, secretForms(harness.secrets, authorizationHeaders));
  expect(
    leaks.length,
    `credentials reached a log line, console output, result or error message (${leaks.length} times); first: ${leaks[0]}`,
  ).toBe(0);
}

/** No log line recorded so far in the suite, and no message of an error a carrier threw, holds a secret. */
export function expectNoSecrets(context: ConformanceContext): void {
  const headers = context.api.requests
    .map((request) => request.headers.authorization)
    .filter((value): value is string => typeof value === 'string');
  const texts = [
    ...context.logs.map((entry) => `${entry.level}: ${visibleText(entry)}`),
    ...context.thrownMessages,
  ];
  expectNoSecretIn(context.harness, texts, headers);
}

/** Like `expectNoSecrets`, and also refuses a vacuous pass: at least one log line must have been seen. */
export function checkNoSecretsLogged(context: ConformanceContext): void {
  expect(
    context.logs.length,
    'the suite recorded no log line at all: is the logger injected?',
  ).toBeGreaterThan(0);
  expectNoSecrets(context);
}

/**
 * Provokes one hang-up error path (`SECRET_PROBES[probe]`: 401, 403, 500, timeout, reset, slow body,
 * malformed ids, an error body echoing the credential): the hang-up fails, says so in a log line, and
 * no credential appears in any log line, console output, result or thrown error.
 */
export async function checkSecretProbe(
  harness: CarrierHarness<unknown, unknown>,
  probe: string,
): Promise<void> {
  const scenario = SECRET_PROBES[probe];
  if (!scenario) throw new Error(`no secret probe named ${JSON.stringify(probe)}`);
  const run = await runHangUp(harness, scenario, SECRET_PROBE_DEADLINE_MS);
  expect(run.thrown, 'hangUp threw').toBeUndefined();
  expect(run.result?.outcome).toBe('failed');
  // The probe is not vacuous: the failure was logged, and the check reads that line.
  expect(run.lines.length).toBeGreaterThan(0);
  expectNoSecretIn(harness, visibleTexts(run), run.authorizationHeaders);
}

/** Bad options are refused with a `CONFIG` error that names fields, never the credential values. */
export function checkBadOptionsHoldNoSecret(harness: CarrierHarness<unknown, unknown>): void {
  const logger = recordingLogger();
  const good = harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 1000 }) as Record<
    string,
    unknown
  >;
  const variants: Record<string, unknown>[] = [
    harness.options({ apiUrl: 'not a url', hangUpTimeoutMs: -5 }) as Record<string, unknown>,
    // Fields of the wrong type, and a credential in an unknown key.
    { ...good, hangUpTimeoutMs: 'soon', apiBaseUrl: 42, unknownCredentialField: harness.secrets[0] },
  ];
  const texts: string[] = [];
  let thrown = 0;
  for (const options of variants) {
    try {
      registerCarrier(createCallwireContainer({ logger }), harness.plugin, options);
    } catch (error) {
      thrown += 1;
      texts.push(renderDeep(error), String(error));
    }
  }
  expect(thrown, 'bad options were accepted').toBeGreaterThan(0);
  texts.push(...logger.lines.map(visibleText));
  expectNoSecretIn(harness, texts);
}

/** Auto hang-up without a call id: whether it is refused is the conformance checks' business; a refusal holds no credential. */
export function checkMissingCallIdHoldsNoSecret(harness: CarrierHarness<unknown, unknown>): void {
  const logger = recordingLogger();
  const thrown = createWithoutCallId(harness, logger, {
    apiUrl: 'http://127.0.0.1:9',
    hangUpTimeoutMs: 1000,
  });
  expectNoSecretIn(harness, [renderDeep(thrown), String(thrown), ...logger.lines.map(visibleText)]);
}

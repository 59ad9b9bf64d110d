import { randomUUID } from 'node:crypto';
import { type CallInfo, createCallwireContainer, createSerializer, registerCarrier } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import type { CarrierHarness } from '../conformance/harness.js';
import { captureLogger, renderDeep } from './capture.js';
import { expectNoSecretIn, type HangUpScenario, runHangUp, visibleTexts } from './rest-fault-matrix.js';

/** Hang-up error paths provoked to look for leaked credentials. */
export const SECRET_PROBES: Readonly<Record<string, HangUpScenario>> = {
  '401 (credentials refused)': { fault: { status: 401, body: '{"error":"authentication failed"}' } },
  '403': { fault: { status: 403 } },
  '500': { fault: { status: 500 } },
  'a timeout': { fault: { hang: true } },
  'a connection reset': { fault: { reset: true } },
  'a slow body': { slowBody: { status: 502 } },
  'an empty call id': { callId: '' },
  'a call id with a path in it': { callId: '../../Account' },
  'a call id with a query in it': { callId: 'abc?x=1' },
  'a call id of spaces': { callId: '   ' },
  // Some proxies and error pages echo the request's headers back.
  'an error body echoing the Authorization header': { echoAuthorization: { padding: 0 } },
  'an error body echoing it across the 500-character cut': { echoAuthorization: { padding: 420 } },
};

/** Deadline (ms) for the probes: short, as only what they leave behind matters. */
const PROBE_DEADLINE_MS = 600;

/**
 * Provokes every error path of a carrier's hang-up (401, 403, 500, timeout, reset, slow body,
 * malformed ids) and bad configuration, and asserts that no credential of the harness, and no
 * `Authorization` value the server received (nor their base64 or URL-encoded forms), appears in any
 * log line at any level, console output, result, or thrown error's message or own properties.
 */
export function describeSecretsCheck(
  harness: CarrierHarness,
  options: {
    /** Probes (keys of `SECRET_PROBES`) known to leak today, each with the reason and fix: skipped, titled with both. */
    knownLeaks?: Readonly<Record<string, string>>;
  } = {},
): void {
  const name = harness.plugin.name;
  const noSecrets = harness.secrets.filter((secret) => secret.length >= 6).length === 0;
  const title = `${name}: no credential in logs, results or errors${noSecrets ? ' (skipped: the carrier holds no credential)' : ''}`;
  describe.skipIf(noSecrets)(title, () => {
    const hangUp = harness.supports.hangUp && harness.startApi !== undefined;
    for (const [probe, scenario] of Object.entries(SECRET_PROBES)) {
      const known = options.knownLeaks?.[probe];
      it.skipIf(!hangUp || known !== undefined)(
        `hang-up on ${probe}${known !== undefined ? ` (KNOWN LEAK, skipped: ${known})` : ''}`,
        async () => {
          const run = await runHangUp(harness, scenario, PROBE_DEADLINE_MS);
          expect(run.thrown, 'hangUp threw').toBeUndefined();
          expect(run.result?.outcome).toBe('failed');
          // The probe is not vacuous: the failure was logged, and the check reads that line.
          expect(run.lines.length).toBeGreaterThan(0);
          expectNoSecretIn(harness, visibleTexts(run), run.authorizationHeaders);
        },
        10_000,
      );
    }

    it('bad options: the CONFIG error names fields, never the credential values', () => {
      const logger = captureLogger();
      const good = harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 1000 }) as Record<
        string,
        unknown
      >;
      const variants: Record<string, unknown>[] = [
        harness.options({ apiUrl: 'not a url', hangUpTimeoutMs: -5 }) as Record<string, unknown>,
        // Every credential field given the wrong type (a number-looking string, then a credential in an unknown key).
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
      texts.push(...logger.lines.map((line) => line.text));
      expectNoSecretIn(harness, texts);
    });

    it.skipIf(!hangUp)('auto hang-up without a call id: a refusal holds no credential', () => {
      const logger = captureLogger();
      const container = createCallwireContainer({ logger });
      registerCarrier(
        container,
        harness.plugin,
        harness.options({ apiUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 1000 }),
      );
      const { callId: _dropped, ...call } = harness.call({
        callId: randomUUID(),
        streamId: randomUUID(),
        sampleRate: 16000,
        autoHangUp: true,
      });
      let thrown: unknown;
      try {
        createSerializer(container, name, call as CallInfo);
      } catch (error) {
        thrown = error;
      }
      // Whether it is refused here is the conformance suite's business; if it is, the error must be clean.
      expectNoSecretIn(harness, [
        renderDeep(thrown),
        String(thrown),
        ...logger.lines.map((line) => line.text),
      ]);
    });
  });
}

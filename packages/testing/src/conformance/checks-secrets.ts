import { expect } from 'vitest';
import type { ConformanceContext } from './context.js';

/** Strings that must never be logged: the harness's secrets and every credential header the fake API saw. */
export function forbiddenStrings(context: ConformanceContext): string[] {
  const headers = context.api.requests
    .map((request) => request.headers.authorization)
    .filter((value): value is string => typeof value === 'string');
  const credentials = headers.flatMap((header) => {
    const token = header.replace(/^(Basic|Bearer)\s+/i, '');
    return token.length >= 8 ? [header, token] : [header];
  });
  return [...new Set([...context.harness.secrets, ...credentials])].filter((secret) => secret.length > 0);
}

/** No log line recorded so far, and no message of an error a carrier threw, holds a secret. */
export function expectNoSecrets(context: ConformanceContext): void {
  const secrets = forbiddenStrings(context);
  const texts = [...context.logs.map((entry) => `${entry.level}: ${entry.text}`), ...context.thrownMessages];
  // The excerpt printed in the failure has the secrets masked, so the test output does not leak them.
  const mask = (text: string) =>
    secrets.reduce((masked, secret) => masked.split(secret).join('<secret>'), text);
  const leaks = texts
    .filter((text) => secrets.some((secret) => text.includes(secret)))
    .map((text) => mask(text).replace(/\s+/g, ' ').slice(0, 160));
  expect(
    leaks.length,
    `credentials reached a log line or error message (${leaks.length} times); first: ${leaks[0]}`,
  ).toBe(0);
}

/** Like `expectNoSecrets`, and also refuses a vacuous pass: at least one log line must have been seen. */
export function checkNoSecretsLogged(context: ConformanceContext): void {
  expect(
    context.logs.length,
    'the suite recorded no log line at all: is the logger injected?',
  ).toBeGreaterThan(0);
  expectNoSecrets(context);
}

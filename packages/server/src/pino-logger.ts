import { type Logger, REDACTED, redactSecrets } from '@callwire/core';
import { type DestinationStream, type Level, pino } from 'pino';

/**
 * A pino logger (JSON lines) that fits Callwire's `Logger` and redacts every secret-named field
 * (`authToken`, `Authorization`, `*Signature*`, `apiKey`, ...) at any depth before it is written.
 */
export function createPinoLogger(
  options: { level?: Level | 'silent'; destination?: DestinationStream; name?: string } = {},
): Logger & pino.Logger {
  return pino(
    {
      level: options.level ?? 'info',
      name: options.name,
      redact: {
        paths: ['authToken', 'authorization', 'headers.authorization', 'headers["x-plivo-signature-v3"]'],
        censor: REDACTED,
      },
      formatters: {
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
    },
    options.destination,
  );
}

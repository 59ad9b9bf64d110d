import { type Logger, REDACTED, redactSecrets } from '@callwire/core';
import { type DestinationStream, type Level, pino } from 'pino';

/**
 * A pino logger (JSON lines) as Callwire's `Logger`, redacting every secret-named field
 * (`authToken`, `Authorization`, `*Signature*`, `apiKey`, ...) at any depth before it is written.
 * Its methods are bound, so they can be passed around detached (`const log = logger.warn`).
 */
export function createPinoLogger(
  options: { level?: Level | 'silent'; destination?: DestinationStream; name?: string } = {},
): Logger {
  const instance = pino(
    {
      level: options.level ?? 'info',
      ...(options.name ? { name: options.name } : {}),
      redact: {
        paths: ['authToken', 'authorization', 'headers.authorization'],
        censor: REDACTED,
      },
      formatters: {
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
    },
    options.destination,
  );
  return {
    debug: instance.debug.bind(instance),
    info: instance.info.bind(instance),
    warn: instance.warn.bind(instance),
    error: instance.error.bind(instance),
  };
}

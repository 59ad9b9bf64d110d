import type { Logger } from './logger.js';

/**
 * Returns a function that logs a warning the first time each `kind` of problem occurs and
 * at debug level after that, so a misbehaving peer cannot flood the logs.
 */
export function createWarnOnce(
  logger: Logger,
): (kind: string, message: string, fields?: Record<string, unknown>) => void {
  const seen = new Set<string>();
  return (kind, message, fields) => {
    const first = !seen.has(kind);
    if (first) seen.add(kind);
    // Called as methods: pino's log functions need their `this`.
    if (first) {
      if (fields) logger.warn(fields, message);
      else logger.warn(message);
    } else if (fields) logger.debug(fields, message);
    else logger.debug(message);
  };
}

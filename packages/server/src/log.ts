import type { LogFn, Logger } from '@callwire/core';

/** A logger that adds `fields` to every line it writes through `logger`. */
export function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  const method =
    (log: LogFn): LogFn =>
    (fieldsOrMessage, message) => {
      if (typeof fieldsOrMessage === 'string') log({ ...fields }, fieldsOrMessage);
      else log({ ...fields, ...fieldsOrMessage }, message);
    };
  return {
    debug: method(logger.debug.bind(logger)),
    info: method(logger.info.bind(logger)),
    warn: method(logger.warn.bind(logger)),
    error: method(logger.error.bind(logger)),
  };
}

/** An error's name and message for a log line (no stack, no properties that could hold a secret). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

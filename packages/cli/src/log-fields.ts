import type { LogFn, Logger } from '@callwire/core';

/** A logger that adds `fields` (e.g. `{ worker: 2 }`) to every line it writes through `logger`. */
export function withLogFields(logger: Logger, fields: Readonly<Record<string, unknown>>): Logger {
  const method =
    (log: LogFn): LogFn =>
    (fieldsOrMessage, message) => {
      if (typeof fieldsOrMessage === 'string') log({ ...fields }, fieldsOrMessage);
      else log({ ...fields, ...fieldsOrMessage }, message);
    };
  return {
    debug: method(logger.debug),
    info: method(logger.info),
    warn: method(logger.warn),
    error: method(logger.error),
  };
}

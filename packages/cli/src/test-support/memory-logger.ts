import type { LogFn, Logger } from '@callwire/core';

export interface LogEntry {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps every entry, for assertions. */
export function createMemoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const method =
    (level: string): LogFn =>
    (fieldsOrMessage, message) => {
      if (typeof fieldsOrMessage === 'string') entries.push({ level, message: fieldsOrMessage, fields: {} });
      else entries.push({ level, message: message ?? '', fields: fieldsOrMessage });
    };
  return {
    entries,
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
  };
}

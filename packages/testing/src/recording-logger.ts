import type { Logger } from '@callwire/core';

/** One line a `recordingLogger` received. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** The message followed by the JSON of its fields, as one searchable string. */
  readonly text: string;
}

/** A logger that keeps every line, for tests that check what was (and was not) logged. */
export function recordingLogger(): Logger & {
  readonly lines: LogLine[];
  at(level: LogLine['level']): string[];
} {
  const lines: LogLine[] = [];
  const log =
    (level: LogLine['level']) =>
    (fieldsOrMessage: string | Record<string, unknown>, message?: string): void => {
      const text =
        typeof fieldsOrMessage === 'string'
          ? fieldsOrMessage
          : `${message ?? ''} ${JSON.stringify(fieldsOrMessage)}`;
      lines.push({ level, text });
    };
  return {
    lines,
    at: (level) => lines.filter((line) => line.level === level).map((line) => line.text),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}

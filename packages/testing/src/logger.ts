import { inspect } from 'node:util';
import type { Logger } from '@callwire/core';

/** One log call, as a `recordingLogger` saw it. */
export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  /** The fields object, as the caller passed it (kept, not copied). */
  readonly fields?: Record<string, unknown>;
  /** The message followed by the JSON of its fields: `[acme] stream stopped {"streamId":"s1"}`. */
  readonly text: string;
  /** The stream id the logger was made for (the suite makes one per call), else `''`. */
  readonly streamId: string;
}

/** A `Logger` that keeps every line and prints nothing, for tests of what was (and was not) logged. */
export interface RecordingLogger extends Logger {
  /** Every line, in order (a live array; the `sink` when one was given). */
  readonly lines: LogRecord[];
  /** The `text` of the lines at `level`. */
  at(level: LogRecord['level']): string[];
}

/**
 * Everything about `value` a user could see: `util.inspect` with hidden (non-enumerable) properties,
 * nothing cut, `cause` chains and nested objects included.
 */
export function renderDeep(value: unknown): string {
  return inspect(value, {
    depth: 12,
    showHidden: true,
    maxArrayLength: null,
    maxStringLength: null,
    breakLength: Number.POSITIVE_INFINITY,
  });
}

// JSON as a user's log sink would write it; bigints and cycles must not make logging throw.
function fieldsJson(fields: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(fields, (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      if (item !== null && typeof item === 'object') {
        if (seen.has(item)) return '[circular]';
        seen.add(item);
      }
      return item;
    });
  } catch {
    return String(fields);
  }
}

/**
 * Every form of a log line a secret could hide in: the text, the fields rendered in full (hidden
 * properties, error causes), and byte arrays read as text. What the secrets checks search.
 */
export function visibleText(record: LogRecord): string {
  if (record.fields === undefined) return record.text;
  const bytes: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 12 || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Uint8Array) bytes.push(Buffer.from(value).toString('latin1'));
    else for (const item of Object.values(value)) walk(item, depth + 1);
  };
  walk(record.fields, 0);
  return [record.text, renderDeep(record.fields), ...bytes].join(' ');
}

/**
 * A logger that keeps every line (into `options.sink` when given, so several loggers can share one
 * list), tagged with `options.streamId`.
 */
export function recordingLogger(options: { sink?: LogRecord[]; streamId?: string } = {}): RecordingLogger {
  const lines = options.sink ?? [];
  const streamId = options.streamId ?? '';
  const log =
    (level: LogRecord['level']) =>
    (fieldsOrMessage: string | Record<string, unknown>, message?: string): void => {
      if (typeof fieldsOrMessage === 'string') {
        lines.push({ level, message: fieldsOrMessage, text: fieldsOrMessage, streamId });
        return;
      }
      const text = `${message ?? ''} ${fieldsJson(fieldsOrMessage)}`;
      lines.push({ level, message: message ?? '', fields: fieldsOrMessage, text, streamId });
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

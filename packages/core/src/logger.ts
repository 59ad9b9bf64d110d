import type { InjectionToken } from 'tsyringe';

/** One log method: `(message)` or `(fields, message)`, as pino takes them. */
export type LogFn = (fieldsOrMessage: string | Record<string, unknown>, message?: string) => void;

/** The logging surface Callwire needs; a pino logger fits it. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** Injection token for the `Logger`; register your own (pino, say) to replace the console default. */
export const LOGGER: InjectionToken<Logger> = Symbol.for('callwire.logger');

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const secretKey =
  /token|secret|password|passwd|authorization|signature|api[-_]?key|private[-_]?key|jwt|cookie/i;

/** The replacement for a secret value in logs. */
export const REDACTED = '[redacted]';

/** True when a field name says its value is a secret (`authToken`, `Authorization`, `apiKey`, ...). */
export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** A deep copy of `value` with every secret-named field replaced by `[redacted]`. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: value.message };
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return copy;
}

function defaultLevel(): LogLevel {
  const configured = process.env.CALLWIRE_LOG_LEVEL as LogLevel | undefined;
  if (configured && configured in levelRank) return configured;
  return process.env.VITEST ? 'silent' : 'info';
}

/**
 * A logger that writes one line per entry to stderr, redacting secret-named fields.
 * The level defaults to `CALLWIRE_LOG_LEVEL`, else `info` (`silent` under vitest).
 */
export function createConsoleLogger(
  options: { level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const threshold = levelRank[options.level ?? defaultLevel()];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const method =
    (level: Exclude<LogLevel, 'silent'>): LogFn =>
    (fieldsOrMessage, message) => {
      if (levelRank[level] < threshold) return;
      const text = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : (message ?? '');
      const fields = typeof fieldsOrMessage === 'string' ? undefined : redactSecrets(fieldsOrMessage);
      const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      write(`${new Date().toISOString()} ${level.toUpperCase()} ${text}${suffix}`);
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createConsoleLogger({ level: 'silent' });

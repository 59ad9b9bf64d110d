import { inspect } from 'node:util';
import type { Logger } from '@callwire/core';

/** One line a `captureLogger` received, with its fields rendered in full. */
export interface CapturedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly text: string;
}

/**
 * Everything about `value` a user could see: `util.inspect` with hidden (non-enumerable) properties,
 * getters left alone, nothing cut, `cause` chains and nested objects included.
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

/** A logger that keeps every line at every level, fields rendered with `renderDeep`. */
export function captureLogger(): Logger & { readonly lines: CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const log =
    (level: CapturedLine['level']) =>
    (fieldsOrMessage: string | Record<string, unknown>, message?: string): void => {
      const text =
        typeof fieldsOrMessage === 'string'
          ? fieldsOrMessage
          : `${message ?? ''} ${renderDeep(fieldsOrMessage)}`;
      lines.push({ level, text });
    };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * Runs `action` while recording whatever it writes to `console.*`, `process.stdout` and `process.stderr`
 * (still passed through), and returns its result with that output.
 */
export async function captureConsole<T>(action: () => Promise<T>): Promise<{ result: T; output: string[] }> {
  const output: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const savedConsole = methods.map((method) => console[method]);
  const savedStdout = process.stdout.write;
  const savedStderr = process.stderr.write;
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      output.push(args.map((arg) => (typeof arg === 'string' ? arg : renderDeep(arg))).join(' '));
    };
  }
  const tap =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    };
  process.stdout.write = tap(savedStdout) as typeof process.stdout.write;
  process.stderr.write = tap(savedStderr) as typeof process.stderr.write;
  try {
    return { result: await action(), output };
  } finally {
    methods.forEach((method, index) => {
      console[method] = savedConsole[index]!;
    });
    process.stdout.write = savedStdout;
    process.stderr.write = savedStderr;
  }
}

/** The secrets and their usual encodings (as given, base64, `Basic …`/`Bearer …`, URL-encoded), and the first 12 characters of long ones. */
export function secretForms(
  secrets: readonly string[],
  authorizationHeaders: readonly string[] = [],
): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
  }
  for (const header of authorizationHeaders) {
    forms.add(header);
    const credential = header.replace(/^(Basic|Bearer)\s+/i, '');
    if (credential.length >= 8) forms.add(credential);
  }
  // A cut body (a log line keeps the first N characters) can leak the start of a credential.
  for (const form of [...forms]) if (form.length >= 20) forms.add(form.slice(0, 12));
  return [...forms].filter((form) => form.length >= 6);
}

/** Each text holding one of `forms`, with the secret masked so a failure message does not leak it. */
export function findLeaks(texts: readonly string[], forms: readonly string[]): string[] {
  return texts
    .filter((text) => forms.some((form) => text.includes(form)))
    .map((text) => forms.reduce((masked, form) => masked.split(form).join('<secret>'), text).slice(0, 200));
}

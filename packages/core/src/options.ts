import type { z } from 'zod/v4';
import { CallwireError } from './errors.js';

/** Describes every zod issue as `path: message`, one per bad field. Values are never echoed. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Validates configuration with `schema`; on failure throws `CallwireError('CONFIG')`
 * naming every bad field, prefixed with the carrier: `[acme] invalid options: hangUpTimeoutMs: ...`.
 */
export function parseConfig<T>(carrier: string, what: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new CallwireError('CONFIG', `[${carrier}] invalid ${what}: ${describeIssues(result.error)}`);
  }
  return result.data;
}

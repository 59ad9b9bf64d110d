import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { isJsonObject, isStringOrFiniteNumber } from './fast-path-checks.js';

// What each check must agree with, on every value JSON.parse can give.
const jsonValues = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, '', '1'),
);

describe('fast-path checks agree with zod', () => {
  it('isJsonObject is what z.object({}) accepts', () => {
    const schema = z.object({});
    fc.assert(
      fc.property(jsonValues, (value) => {
        expect(isJsonObject(value)).toBe(schema.safeParse(value).success);
      }),
    );
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject({})).toBe(true);
  });

  it('isStringOrFiniteNumber is what z.union([z.string(), z.number()]) accepts', () => {
    const schema = z.union([z.string(), z.number()]);
    fc.assert(
      fc.property(jsonValues, (value) => {
        expect(isStringOrFiniteNumber(value)).toBe(schema.safeParse(value).success);
      }),
    );
    expect(isStringOrFiniteNumber(Number.POSITIVE_INFINITY)).toBe(false);
    expect(isStringOrFiniteNumber(Number.NaN)).toBe(false);
    expect(isStringOrFiniteNumber('')).toBe(true);
  });
});

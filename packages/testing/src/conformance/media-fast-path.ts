import type { WireSerializer } from '@callwire/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostileValue, hostileWireMessage } from '../fuzz/hostile-input.js';

/** A zod-like schema: all the suite needs of a carrier's inbound event schema. */
export interface SafeParseSchema {
  safeParse(value: unknown): { success: boolean; data?: unknown };
}

/** What `describeMediaFastPath` checks: a carrier's hand-written `media` fast path against its schema. */
export interface MediaFastPathSpec {
  /** Test title, e.g. `'acmeMediaFastPath'`. */
  readonly name: string;
  readonly fastPath: (json: unknown) => unknown;
  /** The inbound event schema the fast path stands in for (also spied on by the serializer check). */
  readonly schema: SafeParseSchema;
  /** Well-formed `media` messages: the fast path must take every one. */
  readonly mediaMessages: fc.Arbitrary<unknown>;
  /** Field paths (one key, or `media` and a key) to replace with hostile values or remove. */
  readonly fields: readonly (readonly [string] | readonly ['media', string])[];
  /** Changes to `{ event: 'media', media: { payload: 'AAAA' } }` that the schema refuses, so the fast path must too. */
  readonly refused: readonly (readonly [label: string, fields: Record<string, unknown>])[];
  /** A set-up serializer at the wire rate, and two messages: `media`, and another event with the frame it gives. */
  readonly serializer?: {
    create(): Promise<WireSerializer>;
    media: string;
    other: string;
    otherFrame: unknown;
  };
}

/** Values JSON.parse can give that JSON.stringify cannot make (`1e999`, `-0`), and hostile ones. */
const replacement = fc.oneof(
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 2 ** 53, -1, 1.5),
  hostileValue(2_000),
);

/** `message` with the field at `path` replaced by `value`, or deleted when `value` is undefined. */
function withField(message: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(message) as Record<string, unknown>;
  const parent = (path.length === 2 ? copy[path[0]!] : copy) as Record<string, unknown> | undefined;
  const key = path[path.length - 1]!;
  if (typeof parent !== 'object' || parent === null) return copy;
  if (value === undefined) delete parent[key];
  else parent[key] = value;
  return copy;
}

/**
 * `'fast'` when `fastPath` accepted `json` and gave exactly what `schema` gives (key order included),
 * `'declined'` when it declined; fails the test when it accepted what the schema refuses or gave
 * something else.
 */
export function checkFastPathAgreement(
  fastPath: (json: unknown) => unknown,
  schema: SafeParseSchema,
  json: unknown,
): 'fast' | 'declined' {
  const fast = fastPath(json);
  if (fast === undefined) return 'declined';
  const parsed = schema.safeParse(json);
  expect(parsed.success, 'the fast path accepted what the schema refuses').toBe(true);
  expect(fast).toStrictEqual(parsed.data);
  // Key order too: what the application sees is the schema's event, field for field.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
  return 'fast';
}

/**
 * The proof that a carrier's `media` fast path keeps validation complete: on valid, mutated, hostile
 * and random messages it either declines (the schema then decides) or gives exactly what the schema
 * gives, key order included; and the serializer skips the schema for media only.
 */
export function describeMediaFastPath(spec: MediaFastPathSpec): void {
  const { fastPath, schema } = spec;

  const agreement = (json: unknown) => checkFastPathAgreement(fastPath, schema, json);

  describe(spec.name, () => {
    it('takes every well-formed media message, exactly as the schema gives it', () => {
      fc.assert(
        fc.property(spec.mediaMessages, (message) => {
          expect(agreement(message)).toBe('fast');
        }),
      );
    });

    it('declines or agrees with the schema on messages with one field changed or removed', () => {
      const outcomes = { fast: 0, declined: 0 };
      fc.assert(
        fc.property(
          spec.mediaMessages,
          fc.constantFrom(...spec.fields),
          fc.option(replacement),
          (message, path, value) => {
            outcomes[agreement(withField(message, path, value ?? undefined))]++;
          },
        ),
        { numRuns: 2_000 },
      );
      expect(outcomes.fast).toBeGreaterThan(0);
      expect(outcomes.declined).toBeGreaterThan(0);
    });

    it('declines or agrees with the schema on hostile wire messages and random JSON', () => {
      const seed = JSON.stringify(fc.sample(spec.mediaMessages, { numRuns: 1, seed: 1 })[0]);
      fc.assert(
        fc.property(fc.oneof(hostileWireMessage([seed]), fc.json({ maxDepth: 3 })), (message) => {
          if (typeof message !== 'string') return;
          let json: unknown;
          try {
            json = JSON.parse(message);
          } catch {
            return;
          }
          agreement(json);
        }),
        { numRuns: 1_000 },
      );
    });

    it.each(spec.refused)('declines %s (the schema refuses it too)', (_, fields) => {
      const message = { event: 'media', media: { payload: 'AAAA' }, ...fields };
      expect(fastPath(message)).toBeUndefined();
      expect(schema.safeParse(message).success).toBe(false);
    });

    it('drops unknown keys as the schema does', () => {
      const message = { event: 'media', x: 1, media: { payload: 'AAAA', y: 2 } };
      expect(fastPath(message)).toStrictEqual({ event: 'media', media: { payload: 'AAAA' } });
      expect(agreement(message)).toBe('fast');
    });
  });

  const { serializer } = spec;
  if (serializer === undefined) return;
  describe(`${spec.name}: the serializer uses it`, () => {
    afterEach(() => vi.restoreAllMocks());

    it('decodes media without the schema and everything else with it', async () => {
      const created = await serializer.create();
      const safeParse = vi.spyOn(schema, 'safeParse');
      expect((await created.deserialize(serializer.media))[0]?.type).toBe('input-audio');
      expect(safeParse).not.toHaveBeenCalled();
      expect(await created.deserialize(serializer.other)).toEqual([serializer.otherFrame]);
      expect(safeParse).toHaveBeenCalledTimes(1);
    });
  });
}

import { createCallwireContainer, createSerializer, registerCarrier, startFrame } from '@callwire/core';
import { hostileValue, hostileWireMessage, recordingLogger } from '@callwire/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlivoInboundEventSchema } from './events.js';
import { plivoMediaFastPath } from './media-fast-path.js';
import { plivo } from './plugin.js';

// The fast path must accept a strict subset of what the schema accepts and give exactly what the
// schema gives for it, so validation stays complete: checked here on valid, mutated and random messages.

/** `'fast'` when the fast path accepted `json` (after checking the schema agrees), else `'declined'`. */
function agreement(json: unknown): 'fast' | 'declined' {
  const fast = plivoMediaFastPath(json);
  if (fast === undefined) return 'declined';
  const parsed = PlivoInboundEventSchema.safeParse(json);
  expect(parsed.success).toBe(true);
  expect(fast).toStrictEqual(parsed.data);
  // Key order too: what the application sees is the schema's event, field for field.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
  return 'fast';
}

const mediaMessage = fc.record(
  {
    event: fc.constant('media'),
    sequenceNumber: fc.nat(),
    streamId: fc.string({ minLength: 1, maxLength: 40 }),
    media: fc.record(
      {
        track: fc.constantFrom('inbound', 'outbound', ''),
        timestamp: fc.oneof(
          fc.string({ maxLength: 16 }),
          fc.integer(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        chunk: fc.integer(),
        payload: fc.base64String({ maxLength: 400 }),
      },
      { requiredKeys: ['payload'] },
    ),
    extra_headers: fc.string({ maxLength: 40 }),
  },
  { requiredKeys: ['event', 'media'] },
);

/** Values JSON.parse can give that JSON.stringify cannot make (`1e999`, `-0`), and hostile ones. */
const replacement = fc.oneof(
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 2 ** 53, -1, 1.5),
  hostileValue(2_000),
);
const FIELDS = [
  ['event'],
  ['sequenceNumber'],
  ['streamId'],
  ['media'],
  ['extra_headers'],
  ['unknown'],
  ['media', 'track'],
  ['media', 'timestamp'],
  ['media', 'chunk'],
  ['media', 'payload'],
  ['media', 'unknown'],
] as const;

/** `message` with the field at `path` replaced by `value`, or deleted when `value` is undefined. */
function mutate(message: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(message) as Record<string, unknown>;
  const parent = (path.length === 2 ? copy[path[0]!] : copy) as Record<string, unknown> | undefined;
  const key = path[path.length - 1]!;
  if (typeof parent !== 'object' || parent === null) return copy;
  if (value === undefined) delete parent[key];
  else parent[key] = value;
  return copy;
}

describe('plivoMediaFastPath', () => {
  it('takes every well-formed media message, exactly as the schema gives it', () => {
    fc.assert(
      fc.property(mediaMessage, (message) => {
        expect(agreement(message)).toBe('fast');
      }),
    );
  });

  it('declines or agrees with the schema on messages with one field changed or removed', () => {
    const outcomes = { fast: 0, declined: 0 };
    fc.assert(
      fc.property(
        mediaMessage,
        fc.constantFrom(...FIELDS),
        fc.option(replacement),
        (message, path, value) => {
          outcomes[agreement(mutate(message, path, value ?? undefined))]++;
        },
      ),
      { numRuns: 2_000 },
    );
    expect(outcomes.fast).toBeGreaterThan(0);
    expect(outcomes.declined).toBeGreaterThan(0);
  });

  it('declines or agrees with the schema on hostile wire messages and random JSON', () => {
    const seed = JSON.stringify(fc.sample(mediaMessage, { numRuns: 1, seed: 1 })[0]);
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

  it.each([
    ['a string sequenceNumber', { sequenceNumber: '7' }],
    ['a negative sequenceNumber', { sequenceNumber: -1 }],
    ['an empty streamId', { streamId: '' }],
    ['a fractional chunk', { media: { chunk: 1.5, payload: 'AAAA' } }],
    ['an unsafe chunk', { media: { chunk: 2 ** 53, payload: 'AAAA' } }],
    ['an infinite timestamp', { media: { timestamp: Number.POSITIVE_INFINITY, payload: 'AAAA' } }],
    ['a numeric track', { media: { track: 1, payload: 'AAAA' } }],
    ['no payload', { media: {} }],
    ['an array as media', { media: [] }],
    ['numeric extra_headers', { extra_headers: 1 }],
  ])('declines %s (the schema refuses it too)', (_, fields) => {
    const message = { event: 'media', media: { payload: 'AAAA' }, ...fields };
    expect(plivoMediaFastPath(message)).toBeUndefined();
    expect(PlivoInboundEventSchema.safeParse(message).success).toBe(false);
  });

  it('drops unknown keys as the schema does', () => {
    const message = { event: 'media', x: 1, media: { payload: 'AAAA', y: 2 } };
    expect(plivoMediaFastPath(message)).toStrictEqual({ event: 'media', media: { payload: 'AAAA' } });
    expect(agreement(message)).toBe('fast');
  });
});

describe('the serializer uses the fast path', () => {
  afterEach(() => vi.restoreAllMocks());

  it('decodes media without the schema and everything else with it', async () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, plivo, { authId: 'MAXXXXXXXXXXXXXXXXXX', authToken: 'token-0123456789' });
    const serializer = createSerializer(container, 'plivo', {
      streamId: 's1',
      params: { autoHangUp: false },
    });
    await serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    const safeParse = vi.spyOn(PlivoInboundEventSchema, 'safeParse');
    const media = await serializer.deserialize(
      JSON.stringify({ event: 'media', streamId: 's1', media: { track: 'inbound', payload: '//8A' } }),
    );
    expect(media?.type).toBe('input-audio');
    expect(safeParse).not.toHaveBeenCalled();
    const dtmf = await serializer.deserialize(JSON.stringify({ event: 'dtmf', dtmf: { digit: '5' } }));
    expect(dtmf).toEqual({ type: 'input-dtmf', digit: '5' });
    expect(safeParse).toHaveBeenCalledTimes(1);
  });
});

import { createCallwireContainer, createSerializer, registerCarrier, startFrame } from '@callwire/core';
import { hostileValue, hostileWireMessage, recordingLogger } from '@callwire/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExotelInbound } from './events.js';
import { exotelMediaFastPath } from './media-fast-path.js';
import { exotel } from './plugin.js';

// The fast path must accept a strict subset of what the schema accepts and give exactly what the
// schema gives for it, so validation stays complete: checked here on valid, mutated and random messages.

/** `'fast'` when the fast path accepted `json` (after checking the schema agrees), else `'declined'`. */
function agreement(json: unknown): 'fast' | 'declined' {
  const fast = exotelMediaFastPath(json);
  if (fast === undefined) return 'declined';
  const parsed = ExotelInbound.safeParse(json);
  expect(parsed.success).toBe(true);
  expect(fast).toStrictEqual(parsed.data);
  // Key order too: what the application sees is the schema's event, field for field.
  expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
  return 'fast';
}

const counter = fc.oneof(
  fc.nat().map(String),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const mediaMessage = fc.record(
  {
    event: fc.constant('media'),
    sequence_number: counter,
    stream_sid: fc.string({ minLength: 1, maxLength: 40 }),
    media: fc.record(
      {
        chunk: counter,
        timestamp: counter,
        payload: fc.base64String({ minLength: 4, maxLength: 400 }),
      },
      { requiredKeys: ['payload'] },
    ),
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
  ['sequence_number'],
  ['stream_sid'],
  ['media'],
  ['unknown'],
  ['media', 'chunk'],
  ['media', 'timestamp'],
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

describe('exotelMediaFastPath', () => {
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
    ['a boolean sequence_number', { sequence_number: true }],
    ['an infinite sequence_number', { sequence_number: Number.NEGATIVE_INFINITY }],
    ['a numeric stream_sid', { stream_sid: 5 }],
    ['an empty stream_sid', { stream_sid: '' }],
    ['an empty payload', { media: { payload: '' } }],
    ['a null chunk', { media: { chunk: null, payload: 'AAAA' } }],
    ['an infinite timestamp', { media: { timestamp: Number.POSITIVE_INFINITY, payload: 'AAAA' } }],
    ['a numeric payload', { media: { payload: 1 } }],
    ['an array as media', { media: [] }],
  ])('declines %s (the schema refuses it too)', (_, fields) => {
    const message = { event: 'media', media: { payload: 'AAAA' }, ...fields };
    expect(exotelMediaFastPath(message)).toBeUndefined();
    expect(ExotelInbound.safeParse(message).success).toBe(false);
  });

  it('drops unknown keys as the schema does', () => {
    const message = { event: 'media', x: 1, media: { payload: 'AAAA', y: 2 } };
    expect(exotelMediaFastPath(message)).toStrictEqual({ event: 'media', media: { payload: 'AAAA' } });
    expect(agreement(message)).toBe('fast');
  });
});

describe('the serializer uses the fast path', () => {
  afterEach(() => vi.restoreAllMocks());

  it('decodes media without the schema and everything else with it', async () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, exotel, {});
    const serializer = createSerializer(container, 'exotel', {
      streamId: 'MZ1',
      params: { autoHangUp: false },
    });
    await serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    const safeParse = vi.spyOn(ExotelInbound, 'safeParse');
    const media = await serializer.deserialize(
      JSON.stringify({ event: 'media', stream_sid: 'MZ1', media: { payload: '//8A' } }),
    );
    expect(media?.type).toBe('input-audio');
    expect(safeParse).not.toHaveBeenCalled();
    const mark = await serializer.deserialize(JSON.stringify({ event: 'mark', mark: { name: 'm1' } }));
    expect(mark).toEqual({ type: 'checkpoint-reached', name: 'm1' });
    expect(safeParse).toHaveBeenCalledTimes(1);
  });
});

import { createCallwireContainer, createSerializer, registerCarrier, startFrame } from '@callwire/core';
import { hostileValue, hostileWireMessage, recordingLogger } from '@callwire/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TelnyxInbound } from './events.js';
import { telnyxMediaFastPath } from './media-fast-path.js';
import { telnyx } from './plugin.js';

// The fast path must accept a strict subset of what the schema accepts and give exactly what the
// schema gives for it, so validation stays complete: checked here on valid, mutated and random messages.

/** `'fast'` when the fast path accepted `json` (after checking the schema agrees), else `'declined'`. */
function agreement(json: unknown): 'fast' | 'declined' {
  const fast = telnyxMediaFastPath(json);
  if (fast === undefined) return 'declined';
  const parsed = TelnyxInbound.safeParse(json);
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
    stream_id: fc.string({ maxLength: 40 }),
    media: fc.record(
      {
        track: fc.constantFrom('inbound', 'outbound', 'inbound_track', ''),
        chunk: counter,
        timestamp: counter,
        payload: fc.base64String({ maxLength: 400 }),
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
  ['stream_id'],
  ['media'],
  ['unknown'],
  ['media', 'track'],
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

describe('telnyxMediaFastPath', () => {
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
    ['a numeric stream_id', { stream_id: 5 }],
    ['a null chunk', { media: { chunk: null, payload: 'AAAA' } }],
    ['an infinite timestamp', { media: { timestamp: Number.POSITIVE_INFINITY, payload: 'AAAA' } }],
    ['a numeric track', { media: { track: 1, payload: 'AAAA' } }],
    ['a numeric payload', { media: { payload: 1 } }],
    ['an array as media', { media: [] }],
  ])('declines %s (the schema refuses it too)', (_, fields) => {
    const message = { event: 'media', media: { payload: 'AAAA' }, ...fields };
    expect(telnyxMediaFastPath(message)).toBeUndefined();
    expect(TelnyxInbound.safeParse(message).success).toBe(false);
  });

  it('drops unknown keys as the schema does', () => {
    const message = { event: 'media', x: 1, media: { payload: 'AAAA', y: 2 } };
    expect(telnyxMediaFastPath(message)).toStrictEqual({ event: 'media', media: { payload: 'AAAA' } });
    expect(agreement(message)).toBe('fast');
  });
});

describe('the serializer uses the fast path', () => {
  afterEach(() => vi.restoreAllMocks());

  it('decodes media without the schema and everything else with it', async () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, telnyx, { apiKey: 'KEY0123456789' });
    const serializer = createSerializer(container, 'telnyx', {
      streamId: 'MZ1',
      params: { autoHangUp: false },
    });
    await serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    const safeParse = vi.spyOn(TelnyxInbound, 'safeParse');
    const media = await serializer.deserialize(
      JSON.stringify({ event: 'media', stream_id: 'MZ1', media: { track: 'inbound', payload: '//8A' } }),
    );
    expect(media?.type).toBe('input-audio');
    expect(safeParse).not.toHaveBeenCalled();
    const mark = await serializer.deserialize(JSON.stringify({ event: 'mark', mark: { name: 'm1' } }));
    expect(mark).toEqual({ type: 'checkpoint-reached', name: 'm1' });
    expect(safeParse).toHaveBeenCalledTimes(1);
  });
});

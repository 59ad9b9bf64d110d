import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { parseInboundMessage, previewValue } from './inbound-message.js';

const Ping = z.object({ event: z.literal('ping'), n: z.number().int() });
const Pong = z.object({ event: z.literal('pong') });
const Inbound = z.discriminatedUnion('event', [Ping, Pong]);

function spec(
  extra: {
    maxChars?: number;
    normalize?: (json: unknown) => unknown;
    fastPath?: (json: unknown) => z.infer<typeof Inbound> | undefined;
  } = {},
) {
  const warnings: [string, string][] = [];
  return {
    warnings,
    spec: {
      carrier: 'toy',
      events: new Set(['ping', 'pong']),
      schema: Inbound,
      warnOnce: (kind: string, message: string) => warnings.push([kind, message]),
      ...extra,
    },
  };
}

describe('parseInboundMessage', () => {
  it('returns the validated event from text or UTF-8 bytes', () => {
    const { spec: s, warnings } = spec();
    expect(parseInboundMessage(s, '{"event":"ping","n":3}')).toEqual({ event: 'ping', n: 3 });
    expect(parseInboundMessage(s, new TextEncoder().encode('{"event":"pong"}'))).toEqual({ event: 'pong' });
    expect(warnings).toEqual([]);
  });

  it.each([
    ['binary', new Uint8Array([0xff, 0xfe, 0x00])],
    ['bad-json', '{"event":'],
    ['unknown-event', '{"event":"launch"}'],
    ['unknown-event', 'null'],
    ['unknown-event', '[1,2]'],
    ['invalid-ping', '{"event":"ping","n":"three"}'],
  ] as const)('warns %s and returns undefined', (kind, data) => {
    const { spec: s, warnings } = spec();
    expect(parseInboundMessage(s, data)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[0]).toBe(kind);
    expect(warnings[0]?.[1]).toMatch(/^\[toy\] ignoring/);
  });

  it('names the bad field of a malformed event', () => {
    const { spec: s, warnings } = spec();
    parseInboundMessage(s, '{"event":"ping","n":1.5}');
    expect(warnings[0]?.[1]).toContain('n:');
  });

  it('refuses messages over maxChars before parsing them', () => {
    const { spec: s, warnings } = spec({ maxChars: 10 });
    expect(parseInboundMessage(s, '{"event":"pong"}')).toBeUndefined();
    expect(warnings[0]?.[0]).toBe('oversized');
  });

  it('normalizes the JSON before validating it', () => {
    const { spec: s } = spec({ normalize: (json) => ({ event: 'pong', ...(json as object) }) });
    expect(parseInboundMessage(s, '{}')).toEqual({ event: 'pong' });
  });

  it('returns what the fast path gives without asking the schema', () => {
    const fastPong = { event: 'pong' as const };
    const { spec: s, warnings } = spec({ fastPath: () => fastPong });
    expect(parseInboundMessage(s, '{"event":"ping","n":"three"}')).toBe(fastPong);
    expect(warnings).toEqual([]);
  });

  it('validates with the schema when the fast path declines', () => {
    const seen: unknown[] = [];
    const { spec: s, warnings } = spec({ fastPath: (json) => void seen.push(json) });
    expect(parseInboundMessage(s, '{"event":"ping","n":3}')).toEqual({ event: 'ping', n: 3 });
    expect(parseInboundMessage(s, '{"event":"ping","n":"three"}')).toBeUndefined();
    expect(seen).toEqual([
      { event: 'ping', n: 3 },
      { event: 'ping', n: 'three' },
    ]);
    expect(warnings.map(([kind]) => kind)).toEqual(['invalid-ping']);
  });

  it('does not offer unknown events or non-JSON to the fast path', () => {
    const seen: unknown[] = [];
    const { spec: s } = spec({ fastPath: (json) => void seen.push(json) });
    parseInboundMessage(s, '{"event":"launch"}');
    parseInboundMessage(s, 'not json');
    expect(seen).toEqual([]);
  });
});

describe('previewValue', () => {
  it('quotes and shortens', () => {
    expect(previewValue('abc')).toBe('"abc"');
    expect(previewValue('x'.repeat(100), 4)).toBe('"xxxx…"');
    expect(previewValue(undefined)).toBe('"undefined"');
  });
});

import { describe, expect, it } from 'vitest';
import {
  callMetadata,
  MAX_CUSTOM_PARAMETERS,
  MAX_METADATA_VALUE_LENGTH,
  parseKeyValuePairs,
  stringEntries,
} from './call-metadata.js';

describe('callMetadata', () => {
  it('keeps string fields and a known direction, and passes raw through untouched', () => {
    const raw = { event: 'start', nested: { a: 1 } };
    expect(
      callMetadata({ from: '+14155550100', to: 'sip:bot@example.com', direction: 'outbound', raw }),
    ).toEqual({
      from: '+14155550100',
      to: 'sip:bot@example.com',
      direction: 'outbound',
      customParameters: {},
      raw,
    });
  });

  it('drops what is not a usable string and an unknown direction', () => {
    const metadata = callMetadata({
      from: '',
      to: { number: 1 },
      direction: 'sideways',
      customParameters: 'x',
    });
    expect(metadata).toEqual({ customParameters: {}, raw: undefined });
  });

  it('bounds from/to and custom parameter values to MAX_METADATA_VALUE_LENGTH characters', () => {
    const long = 'x'.repeat(MAX_METADATA_VALUE_LENGTH + 10);
    const metadata = callMetadata({ from: long, customParameters: { note: long } });
    expect(metadata.from).toHaveLength(MAX_METADATA_VALUE_LENGTH);
    expect(metadata.customParameters.note).toHaveLength(MAX_METADATA_VALUE_LENGTH);
  });
});

describe('stringEntries', () => {
  it('stringifies numbers and booleans and leaves out objects, arrays, null and empty keys', () => {
    expect(
      stringEntries({ a: 'x', b: 2, c: true, d: null, e: { f: 1 }, g: [1], '': 'empty', h: Number.NaN }),
    ).toEqual({ a: 'x', b: '2', c: 'true' });
  });

  it(`keeps at most ${MAX_CUSTOM_PARAMETERS} entries`, () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`k${index}`, 'v']));
    expect(Object.keys(stringEntries(many))).toHaveLength(MAX_CUSTOM_PARAMETERS);
  });

  it('gives an empty map for anything that is not a plain object', () => {
    for (const value of [undefined, null, 'a=b', 3, ['a']]) expect(stringEntries(value)).toEqual({});
  });
});

describe('parseKeyValuePairs', () => {
  it("reads Plivo's extra_headers with ; or , separators and skips pairs without a key", () => {
    expect(parseKeyValuePairs('userId=12345;sessionId=abc-xyz, plan = gold;=x;flag')).toEqual({
      userId: '12345',
      sessionId: 'abc-xyz',
      plan: 'gold',
    });
  });

  it('keeps everything after the first = in a value', () => {
    expect(parseKeyValuePairs('token=a=b')).toEqual({ token: 'a=b' });
  });
});

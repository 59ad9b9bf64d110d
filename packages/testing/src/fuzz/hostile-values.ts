import fc from 'fast-check';

/** A JSON value that stresses validators: wrong types, edge numbers, huge and odd strings. */
export type HostileValue =
  | null
  | boolean
  | number
  | string
  | HostileValue[]
  | { [key: string]: HostileValue };

const LONE_SURROGATES = ['\uD800', '\uDC00', 'a\uDBFFb', '\uDFFF\uD800'];

/** Strings that look like base64 but are not, or are base64 of awkward lengths. */
const BASE64_GARBAGE = [
  '',
  '=',
  '==',
  '====',
  'A',
  'AA',
  'AAA',
  'AAAAA',
  '!!!!',
  'AAAA====AAAA',
  '////',
  '----',
  '____',
  'QUJD\nREVG',
  ' QUJD ',
  'QUJD%3D',
  'data:audio/x-mulaw;base64,AAAA',
  '\u0000\u0000\u0000\u0000',
];

/** Numbers at the edges of what a parser or a resampler should tolerate. */
const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -8000,
  7999.999,
  8000,
  16000,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  2 ** 32 + 1,
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
];

/** Keys that pollute prototypes when a parser copies objects carelessly. */
export const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
];

function pollutionObject(): HostileValue {
  const value: Record<string, HostileValue> = {};
  // defineProperty, not assignment: these must be own fields, as JSON.parse makes them.
  const own = { enumerable: true, configurable: true, writable: true };
  Object.defineProperty(value, '__proto__', { ...own, value: { polluted: 'yes', event: 'media' } });
  Object.defineProperty(value, 'constructor', { ...own, value: { prototype: { polluted: 'yes' } } });
  return value;
}

function deepArray(depth: number): HostileValue {
  let value: HostileValue = [];
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

function deepObject(depth: number): HostileValue {
  let value: HostileValue = {};
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
}

/**
 * Replacement values for a field of a valid message: every JSON type, edge numbers, huge strings
 * (up to `hugeLength` characters), lone surrogates, base64 garbage, deep nesting and prototype-pollution objects.
 */
export function hostileValue(hugeLength = 200_000): fc.Arbitrary<HostileValue> {
  return fc.oneof(
    fc.constantFrom<HostileValue>(null, true, false, '', ' ', '0', '8000', 'null', 'true', '[]', '{}'),
    fc.constantFrom<HostileValue>(...EDGE_NUMBERS),
    fc.constantFrom<HostileValue>(...BASE64_GARBAGE),
    fc.constantFrom<HostileValue>(...LONE_SURROGATES),
    fc.constantFrom<HostileValue>(...POLLUTION_KEYS),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.base64String({ maxLength: 64 }),
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<HostileValue>,
    fc.constantFrom<HostileValue>([], {}, [null], [1, 2, 3], { payload: 'AAAA' }, ['5']),
    fc
      .tuple(fc.constantFrom('A', 'f', '/', '\u00ff', '5'), fc.integer({ min: 1000, max: hugeLength }))
      .map(([unit, length]) => unit.repeat(length)),
    fc.constantFrom(100, 1_000).map((depth) => deepArray(depth)),
    fc.constant(null).map(() => deepObject(500)),
    fc.constant(null).map(() => pollutionObject()),
  );
}

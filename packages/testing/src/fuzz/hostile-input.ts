// The hostile input of the carrier test kit, in one place: a fixed corpus of malformed messages, the
// listed mutations of a carrier's valid messages, and the fast-check generator the conformance suite
// and the fuzzer both draw from.
import type { WireMessage } from '@callwire/core';
import fc from 'fast-check';

const media = (payload: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event: 'media', media: { payload, ...extra } });

function deterministicBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

function oddOffsetBytes(): Uint8Array {
  // A view at an odd byte offset: `new Int16Array(bytes.buffer, bytes.byteOffset)` throws on it.
  const view = new Uint8Array(new ArrayBuffer(161), 1, 160);
  view.set(deterministicBytes(160, 7));
  return view;
}

/**
 * Malformed and hostile wire messages no carrier may throw on: invalid JSON, wrong types, unknown
 * events, nulls, prototype-pollution keys, huge strings, deep nesting, base64 garbage, odd lengths,
 * NaN-ish numbers and binary garbage. Each entry is `[label, message]`.
 */
export function hostileCorpus(): Array<readonly [string, WireMessage]> {
  const deepArray = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  const deepObject = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
  const manyKeys = `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')},"event":"media"}`;
  const entries: Array<readonly [string, WireMessage]> = [
    ['empty text', ''],
    ['a space', ' '],
    ['a newline', '\n'],
    ['JSON null', 'null'],
    ['JSON true', 'true'],
    ['JSON number', '0'],
    ['JSON negative number', '-1'],
    ['JSON string', '"just a string"'],
    ['JSON empty array', '[]'],
    ['JSON empty object', '{}'],
    ['truncated object', '{'],
    ['truncated after key', '{"event":'],
    ['truncated media', '{"event":"media","media":{"payload":"AAAA"'],
    ['the word undefined', 'undefined'],
    ['bare NaN', 'NaN'],
    ['bare Infinity', 'Infinity'],
    ['NaN as a value', '{"event":"media","sequenceNumber":NaN}'],
    ['single quotes', "{'event':'media'}"],
    ['trailing comma', '{"event":"media",}'],
    ['event null', '{"event":null}'],
    ['event number', '{"event":123}'],
    ['event boolean', '{"event":true}'],
    ['event array', '{"event":["media"]}'],
    ['event object with toString', '{"event":{"toString":"media"}}'],
    ['unknown event', '{"event":"unknown-event"}'],
    ['event in upper case', '{"event":"MEDIA","media":{"payload":"AAAA"}}'],
    ['event with a NUL', '{"event":"media\\u0000","media":{"payload":"AAAA"}}'],
    ['event lone surrogate', '{"event":"\\ud800"}'],
    ['media without body', '{"event":"media"}'],
    ['media null', '{"event":"media","media":null}'],
    ['media array', '{"event":"media","media":[]}'],
    ['media string', '{"event":"media","media":"AAAA"}'],
    ['payload null', media(null)],
    ['payload number', media(12345)],
    ['payload object', media({ data: 'AAAA' })],
    ['payload empty', media('')],
    ['payload not base64', media('!!!not base64!!!')],
    ['payload one char', media('A')],
    ['payload three chars', media('AAA')],
    ['payload one byte (odd length)', media('AA==')],
    ['payload three bytes (odd length)', media('AAAA'.slice(0, 3).concat('='))],
    ['payload padding in the middle', media('AAAA====AAAA')],
    ['payload url-safe alphabet', media('-_-_')],
    ['payload with whitespace', media('QUJD\nREVG')],
    ['payload data URL', media('data:audio/x-mulaw;base64,AAAA')],
    ['payload huge valid base64 (1 MB)', media('A'.repeat(1_000_000))],
    ['payload huge garbage (2 MB)', media('!'.repeat(2_000_000))],
    ['NaN-ish strings in numbers', media('AAAA', { chunk: 'NaN', timestamp: 'Infinity', track: null })],
    ['number overflow', '{"event":"media","sequenceNumber":1e999,"media":{"payload":"AAAA"}}'],
    ['wrong content type', media('AAAA', { contentType: 'audio/x-l16', sampleRate: '16000' })],
    ['stream id null', JSON.stringify({ event: 'media', streamId: null, media: { payload: 'AAAA' } })],
    ['huge unknown field (5 MB)', JSON.stringify({ event: 'x', junk: 'x'.repeat(5_000_000) })],
    ['very long key', `{"${'k'.repeat(100_000)}":1,"event":"media"}`],
    ['50 000 keys', manyKeys],
    [
      '__proto__ key',
      '{"__proto__":{"polluted":"yes","event":"dtmf"},"event":"media","media":{"payload":"AAAA"}}',
    ],
    [
      'constructor.prototype key',
      '{"constructor":{"prototype":{"polluted":"yes"}},"event":"dtmf","dtmf":{"digit":"5"}}',
    ],
    ['nested __proto__', '{"event":"dtmf","dtmf":{"__proto__":{"digit":"X","polluted":"yes"}}}'],
    ['duplicate event keys', '{"event":"media","media":{"payload":"AAAA"},"event":"dtmf"}'],
    ['duplicate dtmf keys', '{"event":"dtmf","dtmf":{"digit":"1"},"dtmf":{"digit":"X"}}'],
    ['array of messages', `[${media('AAAA')}]`],
    ['deeply nested arrays (100 000)', deepArray],
    ['deeply nested objects (20 000)', deepObject],
    ['deep media body', `{"event":"media","media":${deepObject}}`],
    ['byte order mark', `\uFEFF${media('AAAA')}`],
    ['a NUL', '\u0000'],
    ['dtmf null', '{"event":"dtmf","dtmf":null}'],
    ['dtmf digit null', '{"event":"dtmf","dtmf":{"digit":null}}'],
    ['dtmf digit number', '{"event":"dtmf","dtmf":{"digit":5}}'],
    ['dtmf digit X', '{"event":"dtmf","dtmf":{"digit":"X"}}'],
    ['dtmf digit array', '{"event":"dtmf","dtmf":{"digit":["5"]}}'],
    ['dtmf huge digit', `{"event":"dtmf","dtmf":{"digit":"${'5'.repeat(100_000)}"}}`],
    ['start null', '{"event":"start","start":null}'],
    ['start wrong types', '{"event":"start","start":{"callId":{},"streamId":[],"tracks":"inbound"}}'],
    [
      'start negative rate',
      '{"event":"start","start":{"mediaFormat":{"encoding":"audio/x-l16","sampleRate":-1}}}',
    ],
    [
      'start infinite rate',
      '{"event":"start","start":{"mediaFormat":{"encoding":"audio/x-l16","sampleRate":1e999}}}',
    ],
    [
      'start unknown encoding',
      '{"event":"start","start":{"mediaFormat":{"encoding":"audio/opus","sampleRate":48000}}}',
    ],
    ['checkpoint name null', '{"event":"playedStream","name":null}'],
    ['checkpoint name empty', '{"event":"playedStream","name":""}'],
    ['mark name object', '{"event":"mark","mark":{"name":{}}}'],
    ['stop without body', '{"event":"stop"}'],
    ['connected with wrong types', '{"event":"websocket:connected","content-type":123}'],
    ['empty binary', new Uint8Array(0)],
    ['one byte binary (odd length)', new Uint8Array([0x7f])],
    ['three bytes binary', new Uint8Array([0xff, 0xfe, 0x00])],
    ['invalid UTF-8 binary', new Uint8Array([0xc3, 0x28, 0xa0, 0xa1])],
    ['binary garbage (1000 bytes)', deterministicBytes(1000, 42)],
    ['binary at an odd byte offset', oddOffsetBytes()],
    ['JSON text sent as binary', new TextEncoder().encode(media('AAAA'))],
    ['binary zeros (1 MB)', new Uint8Array(1_000_000)],
  ];
  return entries;
}

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
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

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

type JsonPath = readonly (string | number)[];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Byte sequences that are not valid UTF-8 (stray continuation, overlong, surrogate, truncated). */
const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0x80],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xfe, 0xff],
];

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

/** Every path in a JSON value, the root included, breadth first, at most `limit`. */
export function jsonPaths(value: unknown, limit = 256): JsonPath[] {
  const paths: JsonPath[] = [[]];
  const queue: { path: JsonPath; value: unknown }[] = [{ path: [], value }];
  while (queue.length > 0 && paths.length < limit) {
    const item = queue.shift()!;
    if (!isContainer(item.value)) continue;
    const keys = Array.isArray(item.value) ? item.value.map((_, index) => index) : Object.keys(item.value);
    for (const key of keys) {
      const path = [...item.path, key];
      paths.push(path);
      queue.push({ path, value: (item.value as Record<string | number, unknown>)[key] });
    }
  }
  return paths;
}

/** Leaf values of a JSON value (strings, numbers, booleans, null), for type-confusion swaps. */
function leaves(value: unknown, into: HostileValue[] = []): HostileValue[] {
  if (isContainer(value)) {
    for (const item of Object.values(value)) leaves(item, into);
  } else if (value !== undefined) {
    into.push(value as HostileValue);
  }
  return into;
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function setOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  // defineProperty, not assignment: a `__proto__` key must become an own field, as JSON.parse makes it.
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

type TreeEdit =
  | { kind: 'delete' }
  | { kind: 'replace'; value: HostileValue }
  | { kind: 'add-key'; key: string; value: HostileValue }
  | { kind: 'wrap-array' }
  | { kind: 'wrap-object' }
  | { kind: 'swap-leaf'; leafIndex: number };

/** Applies `edit` at `path` of a copy of `root`; returns the edited copy. */
function editTree(root: unknown, path: JsonPath, edit: TreeEdit, pool: readonly HostileValue[]): unknown {
  const copy = clone(root);
  const replacement = (current: unknown): unknown => {
    switch (edit.kind) {
      case 'delete':
        return undefined;
      case 'replace':
        return edit.value;
      case 'add-key': {
        if (!isContainer(current) || Array.isArray(current)) return { [edit.key]: edit.value };
        setOwn(current, edit.key, edit.value);
        return current;
      }
      case 'wrap-array':
        return [current];
      case 'wrap-object':
        return { value: current };
      case 'swap-leaf':
        return pool.length > 0 ? pool[edit.leafIndex % pool.length] : null;
    }
  };
  if (path.length === 0) return replacement(copy);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const next = replacement(parent[last]);
  if (next === undefined) {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete parent[last];
  } else {
    setOwn(parent, last, next);
  }
  return copy;
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}

function toText(message: WireMessage): string {
  return typeof message === 'string' ? message : decoder.decode(message);
}

function toBytes(message: WireMessage): Uint8Array {
  return typeof message === 'string' ? encoder.encode(message) : message;
}

function insertBytes(bytes: Uint8Array, at: number, inserted: readonly number[]): Uint8Array {
  const index = at % (bytes.length + 1);
  const out = new Uint8Array(bytes.length + inserted.length);
  out.set(bytes.subarray(0, index), 0);
  out.set(inserted, index);
  out.set(bytes.subarray(index), index + inserted.length);
  return out;
}

/** Structural edits of a JSON seed: delete, replace, add keys (prototype-pollution ones included), wrap, swap. */
function treeMutation(
  seeds: readonly WireMessage[],
  pool: readonly HostileValue[],
): fc.Arbitrary<WireMessage> {
  const edit: fc.Arbitrary<TreeEdit> = fc.oneof(
    { weight: 2, arbitrary: fc.constant<TreeEdit>({ kind: 'delete' }) },
    { weight: 5, arbitrary: hostileValue().map((value): TreeEdit => ({ kind: 'replace', value })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string({ maxLength: 8 })), hostileValue(2_000))
        .map(([key, value]): TreeEdit => ({ kind: 'add-key', key, value })),
    },
    { weight: 1, arbitrary: fc.constantFrom<TreeEdit>({ kind: 'wrap-array' }, { kind: 'wrap-object' }) },
    { weight: 3, arbitrary: fc.nat().map((leafIndex): TreeEdit => ({ kind: 'swap-leaf', leafIndex })) },
  );
  return fc
    .tuple(fc.nat(), fc.array(fc.tuple(fc.nat(), edit), { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([seedIndex, edits, asBytes]) => {
      const seed = seeds[seedIndex % seeds.length]!;
      let tree = parseJson(toText(seed));
      for (const [pathIndex, oneEdit] of edits) {
        const paths = jsonPaths(tree);
        const path = paths[pathIndex % paths.length]!;
        tree = editTree(tree, path, oneEdit, pool);
      }
      const text = stringify(tree);
      return asBytes ? encoder.encode(text) : text;
    });
}

/** Text and byte edits of a seed: truncation at any byte, insertions, invalid UTF-8, splices, raw `__proto__`. */
function byteMutation(seeds: readonly WireMessage[]): fc.Arbitrary<WireMessage> {
  const seed = fc.nat().map((index) => seeds[index % seeds.length]!);
  return fc.oneof(
    fc.tuple(seed, fc.nat(), fc.boolean()).map(([message, at, asBytes]) => {
      const bytes = toBytes(message);
      const cut = bytes.subarray(0, at % (bytes.length + 1));
      return asBytes || typeof message !== 'string' ? cut.slice() : decoder.decode(cut);
    }),
    fc.tuple(seed, fc.nat(), fc.constantFrom(...INVALID_UTF8)).map(([message, at, bad]) => {
      return insertBytes(toBytes(message), at, bad);
    }),
    fc.tuple(seed, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([message, at, noise]) => {
      const bytes = toBytes(message).slice();
      if (bytes.length === 0) return noise;
      for (const [offset, value] of noise.entries()) bytes[(at + offset) % bytes.length] = value;
      return typeof message === 'string' ? decoder.decode(bytes) : bytes;
    }),
    fc.tuple(seed, fc.nat(), fc.string({ unit: 'binary', maxLength: 6 })).map(([message, at, noise]) => {
      const text = toText(message);
      const index = at % (text.length + 1);
      return text.slice(0, index) + noise + text.slice(index);
    }),
    fc.tuple(seed, seed, fc.nat()).map(([first, second, at]) => {
      const head = toText(first);
      return head.slice(0, at % (head.length + 1)) + toText(second);
    }),
    seed.map((message) => {
      const text = toText(message);
      const brace = text.indexOf('{');
      if (brace < 0) return text;
      const injected =
        '"__proto__":{"polluted":"yes","event":"dtmf"},"constructor":{"prototype":{"polluted":"yes"}},';
      return `${text.slice(0, brace + 1)}${injected}${text.slice(brace + 1)}`;
    }),
    fc.tuple(seed, fc.integer({ min: 1, max: 64 })).map(([message, times]) => {
      const bytes = toBytes(message);
      const out = new Uint8Array(bytes.length * times + (times % 2));
      for (let copy = 0; copy < times; copy += 1) out.set(bytes, copy * bytes.length);
      return typeof message === 'string' ? decoder.decode(out) : out;
    }),
  );
}

/** Inputs unrelated to any seed: random JSON, serialized `fc.anything`, random bytes and strings. */
function randomInput(): fc.Arbitrary<WireMessage> {
  return fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.anything({ maxDepth: 3 }).map((value) => stringify(value)),
    fc.jsonValue({ maxDepth: 2 }).map((value) => stringify({ event: value })),
    fc.uint8Array({ maxLength: 512 }),
    fc.uint8Array({ maxLength: 161 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.constantFrom<WireMessage>('', ' ', 'null', 'true', '0', '[]', '{}', '"media"', '\u0000', '\uFEFF{}'),
    fc.constantFrom<WireMessage>(
      new Uint8Array(0),
      new Uint8Array(1),
      new Uint8Array(3),
      new Uint8Array(641),
    ),
    // Nesting far deeper than any message: recursion in a parser or validator would overflow the stack.
    fc.constantFrom(100_000, 20_000).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.constantFrom(100_000, 20_000).map((depth) => `{"event":"media","media":${'{"a":'.repeat(depth)}`),
  );
}

/**
 * An arbitrary of hostile wire messages built from `seeds` (valid messages of one carrier):
 * the seeds themselves (so state such as a started stream is reached), structural edits at every
 * path, byte and text edits, and random input. Text seeds that are not JSON get only byte edits.
 */
export function hostileWireMessage(seeds: readonly WireMessage[]): fc.Arbitrary<WireMessage> {
  if (seeds.length === 0) return randomInput();
  const pool = seeds.flatMap((seed) => leaves(parseJson(toText(seed))));
  const jsonSeeds = seeds.filter((seed) => typeof seed === 'string' && parseJson(seed) !== undefined);
  const branches: fc.WeightedArbitrary<WireMessage>[] = [
    { weight: 2, arbitrary: fc.constantFrom(...seeds) },
    { weight: 4, arbitrary: byteMutation(seeds) },
    { weight: 2, arbitrary: randomInput() },
  ];
  if (jsonSeeds.length > 0) branches.push({ weight: 8, arbitrary: treeMutation(jsonSeeds, pool) });
  return fc.oneof(...branches);
}

const DELETE = Symbol('delete');

/** Values each field of a valid message is replaced with in `mutationsOf` (`DELETE` removes it). */
const FIELD_REPLACEMENTS: ReadonlyArray<HostileValue | typeof DELETE> = [
  DELETE,
  null,
  0,
  -1,
  1.5,
  1e308,
  '',
  'x',
  'NaN',
  '-Infinity',
  '__proto__',
  'A'.repeat(10_000),
  true,
  [],
  {},
  [null],
  // An own "__proto__" key, as JSON.parse makes it.
  JSON.parse('{"__proto__":{"polluted":"yes"}}') as HostileValue,
];

/**
 * Broken variants of a valid message, listed (the deterministic half of the hostile input): for JSON,
 * each of its first 64 fields deleted or replaced by a value of each wrong type; for any message,
 * truncations (odd lengths included), garbage and doubling, flipped bytes.
 */
export function mutationsOf(message: WireMessage): Array<readonly [string, WireMessage]> {
  const out: Array<readonly [string, WireMessage]> = [];
  const json = typeof message === 'string' ? parseJson(message) : undefined;
  if (isContainer(json)) {
    for (const path of jsonPaths(json, 65).slice(1)) {
      for (const replacement of FIELD_REPLACEMENTS) {
        const edit: TreeEdit =
          replacement === DELETE ? { kind: 'delete' } : { kind: 'replace', value: replacement };
        const label = replacement === DELETE ? 'deleted' : JSON.stringify(replacement).slice(0, 20);
        out.push([`${path.join('.')} = ${label}`, stringify(editTree(json, path, edit, []))]);
      }
    }
  }
  const length = message.length;
  for (const cut of [1, 2, 3, Math.floor(length / 3), Math.floor(length / 2), length - 3, length - 1]) {
    if (cut > 0 && cut < length) out.push([`truncated to ${cut}`, message.slice(0, cut)]);
  }
  if (typeof message === 'string') {
    out.push(['prefixed with garbage', `x${message}`], ['doubled', message + message]);
  } else {
    const flipped = message.slice();
    for (let i = 0; i < flipped.length; i += 7) flipped[i] = (flipped[i] ?? 0) ^ 0xff;
    out.push(['flipped bytes', flipped], ['as text', new TextDecoder().decode(message)]);
  }
  return out;
}

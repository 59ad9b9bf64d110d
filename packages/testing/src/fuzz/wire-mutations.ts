import type { WireMessage } from '@callwire/core';
import fc from 'fast-check';
import { type HostileValue, hostileValue, POLLUTION_KEYS } from './hostile-values.js';

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

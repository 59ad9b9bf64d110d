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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const DELETE = Symbol('delete');

/** Values each field of a valid message is replaced with in `mutationsOf` (`DELETE` removes it). */
const FIELD_REPLACEMENTS: ReadonlyArray<Json | typeof DELETE> = [
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
  JSON.parse('{"__proto__":{"polluted":"yes"}}') as Json,
];

/** Every path (list of keys) to a value inside `value`, objects and arrays included, root excluded. */
function paths(value: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  if (out.length >= 64) return out;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index]);
      paths(item, [...prefix, index], out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      paths(item, [...prefix, key], out);
    }
  }
  return out;
}

function withValueAt(root: Json, path: ReadonlyArray<string | number>, value: Json | typeof DELETE): Json {
  const copy = structuredClone(root);
  let parent: Json = copy;
  for (const key of path.slice(0, -1)) {
    parent = (parent as Record<string | number, Json>)[key] as Json;
  }
  const last = path[path.length - 1] as string | number;
  const container = parent as Record<string | number, Json>;
  if (value === DELETE) {
    if (Array.isArray(container)) container.splice(last as number, 1);
    else delete container[last];
  } else {
    Object.defineProperty(container, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function parseObject(message: WireMessage): Json | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const value = JSON.parse(message) as Json;
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Broken variants of a valid message: for JSON, every field deleted or replaced by a value of each
 * wrong type; for any message, truncations (odd lengths included) and flipped bytes.
 */
export function mutationsOf(message: WireMessage): Array<readonly [string, WireMessage]> {
  const out: Array<readonly [string, WireMessage]> = [];
  const json = parseObject(message);
  if (json !== undefined) {
    for (const path of paths(json)) {
      for (const replacement of FIELD_REPLACEMENTS) {
        const label = replacement === DELETE ? 'deleted' : JSON.stringify(replacement).slice(0, 20);
        out.push([`${path.join('.')} = ${label}`, JSON.stringify(withValueAt(json, path, replacement))]);
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

/**
 * Random hostile messages for fast-check: arbitrary JSON, random text, random bytes, and valid
 * messages with a random field replaced by random JSON or cut short.
 */
export function hostileMessageArbitrary(validMessages: readonly WireMessage[]): fc.Arbitrary<WireMessage> {
  const objects = validMessages.map(parseObject).filter((value): value is Json => value !== undefined);
  const arbitraries: Array<fc.Arbitrary<WireMessage>> = [
    fc.json(),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 400 }),
    fc.jsonValue().map((value) => JSON.stringify(value)),
  ];
  if (objects.length > 0) {
    arbitraries.push(
      fc
        .tuple(fc.constantFrom(...objects), fc.nat(), fc.jsonValue(), fc.boolean())
        .map(([object, index, value, remove]) => {
          const all = paths(object);
          const path = all[index % Math.max(1, all.length)];
          if (!path) return JSON.stringify(value);
          return JSON.stringify(withValueAt(object, path, remove ? DELETE : (value as Json)));
        }),
    );
  }
  if (validMessages.length > 0) {
    arbitraries.push(
      fc
        .tuple(fc.constantFrom(...validMessages), fc.nat())
        .map(([message, cut]) => message.slice(0, cut % Math.max(1, message.length))),
    );
  }
  return fc.oneof(...arbitraries);
}

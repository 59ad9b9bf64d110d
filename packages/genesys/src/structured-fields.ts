// A strict parser for the part of RFC 8941 (Structured Field Values) that HTTP message signatures use:
// a Dictionary whose members are Inner Lists of Strings (`Signature-Input`) or Byte Sequences
// (`Signature`), with parameters that are Strings, Integers, Tokens or Booleans. Anything else throws
// a `SyntaxError`; the caller treats that as a bad signature.

/** A bare item: a string, an integer, a token (`{ token }`), a boolean or bytes. */
export type BareItem = string | number | boolean | { readonly token: string } | Uint8Array;

/** Parameters in the order they were written (the signature base re-encodes them in that order). */
export type Parameters = readonly (readonly [string, BareItem])[];

export interface Item {
  readonly value: BareItem;
  readonly params: Parameters;
}

export interface InnerList {
  readonly items: readonly Item[];
  readonly params: Parameters;
}

export type Member = Item | InnerList;

const KEY = /^[a-z*][a-z0-9_\-.*]*/;
const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/;
const INTEGER = /^-?\d{1,15}/;
const BASE64 = /^[A-Za-z0-9+/=]*/;

/** Parses a Dictionary field value (RFC 8941 section 4.2.2). */
export function parseDictionary(field: string): Map<string, Member> {
  const input = { text: field.trim(), at: 0 };
  const members = new Map<string, Member>();
  while (input.at < input.text.length) {
    const key = match(input, KEY, 'a key');
    let member: Member;
    if (input.text[input.at] === '=') {
      input.at += 1;
      member = input.text[input.at] === '(' ? parseInnerList(input) : parseItem(input);
    } else {
      member = { value: true, params: parseParameters(input) };
    }
    members.set(key, member);
    skipSpaces(input);
    if (input.at >= input.text.length) break;
    if (input.text[input.at] !== ',') throw new SyntaxError(`expected "," at ${input.at}`);
    input.at += 1;
    skipSpaces(input);
    if (input.at >= input.text.length) throw new SyntaxError('trailing ","');
  }
  return members;
}

/** True when `member` is an Inner List. */
export function isInnerList(member: Member): member is InnerList {
  return 'items' in member;
}

/** Serializes an Inner List with its parameters (RFC 8941 section 4.1.1.1). */
export function serializeInnerList(list: InnerList): string {
  const items = list.items.map((item) => serializeBareItem(item.value) + serializeParameters(item.params));
  return `(${items.join(' ')})${serializeParameters(list.params)}`;
}

/** Serializes a String bare item: quoted, with `\` and `"` escaped. */
export function serializeString(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

function serializeBareItem(value: BareItem): string {
  if (typeof value === 'string') return serializeString(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '?1' : '?0';
  if (value instanceof Uint8Array) return `:${Buffer.from(value).toString('base64')}:`;
  return value.token;
}

function serializeParameters(params: Parameters): string {
  return params
    .map(([key, value]) => (value === true ? `;${key}` : `;${key}=${serializeBareItem(value)}`))
    .join('');
}

interface Input {
  readonly text: string;
  at: number;
}

function skipSpaces(input: Input): void {
  while (input.text[input.at] === ' ' || input.text[input.at] === '\t') input.at += 1;
}

function match(input: Input, pattern: RegExp, what: string): string {
  const found = pattern.exec(input.text.slice(input.at));
  if (found === null || found[0] === '') throw new SyntaxError(`expected ${what} at ${input.at}`);
  input.at += found[0].length;
  return found[0];
}

function parseInnerList(input: Input): InnerList {
  input.at += 1;
  const items: Item[] = [];
  for (;;) {
    while (input.text[input.at] === ' ') input.at += 1;
    if (input.text[input.at] === ')') {
      input.at += 1;
      return { items, params: parseParameters(input) };
    }
    if (input.at >= input.text.length) throw new SyntaxError('unterminated inner list');
    items.push(parseItem(input));
    const next = input.text[input.at];
    if (next !== ' ' && next !== ')') throw new SyntaxError(`expected " " or ")" at ${input.at}`);
  }
}

function parseItem(input: Input): Item {
  const value = parseBareItem(input);
  return { value, params: parseParameters(input) };
}

function parseParameters(input: Input): Parameters {
  const params: [string, BareItem][] = [];
  while (input.text[input.at] === ';') {
    input.at += 1;
    while (input.text[input.at] === ' ') input.at += 1;
    const key = match(input, KEY, 'a parameter key');
    let value: BareItem = true;
    if (input.text[input.at] === '=') {
      input.at += 1;
      value = parseBareItem(input);
    }
    const existing = params.findIndex(([name]) => name === key);
    if (existing >= 0) params.splice(existing, 1);
    params.push([key, value]);
  }
  return params;
}

function parseBareItem(input: Input): BareItem {
  const first = input.text[input.at];
  if (first === '"') return parseString(input);
  if (first === ':') {
    input.at += 1;
    const encoded = BASE64.exec(input.text.slice(input.at))?.[0] ?? '';
    input.at += encoded.length;
    if (input.text[input.at] !== ':') throw new SyntaxError('unterminated byte sequence');
    input.at += 1;
    return new Uint8Array(Buffer.from(encoded, 'base64'));
  }
  if (first === '?') {
    const flag = input.text[input.at + 1];
    if (flag !== '0' && flag !== '1') throw new SyntaxError('bad boolean');
    input.at += 2;
    return flag === '1';
  }
  if (first === '-' || (first !== undefined && first >= '0' && first <= '9')) {
    const digits = match(input, INTEGER, 'an integer');
    if (input.text[input.at] === '.') throw new SyntaxError('decimals are not used in signatures');
    return Number(digits);
  }
  return { token: match(input, TOKEN, 'a bare item') };
}

function parseString(input: Input): string {
  input.at += 1;
  let value = '';
  for (;;) {
    const char = input.text[input.at];
    input.at += 1;
    if (char === undefined) throw new SyntaxError('unterminated string');
    if (char === '"') return value;
    if (char === '\\') {
      const escaped = input.text[input.at];
      if (escaped !== '"' && escaped !== '\\') throw new SyntaxError('bad escape');
      value += escaped;
      input.at += 1;
      continue;
    }
    const code = char.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw new SyntaxError('non-printable character in string');
    value += char;
  }
}

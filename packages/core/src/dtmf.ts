/** The sixteen DTMF keys of a telephone keypad (RFC 4733 events 0-15). */
export const DTMF_DIGITS = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
] as const;

export type DtmfDigit = (typeof DTMF_DIGITS)[number];

const digitSet: ReadonlySet<string> = new Set(DTMF_DIGITS);

/** True when `value` is one of `0-9 * # A B C D`. */
export function isDtmfDigit(value: unknown): value is DtmfDigit {
  return typeof value === 'string' && digitSet.has(value);
}

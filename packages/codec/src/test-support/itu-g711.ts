/**
 * An independent, deliberately literal transcription of the ITU-T G.191 STL reference
 * `src/g711/g711.c` (openitu/STL, version 3.01), one sample at a time, used only as the
 * oracle in tests. It keeps the reference's loops and branches so that it shares no
 * shortcut with the table builders in `mulaw.ts` / `alaw.ts`.
 *
 * C's `short` arithmetic is reproduced with `toShort` where the reference stores into a
 * `short`; `~x` and `>>` behave as in C on the (int-promoted) values used here.
 */

function toShort(value: number): number {
  return (value << 16) >> 16;
}

/** `alaw_compress` for one sample. */
export function ituAlawCompress(linear: number): number {
  let ix = linear < 0 ? toShort(~linear) >> 4 : linear >> 4;
  if (ix > 15) {
    let iexp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      iexp++;
    }
    ix -= 16;
    ix += iexp << 4;
  }
  if (linear >= 0) ix |= 0x0080;
  return (ix ^ 0x0055) & 0xffff;
}

/** `alaw_expand` for one code. */
export function ituAlawExpand(log: number): number {
  let ix = log ^ 0x0055;
  ix &= 0x007f;
  const iexp = ix >> 4;
  let mant = ix & 0x000f;
  if (iexp > 0) mant = mant + 16;
  mant = (mant << 4) + 0x0008;
  if (iexp > 1) mant = mant << (iexp - 1);
  return toShort(log > 127 ? mant : -mant);
}

/** `ulaw_compress` for one sample. */
export function ituUlawCompress(linear: number): number {
  let absno = linear < 0 ? (toShort(~linear) >> 2) + 33 : (linear >> 2) + 33;
  if (absno > 0x1fff) absno = 0x1fff;
  let i = absno >> 6;
  let segno = 1;
  while (i !== 0) {
    segno++;
    i >>= 1;
  }
  const highNibble = 0x0008 - segno;
  let lowNibble = (absno >> segno) & 0x000f;
  lowNibble = 0x000f - lowNibble;
  let log = (highNibble << 4) | lowNibble;
  if (linear >= 0) log = log | 0x0080;
  return log;
}

/** `ulaw_expand` for one code. */
export function ituUlawExpand(log: number): number {
  const sign = log < 0x0080 ? -1 : 1;
  let mantissa = toShort(~log);
  const exponent = (mantissa >> 4) & 0x0007;
  const segment = exponent + 1;
  mantissa = mantissa & 0x000f;
  const step = 4 << segment;
  return toShort(sign * ((0x0080 << exponent) + step * mantissa + step / 2 - 4 * 33));
}

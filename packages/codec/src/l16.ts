/**
 * L16 (16-bit linear PCM) on the wire: little-endian (most carriers, WAV) and big-endian
 * (RFC 3551 `L16`) byte orders to and from `Int16Array`. Every function accepts a view at
 * any `byteOffset`, odd ones included (Node Buffers sliced from base64 payloads often
 * start at odd offsets, where an `Int16Array` view cannot be made).
 */

const platformIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkEvenLength(name: string, bytes: Uint8Array): number {
  if (bytes.length % 2 !== 0) {
    throw new RangeError(`${name}: L16 needs an even number of bytes, got ${bytes.length}`);
  }
  return bytes.length / 2;
}

function checkRoom(name: string, room: number, needed: number, unit: string): void {
  if (room < needed) {
    throw new RangeError(`${name}: out holds ${room} ${unit}, needs ${needed}`);
  }
}

/** A copy-free `Int16Array` over `bytes` when its offset is even and the platform is little-endian. */
function nativeInt16View(bytes: Uint8Array, sampleCount: number): Int16Array | undefined {
  if (!platformIsLittleEndian || bytes.byteOffset % 2 !== 0) return undefined;
  return new Int16Array(bytes.buffer, bytes.byteOffset, sampleCount);
}

/** Reads little-endian L16 bytes into `out`; returns the number of samples written. */
export function l16LeToPcmInto(bytes: Uint8Array, out: Int16Array): number {
  const sampleCount = checkEvenLength('l16LeToPcmInto', bytes);
  checkRoom('l16LeToPcmInto', out.length, sampleCount, 'samples');
  const view = nativeInt16View(bytes, sampleCount);
  if (view !== undefined) {
    out.set(view);
    return sampleCount;
  }
  for (let i = 0, j = 0; i < sampleCount; i++, j += 2) {
    out[i] = bytes[j]! | (bytes[j + 1]! << 8);
  }
  return sampleCount;
}

/** Reads big-endian L16 bytes into `out`; returns the number of samples written. */
export function l16BeToPcmInto(bytes: Uint8Array, out: Int16Array): number {
  const sampleCount = checkEvenLength('l16BeToPcmInto', bytes);
  checkRoom('l16BeToPcmInto', out.length, sampleCount, 'samples');
  for (let i = 0, j = 0; i < sampleCount; i++, j += 2) {
    out[i] = (bytes[j]! << 8) | bytes[j + 1]!;
  }
  return sampleCount;
}

/** Writes `pcm` into `out` as little-endian L16; returns the number of bytes written. */
export function pcmToL16LeInto(pcm: Int16Array, out: Uint8Array): number {
  const byteLength = pcm.length * 2;
  checkRoom('pcmToL16LeInto', out.length, byteLength, 'bytes');
  const view = nativeInt16View(out, pcm.length);
  if (view !== undefined) {
    view.set(pcm);
    return byteLength;
  }
  for (let i = 0, j = 0; i < pcm.length; i++, j += 2) {
    const sample = pcm[i]!;
    out[j] = sample;
    out[j + 1] = sample >> 8;
  }
  return byteLength;
}

/** Writes `pcm` into `out` as big-endian L16; returns the number of bytes written. */
export function pcmToL16BeInto(pcm: Int16Array, out: Uint8Array): number {
  const byteLength = pcm.length * 2;
  checkRoom('pcmToL16BeInto', out.length, byteLength, 'bytes');
  for (let i = 0, j = 0; i < pcm.length; i++, j += 2) {
    const sample = pcm[i]!;
    out[j] = sample >> 8;
    out[j + 1] = sample;
  }
  return byteLength;
}

/** Little-endian L16 bytes (even length, any offset) to a new `Int16Array`. */
export function l16LeToPcm(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(checkEvenLength('l16LeToPcm', bytes));
  l16LeToPcmInto(bytes, out);
  return out;
}

/** Big-endian L16 bytes (even length, any offset) to a new `Int16Array`. */
export function l16BeToPcm(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(checkEvenLength('l16BeToPcm', bytes));
  l16BeToPcmInto(bytes, out);
  return out;
}

/** `pcm` as new little-endian L16 bytes (2 bytes per sample). */
export function pcmToL16Le(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length * 2);
  pcmToL16LeInto(pcm, out);
  return out;
}

/** `pcm` as new big-endian L16 bytes (2 bytes per sample). */
export function pcmToL16Be(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length * 2);
  pcmToL16BeInto(pcm, out);
  return out;
}

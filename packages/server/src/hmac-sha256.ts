import * as crypto from 'node:crypto';

/** HMAC-SHA256 of one key: the MAC of `prefix` + `message` bytes (32 bytes). */
export type HmacSha256 = (message: Uint8Array) => Buffer;

const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;

// `crypto.hash` (Node 20.12+) hashes in one call; an Hmac or Hash object costs about 1 µs more to make.
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer })
  .hash;
const sha256 = (data: Uint8Array): Buffer =>
  oneShot ? oneShot('sha256', data, 'buffer') : crypto.createHash('sha256').update(data).digest();

/**
 * HMAC-SHA256 (RFC 2104) with `key`'s inner and outer pads (and `prefix`, for domain separation) laid out
 * once: each MAC is then two one-shot hashes, no object per call. Synchronous, so one scratch buffer
 * serves every call. Equal to `createHmac('sha256', key).update(prefix).update(message).digest()`.
 */
export function hmacSha256(key: Uint8Array, prefix: Uint8Array = new Uint8Array(0)): HmacSha256 {
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(key.length > BLOCK_BYTES ? sha256(key) : key);
  const outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES);
  let inner = Buffer.alloc(BLOCK_BYTES + prefix.length + 512);
  for (let index = 0; index < BLOCK_BYTES; index += 1) {
    inner[index] = (block[index] as number) ^ 0x36;
    outer[index] = (block[index] as number) ^ 0x5c;
  }
  inner.set(prefix, BLOCK_BYTES);
  const messageStart = BLOCK_BYTES + prefix.length;
  return (message) => {
    if (messageStart + message.length > inner.length) {
      const larger = Buffer.alloc(messageStart + message.length);
      inner.copy(larger, 0, 0, messageStart);
      inner = larger;
    }
    inner.set(message, messageStart);
    outer.set(sha256(inner.subarray(0, messageStart + message.length)), BLOCK_BYTES);
    return sha256(outer);
  };
}

import { describe, expect, it } from 'vitest';
import { createByteQueue } from './byte-queue.js';

describe('createByteQueue', () => {
  it('returns bytes in order across pushes and takes of any size', () => {
    const queue = createByteQueue(16);
    const all = Uint8Array.from({ length: 1000 }, (_, index) => index % 251);
    let offset = 0;
    const taken: number[] = [];
    for (const size of [3, 17, 40, 1, 200, 339, 400]) {
      queue.push(all.subarray(offset, offset + size));
      offset += size;
      for (const byte of queue.take(Math.floor(size / 2) + 5)) taken.push(byte);
    }
    for (const byte of queue.take(queue.length)) taken.push(byte);
    expect(offset).toBe(1000);
    expect(Uint8Array.from(taken)).toEqual(all);
    expect(queue.length).toBe(0);
  });

  it('takes no more than it holds and forgets everything on clear', () => {
    const queue = createByteQueue();
    queue.push(new Uint8Array([1, 2, 3]));
    expect(queue.take(10)).toEqual(new Uint8Array([1, 2, 3]));
    queue.push(new Uint8Array([4, 5]));
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.take(2)).toEqual(new Uint8Array([]));
  });

  it('does not alias the caller buffer', () => {
    const queue = createByteQueue();
    const input = new Uint8Array([9, 9]);
    queue.push(input);
    input[0] = 0;
    const out = queue.take(2);
    expect(out).toEqual(new Uint8Array([9, 9]));
  });
});

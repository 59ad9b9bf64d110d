import { describe, expect, it } from 'vitest';
import { createScratchBytes } from './scratch-bytes.js';

describe('createScratchBytes', () => {
  it('gives exactly the bytes asked for, the same view for the same length', () => {
    const scratch = createScratchBytes(8);
    const first = scratch.take(4);
    expect(first.length).toBe(4);
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(scratch.take(4)).toBe(first);
  });

  it('reuses one store for shorter and equal lengths, and grows for longer ones', () => {
    const scratch = createScratchBytes(8);
    const four = scratch.take(4);
    const eight = scratch.take(8);
    expect(eight.buffer).toBe(four.buffer);
    const twenty = scratch.take(20);
    expect(twenty.length).toBe(20);
    expect(twenty.buffer).not.toBe(four.buffer);
    expect(scratch.take(3).buffer).toBe(twenty.buffer);
  });

  it('gives an empty view for zero bytes', () => {
    expect(createScratchBytes().take(0).length).toBe(0);
  });

  it('starts at 640 bytes (20 ms of 16 kHz L16) without growing', () => {
    const scratch = createScratchBytes();
    expect(scratch.take(640).buffer).toBe(scratch.take(1).buffer);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVonageFramer, vonageFrameBytes } from './framer.js';

function bytes(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let index = 0; index < length; index++) out[index] = (index * 13 + seed) & 0xff;
  return out;
}

describe('createVonageFramer', () => {
  it('uses 320-byte frames at 8 kHz and 640-byte frames at 16 kHz', () => {
    expect(vonageFrameBytes(8000)).toBe(320);
    expect(vonageFrameBytes(16000)).toBe(640);
    expect(createVonageFramer(16000).frameBytes).toBe(640);
  });

  it('returns whole frames and carries the remainder to the next push', () => {
    const framer = createVonageFramer(16000);
    expect(framer.push(bytes(600))).toEqual([]);
    const frames = framer.push(bytes(1400, 1));
    expect(frames.map((frame) => frame.length)).toEqual([640, 640, 640]);
    expect(framer.bufferedBytes).toBe(80);
    expect(Buffer.concat(frames)).toEqual(Buffer.concat([bytes(600), bytes(1400, 1)]).subarray(0, 1920));
  });

  it('pads the remainder with silence on flush and drops it on clear', () => {
    const framer = createVonageFramer(8000);
    framer.push(bytes(100));
    const [last, ...more] = framer.flush();
    expect(more).toEqual([]);
    expect(last?.length).toBe(320);
    expect(last?.subarray(0, 100)).toEqual(bytes(100));
    expect(last?.subarray(100).every((byte) => byte === 0)).toBe(true);
    expect(framer.flush()).toEqual([]);
    framer.push(bytes(100));
    expect(framer.clear()).toBe(100);
    expect(framer.flush()).toEqual([]);
  });

  it('hands out copies: reusing the pushed buffer afterwards changes no frame', () => {
    const framer = createVonageFramer(8000);
    const input = new Uint8Array(800).fill(7);
    const frames = [...framer.push(input.subarray(0, 100)), ...framer.push(input.subarray(100))];
    input.fill(9);
    expect(frames).toHaveLength(2);
    for (const frame of frames) expect(frame.every((byte) => byte === 7)).toBe(true);
    expect(
      framer
        .flush()[0]
        ?.subarray(0, 160)
        .every((byte) => byte === 7),
    ).toBe(true);
  });

  it('hands out copies of a Buffer too, whose slice() is a view', () => {
    const framer = createVonageFramer(8000);
    const input = Buffer.alloc(640, 7);
    const frames = framer.push(input);
    input.fill(9);
    expect(frames).toHaveLength(2);
    for (const frame of frames) expect(frame.every((byte) => byte === 7)).toBe(true);
  });

  it('refuses a rate without whole 20 ms frames', () => {
    expect(() => createVonageFramer(11025)).toThrow(RangeError);
  });

  it('keeps every byte in order in exact frames, however the audio is pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 25 }), (sizes) => {
        const framer = createVonageFramer(16000);
        const input = sizes.map((size, index) => bytes(size, index));
        const frames = input.flatMap((piece) => framer.push(piece));
        const last = framer.flush();
        expect(last.length).toBeLessThanOrEqual(1);
        for (const frame of [...frames, ...last]) expect(frame.length).toBe(640);
        const expected = Buffer.concat(input);
        const all = Buffer.concat([...frames, ...last]);
        expect(all.length - expected.length).toBeLessThan(640);
        expect(Buffer.compare(all.subarray(0, expected.length), expected)).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
});

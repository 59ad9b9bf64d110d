import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createExotelChunker } from './chunker.js';

function bytes(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let index = 0; index < length; index++) out[index] = (index * 7 + seed) & 0xff;
  return out;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

describe('createExotelChunker', () => {
  it('holds audio back until 3200 bytes are buffered, then sends what is on the 320-byte grid', () => {
    const chunker = createExotelChunker();
    expect(chunker.push(bytes(3000))).toEqual([]);
    expect(chunker.bufferedBytes).toBe(3000);
    const ready = chunker.push(bytes(500, 3));
    expect(ready.map((chunk) => chunk.length)).toEqual([3200]);
    expect(chunker.bufferedBytes).toBe(300);
  });

  it('splits a large push into chunks of at most 99 840 bytes', () => {
    const chunker = createExotelChunker();
    const ready = chunker.push(bytes(250_000));
    expect(ready.map((chunk) => chunk.length)).toEqual([99_840, 99_840, 50_240]);
    expect(chunker.bufferedBytes).toBe(80);
  });

  it('flushes the rest padded with silence up to the 320-byte grid', () => {
    const chunker = createExotelChunker();
    chunker.push(bytes(1000));
    const [tail, ...more] = chunker.flush();
    expect(more).toEqual([]);
    expect(tail?.length).toBe(1280);
    expect(tail?.subarray(0, 1000)).toEqual(bytes(1000));
    expect(tail?.subarray(1000).every((byte) => byte === 0)).toBe(true);
    expect(chunker.flush()).toEqual([]);
  });

  it('drops what it holds on clear', () => {
    const chunker = createExotelChunker();
    chunker.push(bytes(1000));
    expect(chunker.clear()).toBe(1000);
    expect(chunker.flush()).toEqual([]);
  });

  it('honours a larger minimum chunk', () => {
    const chunker = createExotelChunker({ minChunkBytes: 6400 });
    expect(chunker.push(bytes(6000))).toEqual([]);
    expect(chunker.push(bytes(700)).map((chunk) => chunk.length)).toEqual([6400]);
  });

  it('refuses a window off the 320-byte grid', () => {
    expect(() => createExotelChunker({ minChunkBytes: 3000 })).toThrow(RangeError);
    expect(() => createExotelChunker({ minChunkBytes: 6400, maxChunkBytes: 3200 })).toThrow(RangeError);
  });

  it('keeps every byte in order and every chunk legal, however the audio is pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30_000 }), { maxLength: 20 }), (sizes) => {
        const chunker = createExotelChunker();
        const input = sizes.map((size, index) => bytes(size, index));
        const sent: Uint8Array[] = [];
        for (const piece of input) {
          for (const chunk of chunker.push(piece)) {
            expect(chunk.length % 320).toBe(0);
            expect(chunk.length).toBeGreaterThanOrEqual(3200);
            expect(chunk.length).toBeLessThanOrEqual(99_840);
            sent.push(chunk);
          }
        }
        const tail = chunker.flush();
        for (const chunk of tail) {
          expect(chunk.length % 320).toBe(0);
          expect(chunk.length).toBeLessThanOrEqual(99_840);
        }
        const expected = concat(input);
        const all = concat([...sent, ...tail]);
        expect(all.length - expected.length).toBeLessThan(320);
        expect(Buffer.compare(all.subarray(0, expected.length), expected)).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});

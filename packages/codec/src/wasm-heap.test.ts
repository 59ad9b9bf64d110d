import { describe, expect, it } from 'vitest';
import { createWasmHeap, type WasmMemory } from './wasm-heap.js';

const { Memory } = (
  globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => WasmMemory } }
).WebAssembly;

describe('createWasmHeap', () => {
  it('hands out 16-byte aligned blocks that do not overlap, with slack after each, never at 0', () => {
    const heap = createWasmHeap(new Memory({ initial: 1 }));
    const blocks = [1, 4, 15, 16, 17, 100, 1000].map((byteLength) => ({
      byteLength,
      address: heap.allocate(byteLength),
    }));
    for (const block of blocks) {
      expect(block.address % 16).toBe(0);
      expect(block.address).toBeGreaterThan(0);
    }
    const sorted = [...blocks].sort((a, b) => a.address - b.address);
    for (let i = 1; i < sorted.length; i++) {
      // At least 16 bytes between one block's end and the next one's start.
      expect(sorted[i]!.address).toBeGreaterThanOrEqual(
        sorted[i - 1]!.address + sorted[i - 1]!.byteLength + 16,
      );
    }
  });

  it('reuses freed blocks, merging neighbours into one', () => {
    const heap = createWasmHeap(new Memory({ initial: 1 }));
    const a = heap.allocate(1000);
    const b = heap.allocate(1000);
    const c = heap.allocate(1000);
    heap.allocate(1000); // keeps c's neighbour busy
    heap.free(a, 1000);
    heap.free(c, 1000);
    heap.free(b, 1000);
    // a, b and c are one free block again: a block of three fits exactly where a was.
    expect(heap.allocate(3000)).toBe(a);
  });

  it('grows the memory when nothing fits, keeping the data and replacing the views', () => {
    const memory = new Memory({ initial: 1 });
    const heap = createWasmHeap(memory);
    const first = heap.allocate(40000);
    heap.f32.fill(0.5, first >> 2, (first + 40000) >> 2);
    const oldView = heap.f32;
    const second = heap.allocate(100000);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(second + 100000);
    expect(oldView.length).toBe(0); // detached by the grow
    expect(heap.f32.buffer).toBe(memory.buffer);
    expect(heap.f32.length * 4).toBe(memory.buffer.byteLength);
    expect(heap.i16.length * 2).toBe(memory.buffer.byteLength);
    expect(heap.i32.length * 4).toBe(memory.buffer.byteLength);
    expect(heap.f32[first >> 2]).toBe(0.5);
    expect(heap.f32[(first + 39996) >> 2]).toBe(0.5);
    expect(second).toBeGreaterThanOrEqual(first + 40000);
    // The grown space continues the old free tail: one more block still fits without another grow.
    const pages = memory.buffer.byteLength;
    heap.allocate(1000);
    expect(memory.buffer.byteLength).toBe(pages);
  });
});

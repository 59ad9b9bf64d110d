/**
 * A first-fit allocator over one WebAssembly memory, shared by every SIMD resampler in the process:
 * a resampler's history is about 4 KiB, far less than the 64 KiB a memory of its own would take.
 * Blocks are 16-byte aligned and carry 16 bytes of slack after their end (the SIMD kernel may read
 * one f32 past a stride-2 row). Growing the memory detaches old views, so users read `f32`/`i16`
 * afresh after any `allocate`.
 */
/** The part of a `WebAssembly.Memory` the heap uses (the lib has no WebAssembly types without DOM). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmHeap {
  readonly memory: WasmMemory;
  /** Views of the whole memory, replaced whenever it grows. */
  readonly f32: Float32Array;
  readonly i16: Int16Array;
  readonly i32: Int32Array;
  /** A block of at least `byteLength` bytes; returns its byte address (a multiple of 16). */
  allocate(byteLength: number): number;
  /** Returns a block from `allocate` (with the same `byteLength`) to the heap. */
  free(address: number, byteLength: number): void;
}

const ALIGN_BYTES = 16;
const SLACK_BYTES = 16;
const PAGE_BYTES = 65536;

function blockBytes(byteLength: number): number {
  return Math.ceil((byteLength + SLACK_BYTES) / ALIGN_BYTES) * ALIGN_BYTES;
}

/** Manages `memory` (all of it; address 0 is never handed out, so 0 can mean "none"). */
export function createWasmHeap(memory: WasmMemory): WasmHeap {
  // Free blocks, sorted by address, adjacent ones merged.
  const freeStarts: number[] = [ALIGN_BYTES];
  const freeSizes: number[] = [memory.buffer.byteLength - ALIGN_BYTES];
  const heap = {
    memory,
    f32: new Float32Array(memory.buffer),
    i16: new Int16Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    allocate(byteLength: number): number {
      const size = blockBytes(byteLength);
      let index = freeSizes.findIndex((free) => free >= size);
      if (index < 0) {
        grow(size);
        index = freeSizes.length - 1;
      }
      const address = freeStarts[index]!;
      if (freeSizes[index] === size) {
        freeStarts.splice(index, 1);
        freeSizes.splice(index, 1);
      } else {
        freeStarts[index] = address + size;
        freeSizes[index]! -= size;
      }
      return address;
    },
    free(address: number, byteLength: number): void {
      const size = blockBytes(byteLength);
      let index = 0;
      while (index < freeStarts.length && freeStarts[index]! < address) index++;
      freeStarts.splice(index, 0, address);
      freeSizes.splice(index, 0, size);
      // Merge with the next block, then with the previous one.
      if (index + 1 < freeStarts.length && address + size === freeStarts[index + 1]) {
        freeSizes[index]! += freeSizes[index + 1]!;
        freeStarts.splice(index + 1, 1);
        freeSizes.splice(index + 1, 1);
      }
      if (index > 0 && freeStarts[index - 1]! + freeSizes[index - 1]! === address) {
        freeSizes[index - 1]! += freeSizes[index]!;
        freeStarts.splice(index, 1);
        freeSizes.splice(index, 1);
      }
    },
  };

  /** Grows the memory (at least doubling it) so that its last free block holds `size` bytes. */
  function grow(size: number): void {
    const oldBytes = memory.buffer.byteLength;
    const last = freeStarts.length - 1;
    const tailFree = last >= 0 && freeStarts[last]! + freeSizes[last]! === oldBytes ? freeSizes[last]! : 0;
    const pages = Math.max(oldBytes / PAGE_BYTES, Math.ceil((size - tailFree) / PAGE_BYTES));
    memory.grow(pages);
    const added = pages * PAGE_BYTES;
    if (tailFree > 0) freeSizes[last]! += added;
    else {
      freeStarts.push(oldBytes);
      freeSizes.push(added);
    }
    heap.f32 = new Float32Array(memory.buffer);
    heap.i16 = new Int16Array(memory.buffer);
    heap.i32 = new Int32Array(memory.buffer);
  }

  return heap;
}

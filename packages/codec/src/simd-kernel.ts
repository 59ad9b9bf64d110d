import type { PolyphaseFilter } from './polyphase-filter.js';
import type { PolyphaseKernel } from './polyphase-kernel.js';
import { ROW_DENSE, ROW_IMPULSE, sparsePhaseRows } from './sparse-phase-rows.js';
import { POLYPHASE_WASM_BASE64 } from './wasm/polyphase-wasm.js';
import { createWasmHeap, type WasmHeap, type WasmMemory } from './wasm-heap.js';

/** The part of the WebAssembly JS API used here (TypeScript declares it only with the DOM lib). */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

type ResampleExport = (
  rows: number,
  up: number,
  down: number,
  history: number,
  index: number,
  phase: number,
  anchorStep: number,
  phaseStep: number,
  count: number,
  out: number,
) => void;

interface SimdRuntime {
  readonly heap: WasmHeap;
  readonly resample: ResampleExport;
  /** Returns a finished resampler's history block to the heap. */
  readonly released: FinalizationRegistry<HeapBlock>;
}

interface HeapBlock {
  address: number;
  byteLength: number;
}

/** Bytes per phase in a row table (layout in polyphase.wat). */
const ROW_BYTES = 16;
/** Outputs up to this many (256 KiB of int16s) are computed straight into the shared scratch. */
const MAX_DIRECT_SAMPLES = 1 << 17;

let runtime: SimdRuntime | undefined | null = null; // null: not tried yet; undefined: unavailable
const scratch: HeapBlock = { address: 0, byteLength: 0 };
const rowTables = new WeakMap<PolyphaseFilter, number>();

/** Compiles the kernel once; undefined where WebAssembly or its SIMD proposal is missing. */
function simdRuntime(): SimdRuntime | undefined {
  if (runtime !== null) return runtime;
  runtime = undefined;
  try {
    const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
    if (wasm === undefined) return runtime;
    const bytes = Uint8Array.from(atob(POLYPHASE_WASM_BASE64), (char) => char.charCodeAt(0));
    // Compiling validates every instruction: a runtime without SIMD throws a CompileError here.
    const instance = new wasm.Instance(new wasm.Module(bytes));
    const heap = createWasmHeap(instance.exports.memory as WasmMemory);
    runtime = {
      heap,
      resample: instance.exports.resample as ResampleExport,
      released: new FinalizationRegistry((block) => heap.free(block.address, block.byteLength)),
    };
  } catch {
    runtime = undefined;
  }
  return runtime;
}

/** Whether this runtime can run the WebAssembly SIMD kernel (compiled on first call). */
export function simdKernelSupported(): boolean {
  return simdRuntime() !== undefined;
}

/**
 * The heap address of `filter`'s row table (layout in polyphase.wat), written once per design: one-tap
 * rows as they are, every other row dense, trimmed to the groups of four taps that hold its non-zero
 * weights (a halfband decimator's zeros included), with its weights in f32.
 */
function rowTable(filter: PolyphaseFilter, heap: WasmHeap): number {
  let address = rowTables.get(filter);
  if (address !== undefined) return address;
  const { up, tapCount, coefficients } = filter;
  const sparse = sparsePhaseRows(filter);
  const first = new Int32Array(up);
  const count = new Int32Array(up);
  let weightCount = 0;
  for (let phase = 0; phase < up; phase++) {
    if (sparse.kind[phase] === ROW_IMPULSE) {
      first[phase] = sparse.first[phase]!;
      count[phase] = 1;
    } else {
      const row = coefficients.subarray(phase * tapCount, (phase + 1) * tapCount);
      const lowest = row.findIndex((weight) => weight !== 0);
      let highest = tapCount - 1;
      while (row[highest] === 0) highest--;
      first[phase] = lowest - (lowest % 4);
      count[phase] = Math.ceil((highest + 1) / 4) * 4 - first[phase]!;
    }
    weightCount += count[phase]!;
  }
  const tableBytes = up * ROW_BYTES;
  address = heap.allocate(tableBytes + weightCount * 4);
  const { i32, f32 } = heap;
  let weightIndex = (address + tableBytes) >> 2;
  for (let phase = 0; phase < up; phase++) {
    const word = (address + phase * ROW_BYTES) >> 2;
    i32[word] = sparse.kind[phase] === ROW_IMPULSE ? ROW_IMPULSE : ROW_DENSE;
    i32[word + 1] = first[phase]!;
    i32[word + 2] = count[phase]!;
    i32[word + 3] = weightIndex * 4;
    const start = phase * tapCount + first[phase]!;
    f32.set(coefficients.subarray(start, start + count[phase]!), weightIndex);
    weightIndex += count[phase]!;
  }
  rowTables.set(filter, address);
  return address;
}

/** Makes the shared output scratch hold at least `samples` int16s (it only grows). */
function reserveScratch(heap: WasmHeap, samples: number): void {
  if (scratch.byteLength >= samples * 2) return;
  if (scratch.byteLength > 0) heap.free(scratch.address, scratch.byteLength);
  scratch.byteLength = Math.max(samples, 4096) * 2;
  scratch.address = heap.allocate(scratch.byteLength);
}

/**
 * The WebAssembly SIMD kernel, or undefined where it cannot run. Its history lives in the shared
 * heap (returned when the resampler is garbage-collected); outputs are summed in f32x4 into a shared
 * scratch and handed out with one `slice` (which allocates the output array, as the JS kernel's
 * `new Int16Array` does, and fills it with a memcpy instead of zeros).
 */
export function createSimdKernel(
  filter: PolyphaseFilter,
  initialCapacity: number,
): PolyphaseKernel | undefined {
  const simd = simdRuntime();
  if (simd === undefined) return undefined;
  const { heap, resample } = simd;
  const { up, down } = filter;
  const rows = rowTable(filter, heap);
  const anchorStep = Math.floor(down / up);
  const phaseStep = down - anchorStep * up;
  const history: HeapBlock = { address: 0, byteLength: initialCapacity * 4 };
  history.address = heap.allocate(history.byteLength);
  let total = 0;
  // Outputs too long for the scratch are computed piece by piece into a JS array.
  let big: Int16Array | undefined;

  const kernel: PolyphaseKernel = {
    get samples() {
      return heap.f32;
    },
    get base() {
      return history.address >> 2;
    },
    get capacity() {
      return history.byteLength >> 2;
    },
    reserve(length, keep) {
      if (length * 4 <= history.byteLength) return;
      const byteLength = length * 4;
      const address = heap.allocate(byteLength);
      heap.f32.copyWithin(address >> 2, history.address >> 2, (history.address >> 2) + keep);
      heap.free(history.address, history.byteLength);
      history.address = address;
      history.byteLength = byteLength;
    },
    begin(samples) {
      total = samples;
      if (samples <= MAX_DIRECT_SAMPLES) {
        reserveScratch(heap, samples);
        big = undefined;
      } else {
        big = new Int16Array(samples);
      }
    },
    compute(index, phase, count, offset) {
      if (big === undefined) {
        resample(
          rows,
          up,
          down,
          history.address,
          index,
          phase,
          anchorStep,
          phaseStep,
          count,
          scratch.address + offset * 2,
        );
        return;
      }
      reserveScratch(heap, count);
      resample(rows, up, down, history.address, index, phase, anchorStep, phaseStep, count, scratch.address);
      const start = scratch.address >> 1;
      big.set(heap.i16.subarray(start, start + count), offset);
    },
    finish() {
      if (big !== undefined) {
        const done = big;
        big = undefined;
        return done;
      }
      const start = scratch.address >> 1;
      return heap.i16.slice(start, start + total);
    },
  };
  simd.released.register(kernel, history);
  return kernel;
}

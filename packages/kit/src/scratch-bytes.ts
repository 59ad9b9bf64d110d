/**
 * A reused byte buffer for per-frame work whose bytes never leave the call (base64 decoded on its
 * way to PCM, PCM encoded on its way to base64).
 */
export interface ScratchBytes {
  /**
   * `byteLength` bytes of the buffer (grown once per new maximum), overwritten by the next `take`.
   * Frames of a call are nearly always one size, so the same view is returned again and again.
   */
  take(byteLength: number): Buffer;
}

/** A `ScratchBytes` starting at `initialByteLength` bytes (a 20 ms frame of 16 kHz L16 is 640). */
export function createScratchBytes(initialByteLength = 640): ScratchBytes {
  let buffer = Buffer.alloc(initialByteLength);
  let view = buffer.subarray(0, 0);
  return {
    take(byteLength) {
      if (view.length === byteLength) return view;
      if (byteLength > buffer.length) buffer = Buffer.alloc(byteLength);
      view = buffer.subarray(0, byteLength);
      return view;
    },
  };
}

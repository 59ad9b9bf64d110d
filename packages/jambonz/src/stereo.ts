/** Bytes in one frame of interleaved 16-bit stereo: two samples of two bytes. */
const STEREO_FRAME_BYTES = 4;

/**
 * The first channel of interleaved 16-bit stereo `bytes`, as 16-bit mono bytes in a new array. A
 * trailing partial frame (fewer than 4 bytes) is left out.
 */
export function firstChannelOfStereo(bytes: Uint8Array): Uint8Array {
  const frames = Math.floor(bytes.length / STEREO_FRAME_BYTES);
  const mono = new Uint8Array(frames * 2);
  for (let frame = 0; frame < frames; frame++) {
    mono[2 * frame] = bytes[STEREO_FRAME_BYTES * frame] as number;
    mono[2 * frame + 1] = bytes[STEREO_FRAME_BYTES * frame + 1] as number;
  }
  return mono;
}

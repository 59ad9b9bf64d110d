/**
 * Cuts a carrier's outbound wire bytes into the messages it accepts (exact 20 ms frames, or
 * chunks on a byte grid), holding back what does not fill one yet. Every chunk it returns
 * is a new array the caller may keep.
 */
export interface Framer {
  /** Takes `bytes` (copied; the caller may reuse them) and returns every chunk now complete. */
  push(bytes: Uint8Array): Uint8Array[];
  /** Returns what is held back as whole chunks (the last padded as the carrier requires), and empties. */
  flush(): Uint8Array[];
  /** Forgets what is held back (a barge-in: nothing from before it may be played). */
  clear(): void;
}

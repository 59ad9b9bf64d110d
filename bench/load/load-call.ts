/** Frames per second each way on a carrier media stream (20 ms frames). */
export const FRAMES_PER_SECOND = 50;

/** What one simulated call reports after streaming. */
export interface LoadCallResult {
  /** Media frames sent. */
  readonly sent: number;
  /** Sent frames whose audio came back. */
  readonly returned: number;
}

/**
 * A connected simulated call (its `start` already sent). The load driver paces it: one
 * `sendFrame()` per 20 ms, the calls' frame clocks spread evenly over the 20 ms period.
 */
export interface LoadCall {
  /** Gets ready to send `frameCount` frames; `onTurnaround(frameIndex, ms)` runs as each one's audio comes back. */
  prepare(frameCount: number, onTurnaround: (frameIndex: number, turnaroundMs: number) => void): void;
  /** Sends the next 20 ms media frame now; false when the socket is no longer open. */
  sendFrame(): boolean;
  /** Frames sent and returned so far. */
  result(): LoadCallResult;
  /** Closes the socket (the server ends the call). */
  close(): Promise<void>;
}

/** Opens one simulated call against `url` (connected, `start` sent, when it resolves). */
export type ConnectLoadCall = (url: string, index: number) => Promise<LoadCall>;

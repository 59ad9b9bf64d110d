/**
 * A log destination that holds every line until `release()`, then writes through. The start-up lines
 * (a carrier without credentials, the server listening) come out after the banner that sums them up,
 * instead of raw JSON before it.
 */
export interface HeldLog {
  write(line: string): void;
  /** Writes the held lines, then every later one at once. */
  release(): void;
}

/** A held log in front of `target` (standard output by default). */
export function heldLog(target: { write(line: string): unknown } = process.stdout): HeldLog {
  let held: string[] | undefined = [];
  return {
    write(line) {
      if (held) held.push(line);
      else target.write(line);
    },
    release() {
      const lines = held ?? [];
      held = undefined;
      for (const line of lines) target.write(line);
    },
  };
}

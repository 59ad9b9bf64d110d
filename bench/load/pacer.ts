/**
 * Sends frame `k` of call `i` at `startAtMs + (k * calls + i) * periodMs / calls`: every call
 * at one frame per `periodMs`, the calls' clocks spread evenly over the period, driven by one
 * timer rather than one per call. A late tick catches up at once (nothing is skipped), so
 * client-side stalls show up as turnaround, not as fewer frames. Resolves after the last frame.
 */
export function paceFrames(options: {
  calls: number;
  framesPerCall: number;
  periodMs: number;
  startAtMs: number;
  send(callIndex: number): void;
}): Promise<void> {
  const { calls, framesPerCall, periodMs, startAtMs, send } = options;
  const totalSlots = calls * framesPerCall;
  const slotMs = periodMs / calls;
  let nextSlot = 0;
  return new Promise((resolve) => {
    const tick = (): void => {
      const due = Math.min(totalSlots, Math.floor((performance.now() - startAtMs) / slotMs) + 1);
      while (nextSlot < due) {
        send(nextSlot % calls);
        nextSlot++;
      }
      if (nextSlot >= totalSlots) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, startAtMs + nextSlot * slotMs - performance.now()));
    };
    setTimeout(tick, Math.max(0, startAtMs - performance.now()));
  });
}

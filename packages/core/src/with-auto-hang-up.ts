import { createHangUpOnce } from './auto-hang-up.js';
import type { CallControl } from './call-control.js';
import type { Frame, StartFrame } from './frames.js';
import type { Logger } from './logger.js';
import type { FrameSerializer, WireMessage, WireSerializer } from './serializer.js';

function oneOrMany<T>(items: T[]): T | T[] | undefined {
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : items;
}

/**
 * Pipecat's behaviour on top of a pure `WireSerializer`, for users who drive a serializer
 * themselves: `serialize(end | cancel)` returns the frame's messages and hangs the call up once
 * through `control` (when the serializer's `autoHangUp` is on). Never throws on wire input.
 */
export function withAutoHangUp(wire: WireSerializer, control: CallControl, logger: Logger): FrameSerializer {
  const hangUpOnce = createHangUpOnce({
    carrier: wire.carrier,
    control,
    callId: wire.callId,
    enabled: wire.autoHangUp,
    logger,
  });
  return {
    carrier: wire.carrier,
    async setup(start: StartFrame) {
      wire.setup(start);
    },
    async serialize(frame: Frame): Promise<WireMessage | WireMessage[] | undefined> {
      const messages = wire.serialize(frame);
      if (frame?.type === 'end' || frame?.type === 'cancel') await hangUpOnce();
      return oneOrMany(messages);
    },
    async deserialize(data: WireMessage): Promise<Frame | Frame[] | undefined> {
      return oneOrMany(wire.deserialize(data));
    },
  };
}

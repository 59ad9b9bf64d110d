import { checkpointFrame, outputAudioFrame } from '@callwire/core';
import type { Call, CallHandler } from '@callwire/server';

/** A tone: frequency in Hz, duration in ms. */
type Tone = readonly [frequencyHz: number, durationMs: number];

const toneSampleRate = 16_000;
/** Audio is sent in 20 ms chunks, the size carriers stream in. */
const chunkMs = 20;
const greeting: readonly Tone[] = [
  [523, 160],
  [659, 160],
  [784, 240],
];
const beep: readonly Tone[] = [[880, 400]];

/** A sine tone at `frequencyHz` for `durationMs`, 16-bit PCM at `sampleRate` Hz, with 5 ms fades. */
export function toneSamples(
  frequencyHz: number,
  durationMs: number,
  sampleRate = toneSampleRate,
): Int16Array {
  const length = Math.round((durationMs * sampleRate) / 1000);
  const fade = Math.min(Math.round(sampleRate / 200), Math.floor(length / 2));
  const pcm = new Int16Array(length);
  for (let index = 0; index < length; index += 1) {
    const envelope = Math.min(1, index / fade, (length - 1 - index) / fade);
    pcm[index] = Math.round(
      0.3 * 32767 * envelope * Math.sin((2 * Math.PI * frequencyHz * index) / sampleRate),
    );
  }
  return pcm;
}

async function playTones(call: Call, tones: readonly Tone[]): Promise<void> {
  const chunk = (toneSampleRate * chunkMs) / 1000;
  for (const [frequencyHz, durationMs] of tones) {
    const pcm = toneSamples(frequencyHz, durationMs);
    for (let start = 0; start < pcm.length; start += chunk) {
      await call.send(outputAudioFrame(pcm.subarray(start, start + chunk), toneSampleRate));
    }
  }
}

/**
 * A keypad menu: greets with a three-tone chime, then `1` plays a beep, `2` asks the carrier for
 * a checkpoint and reports when it is acknowledged (everything sent before it was played), and
 * `#` says goodbye and hangs up. Reports go to the call's logger.
 */
export const ivrBot: CallHandler = async (call) => {
  await playTones(call, greeting);
  call.logger.info('ivr: greeting sent; press 1 for a tone, 2 for a checkpoint, # to hang up');
  let checkpoints = 0;
  for await (const frame of call.frames) {
    if (frame.type === 'checkpoint-reached') {
      call.logger.info({ checkpoint: frame.name }, 'ivr: checkpoint acknowledged');
      continue;
    }
    if (frame.type !== 'input-dtmf') continue;
    call.logger.info({ digit: frame.digit }, 'ivr: key pressed');
    if (frame.digit === '1') {
      await playTones(call, beep);
    } else if (frame.digit === '2') {
      checkpoints += 1;
      const name = `checkpoint-${checkpoints}`;
      await call.send(checkpointFrame(name));
      call.logger.info({ checkpoint: name }, 'ivr: checkpoint requested');
    } else if (frame.digit === '#') {
      call.logger.info('ivr: goodbye, hanging up');
      await call.hangUp();
      return;
    }
  }
};

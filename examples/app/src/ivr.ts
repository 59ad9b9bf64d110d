import { checkpointFrame, outputAudioFrame } from '@callwire/core';
import type { Call, CallHandler, PlayedResult } from '@callwire/server';

/** A tone: frequency in Hz, duration in ms. */
type Tone = readonly [frequencyHz: number, durationMs: number];

const toneSampleRate = 16_000;
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

/** `tones` back to back as one item: 16-bit PCM at the tone rate. */
function tonesPcm(tones: readonly Tone[]): Int16Array {
  const parts = tones.map(([frequencyHz, durationMs]) => toneSamples(frequencyHz, durationMs));
  const pcm = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    pcm.set(part, offset);
    offset += part.length;
  }
  return pcm;
}

/** Plays `tones` as the item `id`; resolves with what the caller heard of it (see `call.play`). */
function playTones(call: Call, tones: readonly Tone[], id: string): Promise<PlayedResult> {
  return call.play(outputAudioFrame(tonesPcm(tones), toneSampleRate), { id }).played;
}

/** Who the bot greets: a `name` custom parameter of the stream, else the calling number. */
export function callerName(call: Pick<Call, 'info'>): string {
  return call.info.customParameters.name ?? call.info.from ?? 'caller';
}

/**
 * A keypad menu: greets the caller (by the stream's `name` custom parameter, else the calling
 * number) with a three-tone chime and waits until the carrier says it was heard before offering the
 * menu; then `1` plays a beep (and reports how much was heard), `2` asks the carrier for a
 * checkpoint and reports when it is acknowledged (everything sent before it was played), and `#`
 * says goodbye and hangs up. Reports go to the call's logger.
 */
export const ivrBot: CallHandler = async (call) => {
  call.logger.info({ caller: callerName(call) }, 'ivr: greeting the caller');
  const greeted = await playTones(call, greeting, 'greeting');
  call.logger.info(
    { heardMs: greeted.heardMs, exact: greeted.exact },
    'ivr: greeting heard; press 1 for a tone, 2 for a checkpoint, # to hang up',
  );
  let checkpoints = 0;
  for await (const frame of call.frames) {
    if (frame.type === 'checkpoint-reached') {
      call.logger.info({ checkpoint: frame.name }, 'ivr: checkpoint acknowledged');
      continue;
    }
    if (frame.type !== 'input-dtmf') continue;
    call.logger.info({ digit: frame.digit }, 'ivr: key pressed');
    if (frame.digit === '1') {
      const beeped = await playTones(call, beep, 'beep');
      call.logger.info({ heardMs: beeped.heardMs, exact: beeped.exact }, 'ivr: beep heard');
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
    // A key that hands the caller to a human (`call.transfer(target)`, issue 18 item 4) goes here.
  }
};

import { CallwireError, checkpointFrame, outputAudioFrame, transferTargetProblem } from '@callwire/core';
import type { Call, CallHandler, PlayedResult } from '@callwire/server';

/** The environment variable naming where `0` transfers the caller (`pnpm serve --bot ivr`). */
export const IVR_TRANSFER_TO_ENV = 'CALLWIRE_IVR_TRANSFER_TO';

/** How the IVR bot is set up. */
export interface IvrBotOptions {
  /**
   * Where `0` hands the caller over (`call.transfer({ to })`): an E.164 number or a `sip:` URI.
   * Absent: `0` says there is no operator and the menu goes on.
   */
  readonly transferTo?: string;
}

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
 * checkpoint and reports when it is acknowledged (everything sent before it was played), `0` hands
 * the caller to `options.transferTo` (the call ends when the carrier took it; an unsupported or
 * failed transfer is reported and the menu goes on), and `#` says goodbye and hangs up. Reports go
 * to the call's logger. Throws at set-up when `transferTo` is not a number or `sip:` URI.
 */
export function createIvrBot(options: IvrBotOptions = {}): CallHandler {
  const { transferTo } = options;
  const problem = transferTo === undefined ? undefined : transferTargetProblem({ to: transferTo });
  if (problem) throw new CallwireError('CONFIG', `${IVR_TRANSFER_TO_ENV}: ${problem}`);
  return async (call) => {
    call.logger.info({ caller: callerName(call) }, 'ivr: greeting the caller');
    const greeted = await playTones(call, greeting, 'greeting');
    call.logger.info(
      { heardMs: greeted.heardMs, exact: greeted.exact },
      `ivr: greeting heard; press 1 for a tone, 2 for a checkpoint, ${transferTo ? '0 for an operator, ' : ''}# to hang up`,
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
      } else if (frame.digit === '0') {
        if (await transferToOperator(call, transferTo)) return;
      } else if (frame.digit === '#') {
        call.logger.info('ivr: goodbye, hanging up');
        await call.hangUp();
        return;
      }
    }
  };
}

/** Hands the caller to `transferTo`; true when the carrier took the call (it ends without a hang-up). */
async function transferToOperator(call: Call, transferTo: string | undefined): Promise<boolean> {
  if (transferTo === undefined) {
    call.logger.info(`ivr: no operator configured (set ${IVR_TRANSFER_TO_ENV}); the menu goes on`);
    return false;
  }
  call.logger.info({ to: transferTo }, 'ivr: transferring the caller to an operator');
  const result = await call.transfer({ to: transferTo });
  if (result.outcome === 'transferred') {
    call.logger.info({ to: transferTo }, 'ivr: caller transferred');
    return true;
  }
  call.logger.warn(
    { outcome: result.outcome, reason: result.reason },
    'ivr: transfer not done; the menu goes on',
  );
  return false;
}

/** The IVR bot with no operator to transfer to (`0` says so); see `createIvrBot`. */
export const ivrBot: CallHandler = createIvrBot();

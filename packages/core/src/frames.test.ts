import { describe, expect, it } from 'vitest';
import { DTMF_DIGITS } from './dtmf.js';
import { CallwireError } from './errors.js';
import {
  cancelFrame,
  checkpointFrame,
  checkpointReachedFrame,
  endFrame,
  inputAudioFrame,
  inputDtmfFrame,
  interruptionFrame,
  outputAudioFrame,
  outputDtmfFrame,
  startFrame,
  transportMessageFrame,
} from './frames.js';

function invalidFrameError(fn: () => unknown): CallwireError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallwireError);
    expect((error as CallwireError).code).toBe('INVALID_FRAME');
    return error as CallwireError;
  }
  throw new Error('expected an INVALID_FRAME error');
}

describe('frame factories', () => {
  it('builds plain frames tagged by type', () => {
    expect(endFrame()).toEqual({ type: 'end' });
    expect(cancelFrame()).toEqual({ type: 'cancel' });
    expect(interruptionFrame()).toEqual({ type: 'interruption' });
    expect(startFrame({ audioInSampleRate: 16000 })).toEqual({
      type: 'start',
      audioInSampleRate: 16000,
      audioOutSampleRate: 16000,
    });
    expect(startFrame({ audioInSampleRate: 16000, audioOutSampleRate: 24000 }).audioOutSampleRate).toBe(
      24000,
    );
  });

  it('keeps audio, rate and channels of audio frames', () => {
    const audio = new Int16Array([1, -2, 3, -4]);
    const input = inputAudioFrame(audio, 8000);
    expect(input).toEqual({ type: 'input-audio', audio, sampleRate: 8000, numChannels: 1 });
    expect(input.audio).toBe(audio);
    expect(outputAudioFrame(audio, 24000, 2)).toMatchObject({
      type: 'output-audio',
      sampleRate: 24000,
      numChannels: 2,
    });
  });

  it.each([0, -8000, 8000.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects sample rate %s', (rate) => {
    const error = invalidFrameError(() => inputAudioFrame(new Int16Array(2), rate));
    expect(error.message).toMatch(/sampleRate/);
    invalidFrameError(() => outputAudioFrame(new Int16Array(2), rate));
    invalidFrameError(() => startFrame({ audioInSampleRate: rate }));
    invalidFrameError(() => startFrame({ audioInSampleRate: 8000, audioOutSampleRate: rate }));
  });

  it('rejects audio that is not an Int16Array', () => {
    const notPcm = [new Float32Array(4), new Uint8Array(4), [1, 2], Buffer.alloc(4), undefined];
    for (const audio of notPcm) {
      const error = invalidFrameError(() => inputAudioFrame(audio as unknown as Int16Array, 8000));
      expect(error.message).toMatch(/Int16Array/);
    }
  });

  it('rejects a channel count that does not divide the samples', () => {
    invalidFrameError(() => outputAudioFrame(new Int16Array(3), 8000, 2));
    invalidFrameError(() => outputAudioFrame(new Int16Array(4), 8000, 0));
  });

  it('accepts all sixteen DTMF keys', () => {
    expect(DTMF_DIGITS).toHaveLength(16);
    for (const digit of DTMF_DIGITS) {
      expect(inputDtmfFrame(digit)).toEqual({ type: 'input-dtmf', digit });
    }
  });

  it.each(['X', 'a', '', '10', ' 1', 'E', '**'])('rejects DTMF digit %j', (digit) => {
    const error = invalidFrameError(() => inputDtmfFrame(digit));
    expect(error.message).toMatch(/0-9 \* # A B C D/);
  });

  it('validates output DTMF strings digit by digit', () => {
    expect(outputDtmfFrame('12#*AD')).toEqual({ type: 'output-dtmf', digits: '12#*AD' });
    invalidFrameError(() => outputDtmfFrame(''));
    invalidFrameError(() => outputDtmfFrame('12x'));
  });

  it('names checkpoints and refuses empty names', () => {
    expect(checkpointFrame('greeting')).toEqual({ type: 'checkpoint', name: 'greeting' });
    expect(checkpointReachedFrame('greeting')).toEqual({ type: 'checkpoint-reached', name: 'greeting' });
    invalidFrameError(() => checkpointFrame(''));
    invalidFrameError(() => checkpointReachedFrame(''));
  });

  it('marks transport messages urgent only when asked', () => {
    expect(transportMessageFrame({ a: 1 })).toEqual({
      type: 'output-transport-message',
      message: { a: 1 },
      urgent: false,
    });
    expect(transportMessageFrame('x', { urgent: true }).urgent).toBe(true);
    invalidFrameError(() => transportMessageFrame(undefined));
  });
});

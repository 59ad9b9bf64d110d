import { outputAudioFrame } from '@callwire/core';
import type { CallHandler } from '@callwire/server';

/** Plays the caller's audio straight back to them, frame by frame, until the call ends. */
export const echoBot: CallHandler = async (call) => {
  for await (const frame of call.frames) {
    if (frame.type === 'input-audio') {
      await call.send(outputAudioFrame(frame.audio, frame.sampleRate, frame.numChannels));
    }
  }
};

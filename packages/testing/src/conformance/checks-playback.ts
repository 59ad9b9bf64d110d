import {
  checkpointFrame,
  checkpointReachedFrame,
  interruptionFrame,
  outputAudioFrame,
  type WireMessage,
} from '@callwire/core';
import { expect } from 'vitest';
import { tone } from '../audio/signals.js';
import type { ConformanceContext } from './context.js';

/**
 * Wire samples a resampler may still hold when a checkpoint goes out (its filter delay): the codec's
 * resamplers delay by at most 2.5 ms; 5 ms leaves room for rounding at every rate.
 */
const HELD_BY_RESAMPLER_MS = 5;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the harness declares this capability but has no ${what}`);
  return value;
}

/** Wire samples of the audio messages in `messages`. */
function wireSamples(context: ConformanceContext, messages: readonly WireMessage[]): number {
  return messages.reduce((sum, message) => sum + (context.harness.read.audio(message)?.length ?? 0), 0);
}

/**
 * A checkpoint goes out after every sample of the audio sent before it (a carrier that holds audio
 * back sends it first), so its acknowledgement means all of that audio played: what `call.play`'s
 * heard milliseconds rest on.
 */
export async function checkCheckpointAfterItsAudio(context: ConformanceContext): Promise<void> {
  const { harness } = context;
  const checkpointName = need(harness.read.checkpointName, 'read.checkpointName');
  const rate = 16000;
  const call = await context.openCall({ sampleRate: rate, autoHangUp: false });
  const wireRate = harness.wireSampleRate;
  let sentMs = 0;
  let wireSoFar = 0;
  // Slices of the lengths the playback layer sends (100 ms) and odd ones, each followed by a mark.
  for (const [index, durationMs] of [100, 100, 30, 100, 250, 20].entries()) {
    const audio = await call.serialize(
      outputAudioFrame(tone({ frequencyHz: 440, durationMs, sampleRate: rate }), rate),
    );
    const out = await call.serialize(checkpointFrame(`callwire.play.${index + 1}`));
    sentMs += durationMs;
    wireSoFar += wireSamples(context, audio) + wireSamples(context, out);
    const mark = out.at(-1) as WireMessage;
    expect(checkpointName(mark), 'the checkpoint message is the last one').toBe(`callwire.play.${index + 1}`);
    expect(
      out.slice(0, -1).every((message) => harness.read.audio(message) !== undefined),
      'a checkpoint brings only held-back audio before it',
    ).toBe(true);
    expect(wireSoFar, `wire audio before checkpoint ${index + 1} (${sentMs} ms sent)`).toBeGreaterThanOrEqual(
      Math.floor(((sentMs - HELD_BY_RESAMPLER_MS) * wireRate) / 1000),
    );
  }
}

/** An interruption drops audio held back: a checkpoint after it brings nothing from before it. */
export async function checkCheckpointAfterInterruption(context: ConformanceContext): Promise<void> {
  const { harness } = context;
  const rate = 16000;
  const call = await context.openCall({ sampleRate: rate, autoHangUp: false });
  await call.serialize(outputAudioFrame(tone({ frequencyHz: 440, durationMs: 30, sampleRate: rate }), rate));
  await call.serialize(interruptionFrame());
  const out = await call.serialize(checkpointFrame('callwire.play.7'));
  expect(wireSamples(context, out), 'audio from before the interruption came with the checkpoint').toBe(0);
  expect(harness.read.checkpointName?.(out.at(-1) as WireMessage)).toBe('callwire.play.7');
}

/** The playback layer's mark names (`callwire.play.<n>`) go out and come back intact. */
export async function checkPlaybackMarkNames(context: ConformanceContext): Promise<void> {
  const { harness } = context;
  const checkpointName = need(harness.read.checkpointName, 'read.checkpointName');
  const reached = need(harness.wire.checkpointReached, 'wire.checkpointReached');
  const call = await context.openCall({ sampleRate: 16000 });
  for (const name of ['callwire.play.1', 'callwire.play.4294967296']) {
    const out = await call.serialize(checkpointFrame(name));
    expect(checkpointName(out.at(-1) as WireMessage)).toBe(name);
    expect(await call.deserialize(reached(call.info, name))).toEqual([checkpointReachedFrame(name)]);
  }
}

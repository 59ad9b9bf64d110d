import {
  checkpointFrame,
  checkpointReachedFrame,
  DTMF_DIGITS,
  endFrame,
  type Frame,
  inputAudioFrame,
  inputDtmfFrame,
  interruptionFrame,
  outputAudioFrame,
  outputDtmfFrame,
  startFrame,
  transportMessageFrame,
  type WireMessage,
} from '@callwire/core';
import { expect } from 'vitest';
import { tone } from '../audio/signals.js';
import type { ConformanceContext } from './context.js';

/** Digits no carrier may turn into an `input-dtmf` frame. */
export const INVALID_DTMF_DIGITS = ['X', '', '10', 'E', ' ', '**', '#1', '١', 'null', '0x1'] as const;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the harness declares this capability but has no ${what}`);
  return value;
}

/** Every supported key arrives as an `input-dtmf` frame with that digit. */
export async function checkDtmfDigits(context: ConformanceContext): Promise<void> {
  const { harness } = context;
  const dtmf = need(harness.wire.dtmf, 'wire.dtmf');
  const call = await context.openCall({ sampleRate: 16000 });
  const digits = harness.supports.dtmfDigits ?? DTMF_DIGITS;
  for (const digit of digits) {
    expect(await call.deserialize(dtmf(call.info, digit)), `DTMF key ${JSON.stringify(digit)}`).toEqual([
      { type: 'input-dtmf', digit },
    ]);
  }
}

/** Invalid keys give no frame and a warning, never a throw. */
export async function checkInvalidDtmf(context: ConformanceContext): Promise<void> {
  const dtmf = need(context.harness.wire.dtmf, 'wire.dtmf');
  const call = await context.openCall({ sampleRate: 16000 });
  for (const digit of INVALID_DTMF_DIGITS) {
    expect(
      await call.deserialize(dtmf(call.info, digit)),
      `invalid DTMF key ${JSON.stringify(digit)}`,
    ).toEqual([]);
    expect(
      call.warnings().length,
      `no warning logged for invalid DTMF key ${JSON.stringify(digit)}`,
    ).toBeGreaterThan(0);
  }
}

/** `interruption` gives the carrier's clear message, and nothing else reads as one. */
export async function checkInterruption(context: ConformanceContext): Promise<void> {
  const { harness } = context;
  // Auto hang-up off, so that `end` below may flush a carrier that buffers outbound audio.
  const call = await context.openCall({ sampleRate: 16000, autoHangUp: false });
  const audio = await call.serialize(
    outputAudioFrame(tone({ frequencyHz: 440, durationMs: 20, sampleRate: 16000 }), 16000),
  );
  const cleared = await call.serialize(interruptionFrame());
  expect(cleared.length, 'interruption must give exactly one message').toBe(1);
  const clear = cleared[0] as WireMessage;
  expect(
    harness.read.isClear(clear),
    `interruption gave ${String(clear)}, not the carrier's clear message`,
  ).toBe(true);
  expect(harness.read.audio(clear), 'the clear message reads as audio').toBeUndefined();
  for (const message of audio) {
    expect(harness.read.isClear(message), 'an audio message reads as clear').toBe(false);
  }
  // Playback goes on after an interruption.
  const after = await call.serialize(
    outputAudioFrame(tone({ frequencyHz: 440, durationMs: 40, sampleRate: 16000 }), 16000),
  );
  if (after.length === 0) after.push(...(await call.serialize(endFrame())));
  const afterAudio = after.map((message) => harness.read.audio(message)?.length ?? 0);
  expect(Math.max(0, ...afterAudio), 'no audio message after an interruption').toBeGreaterThan(0);
}

/** A checkpoint goes out with its name and the carrier's acknowledgement comes back as `checkpoint-reached`. */
export async function checkCheckpoint(context: ConformanceContext): Promise<void> {
  const { harness } = context;
  const checkpointName = need(harness.read.checkpointName, 'read.checkpointName');
  const reached = need(harness.wire.checkpointReached, 'wire.checkpointReached');
  const call = await context.openCall({ sampleRate: 16000 });
  for (const name of ['greeting-1', 'customer greeting audio', 'ünïcode ✓']) {
    const out = await call.serialize(checkpointFrame(name));
    // Audio a carrier held back goes first; the checkpoint message is the last.
    const mark = out.at(-1);
    expect(mark, `checkpoint ${JSON.stringify(name)} gave no message`).toBeDefined();
    expect(checkpointName(mark as WireMessage), 'checkpoint message name').toBe(name);
    expect(harness.read.isClear(mark as WireMessage), 'a checkpoint message reads as clear').toBe(false);
    expect(harness.read.audio(mark as WireMessage), 'a checkpoint message reads as audio').toBeUndefined();
    expect(await call.deserialize(reached(call.info, name)), 'checkpoint acknowledgement').toEqual([
      checkpointReachedFrame(name),
    ]);
  }
}

/** `output-dtmf` frames go out with their digits. */
export async function checkOutputDtmf(context: ConformanceContext): Promise<void> {
  const read = need(context.harness.read.outputDtmf, 'read.outputDtmf');
  const call = await context.openCall({ sampleRate: 16000 });
  for (const digits of ['1', '0123456789', '*#', '123#']) {
    const out = await call.serialize(outputDtmfFrame(digits));
    expect(out.length, `output-dtmf ${digits} must give one message`).toBe(1);
    expect(read(out[0] as WireMessage), 'output DTMF digits').toBe(digits);
  }
}

/** Transport messages go out as `JSON.stringify(message)`, urgent or not. */
export async function checkTransportMessages(context: ConformanceContext): Promise<void> {
  const call = await context.openCall({ sampleRate: 16000 });
  const messages: unknown[] = [
    { event: 'custom', value: 1 },
    { nested: { list: [1, 'two', null, { three: true }] }, text: 'ünïcode ✓ "quoted"' },
    ['an', 'array'],
    'a string',
    42,
  ];
  for (const [index, message] of messages.entries()) {
    const out = await call.serialize(transportMessageFrame(message, { urgent: index % 2 === 1 }));
    expect(out.length, `transport message ${JSON.stringify(message)} must give one message`).toBe(1);
    expect(typeof out[0], `transport message ${JSON.stringify(message)} gave no text message`).toBe('string');
    expect(JSON.parse(out[0] as string), 'transport message on the wire').toEqual(message);
  }
}

/** Frames a carrier never sends (input frames, start) give no message, without a throw. */
export async function checkUnsentFrames(context: ConformanceContext): Promise<void> {
  const call = await context.openCall({ sampleRate: 16000 });
  const frames: Frame[] = [
    inputAudioFrame(new Int16Array(160), 8000),
    inputDtmfFrame('5'),
    checkpointReachedFrame('x'),
    startFrame({ audioInSampleRate: 16000 }),
  ];
  for (const frame of frames) {
    expect(await call.serialize(frame), `serialize(${frame.type})`).toEqual([]);
  }
}

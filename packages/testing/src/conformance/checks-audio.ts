import { endFrame, type InputAudioFrame, outputAudioFrame, type WireMessage } from '@callwire/core';
import { expect } from 'vitest';
import { fitTone } from '../audio/measure.js';
import { concatPcm, splitPcm } from '../audio/pcm.js';
import { chirp, tone } from '../audio/signals.js';
import { inboundFrameProblem } from '../fuzz/frame-problem.js';
import type { ConformanceCall, ConformanceContext } from './context.js';

/** Pipeline rates (Hz) every carrier must serve. */
export const PIPELINE_RATES = [8000, 16000, 24000, 48000] as const;

/** Frequency (Hz) of the test tone. */
export const TEST_TONE_HZ = 1000;
const TONE_AMPLITUDE = 0.5;
/** Audio skipped before measuring, in ms: room for any resampler's start-up. */
const SETTLE_MS = 60;
/** Length of the test tone, in ms. */
const TONE_MS = 600;

/** The SNR (dB) a 1 kHz tone must keep through the carrier's wire codec. */
export function snrBarDb(codec: 'mulaw' | 'alaw' | 'l16'): number {
  return codec === 'l16' ? 60 : 30;
}

/** Samples in one 20 ms frame at `rate` Hz. */
function frameSamples(rate: number): number {
  return Math.round(rate / 50);
}

/** Checks a tone's SNR and level in `pcm` at `rate` Hz, skipping `SETTLE_MS` of start-up. */
function expectTone(pcm: Int16Array, rate: number, barDb: number, where: string): void {
  const window = pcm.subarray(Math.round((SETTLE_MS * rate) / 1000));
  expect(window.length, `${where}: too little audio to measure`).toBeGreaterThan(rate / 10);
  const fit = fitTone(window, TEST_TONE_HZ, rate);
  expect(
    fit.snrDb,
    `${where}: a ${TEST_TONE_HZ} Hz tone came out at ${fit.snrDb.toFixed(1)} dB SNR (bar ${barDb} dB)`,
  ).toBeGreaterThanOrEqual(barDb);
  const levelDb = 20 * Math.log10(fit.amplitude / (TONE_AMPLITUDE * 32767));
  expect(Math.abs(levelDb), `${where}: tone level changed by ${levelDb.toFixed(2)} dB`).toBeLessThan(1);
}

/**
 * Inbound: 20 ms wire media messages of a 1 kHz tone become `input-audio` frames at the pipeline rate
 * `rate`, with the right total length (one frame of resampler delay allowed) and the tone intact.
 */
export async function checkInboundAudio(context: ConformanceContext, rate: number): Promise<void> {
  const { harness } = context;
  const call = await context.openCall({ sampleRate: rate });
  for (const message of harness.wire.start?.(call.info) ?? []) {
    for (const frame of await call.deserialize(message)) {
      expect(inboundFrameProblem(frame, rate), 'start message frame').toBeUndefined();
    }
  }
  const wireRate = harness.wireSampleRate;
  const wirePcm = tone({
    frequencyHz: TEST_TONE_HZ,
    durationMs: TONE_MS,
    sampleRate: wireRate,
    amplitude: TONE_AMPLITUDE,
  });
  const chunks = splitPcm(wirePcm, [frameSamples(wireRate)]);
  const frames: InputAudioFrame[] = [];
  for (const chunk of chunks) {
    const out = await call.deserialize(harness.wire.media(call.info, chunk));
    expect(out.length, 'one media message gave several frames').toBeLessThanOrEqual(1);
    const frame = out[0];
    if (frame === undefined) continue;
    expect(inboundFrameProblem(frame, rate), 'media message frame').toBeUndefined();
    expect(frame.type, 'a media message must give input-audio').toBe('input-audio');
    const audio = frame as InputAudioFrame;
    expect(audio.numChannels).toBe(1);
    expect(
      audio.audio.length,
      `one 20 ms media message gave ${audio.audio.length} samples at ${rate} Hz`,
    ).toBeLessThanOrEqual(2 * frameSamples(rate) + 1);
    frames.push(audio);
  }
  const received = concatPcm(frames.map((frame) => frame.audio));
  const expected = Math.round((wirePcm.length * rate) / wireRate);
  expect(
    received.length,
    `${wirePcm.length} samples at ${wireRate} Hz gave ${received.length} at ${rate} Hz, expected ${expected} (minus at most one frame of delay)`,
  ).toBeGreaterThanOrEqual(expected - frameSamples(rate));
  expect(received.length, `more audio than was sent: ${received.length} > ${expected}`).toBeLessThanOrEqual(
    expected + 1,
  );
  expectTone(received, rate, snrBarDb(harness.wireCodec), `inbound at ${rate} Hz`);
}

/** Wire PCM of every audio message in `messages`, in order (non-audio messages skipped). */
function wireAudio(context: ConformanceContext, messages: readonly WireMessage[]): Int16Array {
  const parts: Int16Array[] = [];
  for (const message of messages) {
    const audio = context.harness.read.audio(message);
    if (audio === undefined) continue;
    expect(
      audio.length,
      'an outbound audio message must not be empty (send nothing instead)',
    ).toBeGreaterThan(0);
    parts.push(audio);
  }
  return concatPcm(parts);
}

async function serializeAudio(call: ConformanceCall, pcm: Int16Array, rate: number, sizes: number[]) {
  const messages: WireMessage[] = [];
  for (const chunk of splitPcm(pcm, sizes)) {
    if (chunk.length === 0) continue;
    messages.push(...(await call.serialize(outputAudioFrame(chunk, rate))));
  }
  return messages;
}

/**
 * Outbound: 20 ms `output-audio` frames of a 1 kHz tone at `rate` Hz become audio messages that
 * `harness.read.audio` decodes to the same tone at the wire rate, with the right length.
 */
export async function checkOutboundAudio(context: ConformanceContext, rate: number): Promise<void> {
  const { harness } = context;
  const call = await context.openCall({ sampleRate: rate });
  const pcm = tone({
    frequencyHz: TEST_TONE_HZ,
    durationMs: TONE_MS,
    sampleRate: rate,
    amplitude: TONE_AMPLITUDE,
  });
  const messages = await serializeAudio(call, pcm, rate, [frameSamples(rate)]);
  const audioMessages = messages.filter((message) => harness.read.audio(message));
  expect(audioMessages.length, 'output-audio frames gave no audio message').toBeGreaterThan(0);
  for (const message of audioMessages) {
    expect(harness.read.isClear(message as WireMessage), 'an audio message reads as a clear message').toBe(
      false,
    );
  }
  const wire = wireAudio(context, messages);
  const wireRate = harness.wireSampleRate;
  const expected = Math.round((pcm.length * wireRate) / rate);
  expect(
    wire.length,
    `${pcm.length} samples at ${rate} Hz gave ${wire.length} wire samples at ${wireRate} Hz, expected ${expected} (minus at most one frame of delay)`,
  ).toBeGreaterThanOrEqual(expected - frameSamples(wireRate));
  expect(wire.length, `more wire audio than was sent: ${wire.length} > ${expected}`).toBeLessThanOrEqual(
    expected + 1,
  );
  expectTone(wire, wireRate, snrBarDb(harness.wireCodec), `outbound from ${rate} Hz`);
}

/** The splits (chunk sizes in samples, cycling) the chunk-invariance check compares. */
function splits(rate: number): number[][] {
  const frame = frameSamples(rate);
  return [[frame], [Math.round(frame / 2), 3 * frame + 7], [1, 2, 3, 500], [997], [frame * 10 + 1, 13]];
}

/**
 * Outbound chunk invariance: the same audio at `rate` Hz split into different frame sizes gives the
 * same wire audio once concatenated (an `end` frame, with auto hang-up off, lets buffering carriers flush).
 */
export async function checkChunkInvariance(context: ConformanceContext, rate: number): Promise<void> {
  const pcm = concatPcm([
    chirp({ startHz: 200, endHz: 3400, durationMs: 200, sampleRate: rate, amplitude: 0.4 }),
    tone({ frequencyHz: 700, durationMs: 100, sampleRate: rate, amplitude: 0.6 }),
  ]);
  let reference: Int16Array | undefined;
  let referenceSplit = '';
  for (const sizes of splits(rate)) {
    const call = await context.openCall({ sampleRate: rate, autoHangUp: false });
    const messages = await serializeAudio(call, pcm, rate, sizes);
    messages.push(...(await call.serialize(endFrame())));
    const wire = wireAudio(context, messages);
    expect(wire.length, `no wire audio for split ${JSON.stringify(sizes)}`).toBeGreaterThan(0);
    if (reference === undefined) {
      reference = wire;
      referenceSplit = JSON.stringify(sizes);
      continue;
    }
    const firstDifference = wire.findIndex((sample, index) => sample !== reference?.[index]);
    expect(
      { length: wire.length, firstDifference: firstDifference < reference.length ? firstDifference : -1 },
      `audio at ${rate} Hz split as ${JSON.stringify(sizes)} differs on the wire from split ${referenceSplit}`,
    ).toEqual({ length: reference.length, firstDifference: -1 });
  }
}

/**
 * Inbound chunk invariance: the same wire audio in media messages of different lengths gives the same
 * pipeline audio at `rate` Hz once concatenated (the carrier keeps one streaming resampler per call).
 */
export async function checkInboundChunkInvariance(context: ConformanceContext, rate: number): Promise<void> {
  const { harness } = context;
  const wireRate = harness.wireSampleRate;
  const frame = frameSamples(wireRate);
  const wirePcm = concatPcm([
    chirp({
      startHz: 200,
      endHz: Math.min(3400, wireRate / 2 - 200),
      durationMs: 200,
      sampleRate: wireRate,
      amplitude: 0.4,
    }),
    tone({ frequencyHz: 700, durationMs: 100, sampleRate: wireRate, amplitude: 0.6 }),
  ]);
  let reference: Int16Array | undefined;
  for (const sizes of [[frame], [frame / 2, frame * 2], [frame * 3 + 2, frame - 2]]) {
    const call = await context.openCall({ sampleRate: rate });
    for (const message of harness.wire.start?.(call.info) ?? []) await call.deserialize(message);
    const parts: Int16Array[] = [];
    for (const chunk of splitPcm(wirePcm, sizes)) {
      for (const out of await call.deserialize(harness.wire.media(call.info, chunk))) {
        if (out.type === 'input-audio') parts.push(out.audio);
      }
    }
    const audio = concatPcm(parts);
    if (reference === undefined) {
      reference = audio;
      continue;
    }
    // Compare what both produced: a carrier may hold back a different tail depending on the last chunk.
    const common = Math.min(audio.length, reference.length);
    expect(
      common,
      `media messages of ${JSON.stringify(sizes)} samples gave ${audio.length} samples at ${rate} Hz, 20 ms messages ${reference.length}`,
    ).toBeGreaterThanOrEqual(reference.length - frameSamples(rate));
    const firstDifference = audio
      .subarray(0, common)
      .findIndex((sample, index) => sample !== reference?.[index]);
    expect(
      firstDifference,
      `media messages of ${JSON.stringify(sizes)} samples decode differently at ${rate} Hz from 20 ms messages`,
    ).toBe(-1);
  }
}

/** Empty `output-audio` frames send nothing, at the start of a call and after audio. */
export async function checkEmptyAudio(context: ConformanceContext, rate: number): Promise<void> {
  const call = await context.openCall({ sampleRate: rate });
  expect(await call.serialize(outputAudioFrame(new Int16Array(0), rate)), 'empty audio first').toEqual([]);
  await call.serialize(outputAudioFrame(tone({ frequencyHz: 440, durationMs: 40, sampleRate: rate }), rate));
  expect(await call.serialize(outputAudioFrame(new Int16Array(0), rate)), 'empty audio after audio').toEqual(
    [],
  );
}

import {
  checkpointFrame,
  createCallwireContainer,
  createWireSerializer,
  endFrame,
  interruptionFrame,
  outputAudioFrame,
  registerCarrier,
  startFrame,
  transportMessageFrame,
  type WireMessage,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { exotel } from '../carrier.js';
import { exotelHarness } from './harness.js';

const STREAM = 'MZ0123456789abcdef0123456789abcd';
const problem = (message: WireMessage) => exotelHarness.read.problem?.(message);
const mediaOf = (byteLength: number) =>
  JSON.stringify({
    event: 'media',
    stream_sid: STREAM,
    media: { payload: Buffer.alloc(byteLength, 7).toString('base64') },
  });

describe('exotelHarness.read.problem', () => {
  it('refuses a 3,000-byte media chunk: it is off the 320-byte grid', () => {
    expect(problem(mediaOf(3000))).toBe(
      'a 3000-byte media chunk (Exotel takes multiples of 320 bytes up to 99840)',
    );
  });

  it('refuses a chunk over 99 840 bytes even on the grid, and a payload that is not standard base64', () => {
    expect(problem(mediaOf(99_840 + 320))).toMatch(/^a 100160-byte media chunk/);
    const unpadded = JSON.stringify({ event: 'media', stream_sid: STREAM, media: { payload: 'AAAAAA' } });
    expect(problem(unpadded)).toBe('a media payload that is not standard padded base64');
  });

  it('refuses binary messages, text that is not JSON, and malformed media, mark and clear', () => {
    expect(problem(new Uint8Array(320))).toMatch(/binary/);
    expect(problem('{"event":"media"')).toBe('text that is not JSON');
    expect(problem('{"event":"mark","stream_sid":"MZ1","mark":{"name":""}}')).toMatch(/^a malformed "mark"/);
    expect(problem('{"event":"clear"}')).toMatch(/^a malformed "clear"/);
    expect(problem('{"event":"media","media":{"payload":"AAAA"}}')).toMatch(/^a malformed "media"/);
  });

  it('accepts chunks on the grid (a flushed tail may be under 3.2 KB), marks, clears and other JSON', () => {
    for (const size of [320, 1280, 3200, 99_840]) expect(problem(mediaOf(size))).toBeUndefined();
    expect(problem(`{"event":"mark","stream_sid":"${STREAM}","mark":{"name":"m"}}`)).toBeUndefined();
    expect(problem(`{"event":"clear","stream_sid":"${STREAM}"}`)).toBeUndefined();
    expect(problem('{"event":"custom","n":1}')).toBeUndefined();
  });

  it('finds no problem in anything the serializer sends', () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, exotel, {});
    const serializer = createWireSerializer(container, 'exotel', { streamId: STREAM });
    serializer.setup(startFrame({ audioInSampleRate: 16000 }));
    const tone = (samples: number) =>
      Int16Array.from({ length: samples }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    const sent: WireMessage[] = [];
    for (const frame of [
      outputAudioFrame(tone(333), 16000),
      outputAudioFrame(tone(120_000), 16000),
      checkpointFrame('a'),
      outputAudioFrame(tone(7), 24000),
      interruptionFrame(),
      outputAudioFrame(tone(4321), 16000, 1),
      transportMessageFrame({ event: 'custom' }),
      endFrame(),
    ]) {
      sent.push(...serializer.serialize(frame));
    }
    expect(sent.length).toBeGreaterThan(5);
    expect(sent.map(problem).filter((found) => found !== undefined)).toEqual([]);
  });
});

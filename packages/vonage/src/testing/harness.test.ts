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
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { vonage } from '../carrier.js';
import { vonage8kHarness, vonageHarness } from './harness.js';

describe('the Vonage harness: read.problem, what Vonage refuses', () => {
  const problem = (message: string | Uint8Array) => vonageHarness.read.problem?.(message);

  it('refuses a binary message that is not one 20 ms frame', () => {
    expect(problem(new Uint8Array(500))).toBe(
      'a 500-byte binary message is not one 20 ms frame (640 bytes at 16000 Hz)',
    );
    expect(problem(new Uint8Array(1280))).toMatch(/^a 1280-byte binary message is not one 20 ms frame/);
    expect(problem(new Uint8Array(0))).toMatch(/^a 0-byte binary message/);
    expect(problem(new Uint8Array(320))).toMatch(/^a 320-byte binary message/);
    expect(vonage8kHarness.read.problem?.(new Uint8Array(640))).toBe(
      'a 640-byte binary message is not one 20 ms frame (320 bytes at 8000 Hz)',
    );
  });

  it('accepts exactly one frame at the wire rate', () => {
    expect(problem(new Uint8Array(640))).toBeUndefined();
    expect(vonage8kHarness.read.problem?.(new Uint8Array(320))).toBeUndefined();
  });

  it('refuses text that is not JSON and a command Vonage does not know', () => {
    expect(problem('{"action":"clear"')).toBe('a text message that is not JSON');
    expect(problem('{"action":"play"}')).toBe('an unknown command {"action":"play"}');
    expect(problem('{"action":"clear"}')).toBeUndefined();
    expect(problem('{"action":"notify","payload":{"name":"a"}}')).toBeUndefined();
    // Transport messages are the application's own JSON.
    expect(problem('{"event":"custom"}')).toBeUndefined();
    expect(problem('[1,2]')).toBeUndefined();
  });

  it('finds no problem in anything the serializer sends, at either rate', () => {
    for (const harness of [vonageHarness, vonage8kHarness]) {
      const container = createCallwireContainer({ logger: recordingLogger() });
      registerCarrier(container, vonage, {});
      const call = harness.call({ callId: 'c', streamId: 's', sampleRate: 24000, autoHangUp: false });
      const wire = createWireSerializer(container, 'vonage', call);
      wire.setup(startFrame({ audioInSampleRate: 24000 }));
      const sent = [
        outputAudioFrame(new Int16Array(1000).fill(300), 24000),
        checkpointFrame('cp'),
        outputAudioFrame(new Int16Array(777).fill(-300), 24000),
        interruptionFrame(),
        outputAudioFrame(new Int16Array(2401).fill(5), 24000),
        transportMessageFrame({ any: 'thing' }),
        endFrame(),
      ].flatMap((frame) => wire.serialize(frame));
      expect(sent.filter((message) => typeof message !== 'string').length).toBeGreaterThan(4);
      expect(sent.map((message) => harness.read.problem?.(message)).filter(Boolean)).toEqual([]);
    }
  });
});

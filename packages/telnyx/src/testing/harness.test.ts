import {
  checkpointFrame,
  createCallwireContainer,
  createWireSerializer,
  interruptionFrame,
  outputAudioFrame,
  registerCarrier,
  startFrame,
  transportMessageFrame,
  type WireMessage,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { telnyx } from '../carrier.js';
import { harnesses, telnyxHarness, telnyxOutboundProblem, telnyxPcmaHarness } from './index.js';

/** Everything a PCMA call really sends for audio, a clear, a mark and two transport messages. */
function sent(): WireMessage[] {
  const container = createCallwireContainer();
  registerCarrier(container, telnyx, {});
  const serializer = createWireSerializer(container, 'telnyx', {
    streamId: 'stream-1',
    params: { autoHangUp: false, inboundEncoding: 'PCMA' },
  });
  serializer.setup(startFrame({ audioInSampleRate: 16000 }));
  return [
    outputAudioFrame(new Int16Array(640).fill(-900), 16000),
    interruptionFrame(),
    checkpointFrame('greeting'),
    transportMessageFrame({ event: 'custom', value: 1 }),
    transportMessageFrame(['not', 'telnyx']),
  ].flatMap((frame) => serializer.serialize(frame));
}

describe('telnyx harnesses', () => {
  it('are both codings, and grade every outbound message with telnyxOutboundProblem', () => {
    expect(harnesses).toEqual([telnyxHarness, telnyxPcmaHarness]);
    expect(harnesses.map((harness) => harness.wireCodec)).toEqual(['mulaw', 'alaw']);
    for (const harness of harnesses) expect(harness.read.problem).toBe(telnyxOutboundProblem);
  });
});

describe('telnyxOutboundProblem', () => {
  it('accepts every message the serializer sends, an application transport message included', () => {
    const messages = sent();
    expect(messages).toHaveLength(5);
    expect(messages.map(telnyxOutboundProblem)).toEqual(new Array(5).fill(undefined));
  });

  it('refuses a media message whose payload is not standard padded base64', () => {
    const media = JSON.parse(sent()[0] as string);
    for (const payload of ['***', 'AAA', `${media.media.payload}=`, 'gP8A-_']) {
      expect(telnyxOutboundProblem(JSON.stringify({ event: 'media', media: { payload } })), payload).toMatch(
        /^Telnyx cannot parse this "media": media\.payload /,
      );
    }
  });

  it('refuses text that is not a Telnyx outbound message, binary frames and over-long media', () => {
    expect(telnyxOutboundProblem('{"event":"media","media":{')).toMatch(/^not JSON: /);
    expect(telnyxOutboundProblem('{"event":"mark","mark":{}}')).toMatch(
      /^Telnyx cannot parse this "mark": mark\.name /,
    );
    expect(telnyxOutboundProblem('{"event":"mark"}')).toMatch(/^Telnyx cannot parse this "mark": mark /);
    expect(telnyxOutboundProblem(new Uint8Array(160))).toBe('binary (160 bytes); Telnyx reads text');
    const thirtySeconds = Buffer.alloc(30 * 8000, 0xff).toString('base64');
    expect(
      telnyxOutboundProblem(JSON.stringify({ event: 'media', media: { payload: thirtySeconds } })),
    ).toBeUndefined();
    const longer = Buffer.alloc(30 * 8000 + 1, 0xff).toString('base64');
    expect(telnyxOutboundProblem(JSON.stringify({ event: 'media', media: { payload: longer } }))).toMatch(
      /30 s/,
    );
  });

  it('leaves JSON that names none of Telnyx events to the application, and reads only its own', () => {
    expect(telnyxOutboundProblem('{"event":"custom"}')).toBeUndefined();
    expect(telnyxOutboundProblem('42')).toBeUndefined();
    expect(telnyxOutboundProblem('null')).toBeUndefined();
    expect(telnyxHarness.read.isClear('{"event":"clear"}')).toBe(true);
    expect(telnyxHarness.read.isClear('{"event":"clear","x":1}')).toBe(true);
    expect(telnyxHarness.read.audio('{"event":"custom"}')).toBeUndefined();
  });
});

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
import { twilio } from '../carrier.js';
import { twilioHarness, twilioOutboundProblem } from './harness.js';

const STREAM_SID = 'MZ18ad3ab5a668481ce02b83e7395059f0';

/** What the serializer really sends for audio, a clear, a mark and a transport message. */
function sentMessages(): WireMessage[] {
  const container = createCallwireContainer();
  registerCarrier(container, twilio, {});
  const serializer = createWireSerializer(container, 'twilio', {
    streamId: STREAM_SID,
    params: { autoHangUp: false },
  });
  serializer.setup(startFrame({ audioInSampleRate: 16000 }));
  return [
    ...serializer.serialize(outputAudioFrame(new Int16Array(320).fill(1200), 16000)),
    ...serializer.serialize(interruptionFrame()),
    ...serializer.serialize(checkpointFrame('greeting')),
    ...serializer.serialize(transportMessageFrame({ event: 'custom', value: 1 })),
  ];
}

describe('twilioHarness.read.problem', () => {
  it('is the harness check, so the conformance suite grades every message with it', () => {
    expect(twilioHarness.read.problem).toBe(twilioOutboundProblem);
  });

  it('accepts every message the serializer sends', () => {
    const messages = sentMessages();
    expect(messages).toHaveLength(4);
    expect(messages.map(twilioOutboundProblem)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('refuses a media message whose payload is not standard padded base64', () => {
    const [media] = sentMessages();
    const event = JSON.parse(media as string);
    for (const payload of ['***', 'AAA', `${event.media.payload}=`]) {
      const broken = JSON.stringify({ ...event, media: { payload } });
      expect(twilioOutboundProblem(broken)).toMatch(/^a malformed "media" \(media\.payload: /);
    }
  });

  it('refuses text that is not a Twilio outbound message, and binary frames', () => {
    expect(twilioOutboundProblem('{"event":"media","streamSid":"MZ1","media":{')).toBe(
      'text that is not JSON',
    );
    expect(twilioOutboundProblem('media please')).toBe('text that is not JSON');
    expect(twilioOutboundProblem(JSON.stringify({ event: 'mark', streamSid: STREAM_SID, mark: {} }))).toMatch(
      /^a malformed "mark" \(mark\.name: /,
    );
    expect(twilioOutboundProblem(JSON.stringify({ event: 'clear' }))).toMatch(
      /^a malformed "clear" \(streamSid: /,
    );
    expect(twilioOutboundProblem(new Uint8Array(160))).toBe(
      'a 160-byte binary message (Twilio reads JSON text only)',
    );
  });
});

import {
  checkpointFrame,
  createCallwireContainer,
  createWireSerializer,
  endFrame,
  interruptionFrame,
  outputAudioFrame,
  registerCarrier,
  startFrame,
  type WireMessage,
} from '@callwire/core';
import { type LogRecord, recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { detectJambonzCall, jambonz } from './carrier.js';
import type { JambonzCallParams, JambonzOptions } from './options.js';
import { decodeL16Le, encodeL16Le, jambonzMarkEvent, jambonzOpening } from './testing/harness.js';

function open(params: JambonzCallParams = {}, options: JambonzOptions = {}) {
  const records: LogRecord[] = [];
  const logger = recordingLogger({ sink: records });
  const container = createCallwireContainer({ logger });
  registerCarrier(container, jambonz, options);
  const serializer = createWireSerializer(container, 'jambonz', { streamId: 's', callId: 's', params });
  serializer.setup(startFrame({ audioInSampleRate: 8000 }));
  const warnings = () => records.filter((record) => record.level === 'warn').map((record) => record.message);
  return { serializer, warnings };
}

const sent = (messages: WireMessage[]) =>
  messages.map((message) => (typeof message === 'string' ? message : `<${message.length}>`));

describe('detectJambonzCall', () => {
  it('reads the call sid, the rate, the mix type and call.info from the opening', () => {
    const opening = JSON.parse(
      jambonzOpening({
        callSid: 'cs-1',
        sampleRate: 16000,
        mixType: 'stereo',
        from: 'alice',
        to: '+15083730299',
        direction: 'outbound',
        customerData: { tenant: 'acme', nested: { no: 1 } },
        metadata: { botId: 'support', attempt: 2 },
      }),
    );
    const detection = detectJambonzCall(opening);
    expect(detection).toMatchObject({
      streamId: 'cs-1',
      callId: 'cs-1',
      params: { jambonzSampleRate: 16000, mixType: 'stereo' },
      metadata: {
        from: 'alice',
        to: '+15083730299',
        direction: 'outbound',
        customParameters: { tenant: 'acme', botId: 'support', attempt: '2' },
        raw: opening,
      },
    });
    // jambonz's own attributes are not custom parameters.
    const custom =
      detection !== undefined && detection !== 'need-more' ? detection.metadata?.customParameters : {};
    expect(Object.keys(custom ?? {}).sort()).toEqual(['attempt', 'botId', 'tenant']);
  });

  it('leaves an unlisted rate to the default (the serializer warns) and refuses what is not an opening', () => {
    expect(detectJambonzCall({ callSid: 'c', sampleRate: 44100, mixType: 'mono' })).toMatchObject({
      params: { mixType: 'mono' },
    });
    for (const other of [
      { callSid: 'c', sampleRate: 8000 },
      { callSid: 'c', sampleRate: '8000', mixType: 'mono' },
      { callSid: '', sampleRate: 8000, mixType: 'mono' },
      { event: 'start', callSid: 'c', sampleRate: 8000, mixType: 'mono' },
      { type: 'mark', callSid: 'c', sampleRate: 8000, mixType: 'mono' },
      [{ callSid: 'c', sampleRate: 8000, mixType: 'mono' }],
      'callSid',
      new Uint8Array(4),
      null,
    ]) {
      expect(detectJambonzCall(other), JSON.stringify(other)).toBeUndefined();
    }
  });
});

describe('the jambonz serializer', () => {
  it('sends audio back at bidirectionalSampleRate: the param, else the option, else the stream rate', () => {
    const pcm = Int16Array.from({ length: 160 }, (_, index) => index * 10);
    const at = (params: JambonzCallParams, options: JambonzOptions = {}) =>
      open({ sampleRate: 8000, ...params }, options).serializer.serialize(outputAudioFrame(pcm, 8000));
    expect(at({})[0]?.length).toBe(320);
    expect(at({ jambonzSampleRate: 16000 })[0]?.length).toBe(640);
    expect(at({}, { bidirectionalSampleRate: 24000 })[0]?.length).toBe(960);
    expect(at({ bidirectionalSampleRate: 16000 }, { bidirectionalSampleRate: 24000 })[0]?.length).toBe(640);
    // At equal rates the samples go out as they are, each message with its own bytes.
    const { serializer } = open({ sampleRate: 8000 });
    const first = serializer.serialize(outputAudioFrame(pcm, 8000))[0] as Uint8Array;
    serializer.serialize(outputAudioFrame(new Int16Array(160), 8000));
    expect(Array.from(decodeL16Le(first))).toEqual(Array.from(pcm));
  });

  it('maps interruption, checkpoint and end to killAudio, mark and disconnect', () => {
    const { serializer } = open();
    expect(sent(serializer.serialize(interruptionFrame()))).toEqual(['{"type":"killAudio"}']);
    expect(sent(serializer.serialize(checkpointFrame('m1')))).toEqual([
      '{"type":"mark","data":{"name":"m1"}}',
    ]);
    expect(sent(serializer.serialize(endFrame()))).toEqual(['{"type":"disconnect"}']);
  });

  it('turns a playout mark into checkpoint-reached and a cleared one into nothing', () => {
    const { serializer, warnings } = open();
    expect(serializer.deserialize(jambonzMarkEvent('m1', 'playout'))).toEqual([
      { type: 'checkpoint-reached', name: 'm1' },
    ]);
    expect(serializer.deserialize(jambonzMarkEvent('m2', 'cleared'))).toEqual([]);
    expect(warnings()).toEqual([]);
  });

  it('reads DTMF sent as a number, and refuses auto hang-up', () => {
    const { serializer } = open();
    expect(serializer.deserialize('{"event":"dtmf","dtmf":7,"duration":1600}')).toEqual([
      { type: 'input-dtmf', digit: '7' },
    ]);
    expect(() => open({ autoHangUp: true })).toThrow(/autoHangUp/);
  });

  it('follows the rate an opening announces for caller audio, and warns when params disagree', () => {
    const { serializer, warnings } = open({ sampleRate: 8000 });
    serializer.deserialize(jambonzOpening({ callSid: 's', sampleRate: 16000, mixType: 'stereo' }));
    expect(warnings()).toEqual([
      '[jambonz] the opening announces 16000 Hz, params say 8000 Hz; decoding 16000 Hz (set jambonzSampleRate)',
      '[jambonz] the opening announces mixType stereo, params say mono; set mixType',
    ]);
    const [frame] = serializer.deserialize(encodeL16Le(new Int16Array(320)));
    expect(frame).toMatchObject({ type: 'input-audio', sampleRate: 8000 });
    expect(frame?.type === 'input-audio' && frame.audio.length).toBe(160);
  });

  it('keeps the first channel of stereo audio and warns once about a partial frame', () => {
    const { serializer, warnings } = open({ sampleRate: 8000, mixType: 'stereo' });
    const [frame] = serializer.deserialize(encodeL16Le(Int16Array.of(1, -1, 2, -2, 3, -3, 4)));
    expect(frame?.type === 'input-audio' && Array.from(frame.audio)).toEqual([1, 2, 3]);
    expect(warnings()).toEqual(['[jambonz] a 14-byte stereo message is not whole frames']);
  });
});

// Pins what the second mutation run found unpinned: the exact bytes sent for resampled, downmixed
// and rate-switching audio (the frame padding hid a dropped resampler tail or a stray sample),
// frames that arrive before any audio (interruption, checkpoint, end), a checkpoint sending the
// carried audio ahead of its notify, which warning an odd inbound message gives (and that it is
// not an internal error), the content-type parser's anchors and spacing, and the text of the
// auto hang-up CONFIG errors.
import { pcmToL16Le, resample } from '@callwire/codec';
import {
  checkpointFrame,
  createCallwireContainer,
  createSerializer,
  endFrame,
  type Frame,
  interruptionFrame,
  outputAudioFrame,
  registerCarrier,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { vonage } from './carrier.js';
import { vonageRateOf, withConnectedEvent } from './events.js';
import { CALL, joined, le, listed, makeSerializer, ramp } from './test-support.js';

/** `bytes` padded with silence to whole frames of `frameBytes`. */
function padded(bytes: Uint8Array, frameBytes: number): Buffer {
  const out = Buffer.alloc(Math.ceil(bytes.length / frameBytes) * frameBytes);
  out.set(bytes);
  return out;
}

/** Everything sent for `frames`, then an `end`. */
function sendAll(wire: WireSerializer, frames: readonly Frame[]): WireMessage[] {
  return [...frames, endFrame()].flatMap((frame) => wire.serialize(frame));
}

describe('VonageFrameSerializer: the exact outbound bytes', () => {
  it('sends the whole resampled stream, the resampler tail included, padded to the last frame', async () => {
    // 330 samples at 8 kHz are 660 at 16 kHz: two 640-byte frames and 40 samples into a third.
    // The resampler holds its last few samples back until the end; they must not be lost.
    const input = ramp(330, 5);
    const { wire } = await makeSerializer();
    const sent = sendAll(wire, [outputAudioFrame(input, 8000)]);
    expect(sent.map((message) => (message as Uint8Array).length)).toEqual([640, 640, 640]);
    expect(joined(sent).equals(padded(pcmToL16Le(resample(input, 8000, 16000)), 640))).toBe(true);
  });

  it('downmixes stereo to exactly one mono sample per stereo pair', async () => {
    const mono = ramp(330, 11);
    const stereo = new Int16Array(660);
    for (let i = 0; i < 330; i++) {
      stereo[2 * i] = mono[i]!;
      stereo[2 * i + 1] = mono[i]!;
    }
    const { wire } = await makeSerializer();
    const sent = sendAll(wire, [outputAudioFrame(stereo, 8000, 2)]);
    expect(joined(sent).equals(padded(pcmToL16Le(resample(mono, 8000, 16000)), 640))).toBe(true);
  });

  it('ends the old rate with its tail before a new rate starts', async () => {
    // 100 ms at 8 kHz, then 100 ms at 24 kHz. The 8 -> 16 kHz resampler holds its last output
    // sample back until it is flushed: it must go out before the 24 kHz audio, not be dropped.
    const first = ramp(800, 1);
    const second = ramp(2400, 3);
    const { wire } = await makeSerializer();
    const sent = sendAll(wire, [outputAudioFrame(first, 8000), outputAudioFrame(second, 24000)]);
    const expected = Buffer.concat([
      pcmToL16Le(resample(first, 8000, 16000)),
      pcmToL16Le(resample(second, 24000, 16000)),
    ]);
    expect(expected.length).toBe(6400);
    expect(joined(sent).equals(padded(expected, 640))).toBe(true);
  });

  it('ignores empty audio silently, whatever rate it claims', async () => {
    const logger = recordingLogger();
    const { wire } = await makeSerializer({}, { logger });
    const empty = { type: 'output-audio', audio: new Int16Array(0), sampleRate: 0, numChannels: 1 } as Frame;
    expect(wire.serialize(empty)).toEqual([]);
    expect(logger.lines).toEqual([]);
  });
});

describe('VonageFrameSerializer: control frames before any audio', () => {
  it('sends clear for a barge-in and notify for a checkpoint even when no audio went out yet', async () => {
    const logger = recordingLogger();
    const { wire } = await makeSerializer({}, { logger });
    expect(wire.serialize(interruptionFrame())).toEqual(['{"action":"clear"}']);
    expect(wire.serialize(checkpointFrame('cp-1'))).toEqual([
      '{"action":"notify","payload":{"name":"cp-1"}}',
    ]);
    expect(logger.at('warn')).toEqual([]);
  });

  it('hangs up on an end that comes before any audio', async () => {
    const logger = recordingLogger();
    const { serializer, hangUps } = await makeSerializer({ autoHangUp: true }, { logger, callId: CALL });
    expect(await serializer.serialize(endFrame())).toBeUndefined();
    expect(hangUps).toEqual([CALL]);
    expect(logger.at('warn')).toEqual([]);
  });

  it('serialize(checkpoint) sends the carried-over audio, padded, before the notify', async () => {
    const { serializer } = await makeSerializer();
    // 100 samples at 16 kHz: less than one 20 ms frame, so nothing is sent yet.
    expect(await serializer.serialize(outputAudioFrame(ramp(100), 16000))).toBeUndefined();
    const [tail, notify, ...rest] = listed(await serializer.serialize(checkpointFrame('cp-2')));
    expect(Buffer.from(tail as Uint8Array).equals(padded(le(ramp(100)), 640))).toBe(true);
    expect(notify).toBe('{"action":"notify","payload":{"name":"cp-2"}}');
    expect(rest).toEqual([]);
    expect(await serializer.serialize(endFrame())).toBeUndefined();
  });
});

describe('VonageFrameSerializer: which warning an odd inbound message gives', () => {
  it('warns about an unknown event as such, naming the carrier, and not as an internal error', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger });
    expect(await serializer.deserialize('{"event":"websocket:mystery"}')).toBeUndefined();
    expect(logger.at('warn')).toEqual(['[vonage] ignoring an unknown event "websocket:mystery"']);
  });

  it('reads a DTMF event without a digit as the bad digit ""', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger });
    expect(await serializer.deserialize('{"event":"websocket:dtmf"}')).toBeUndefined();
    expect(logger.at('warn')).toEqual(['[vonage] ignoring DTMF digit "" (not 0-9 * # A-D)']);
  });

  it('adopts a rate announced before setup with only the rate warning', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger, setup: false });
    await serializer.deserialize('{"event":"websocket:connected","content-type":"audio/l16;rate=8000"}');
    expect(logger.at('warn')).toEqual([
      '[vonage] content-type says 8000 Hz, params say 16000 Hz; using 8000 Hz',
    ]);
  });

  it('drops an empty binary message silently once set up; before setup it is audio dropped with the warning', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger, setup: false });
    expect(await serializer.deserialize(new Uint8Array(0))).toBeUndefined();
    expect(logger.at('warn')).toEqual(['[vonage] dropping audio received before setup()']);
    const quiet = recordingLogger();
    const ready = await makeSerializer({}, { logger: quiet });
    expect(await ready.serializer.deserialize(new Uint8Array(0))).toBeUndefined();
    expect(quiet.lines).toEqual([]);
  });

  it('returns no frame (not an empty one) when a message is too short to give a pipeline sample', async () => {
    // 16 kHz on the wire, 1 kHz in the pipeline: one wire sample owes round(1 / 16) = 0 samples.
    const { serializer } = await makeSerializer({}, { pipelineRate: 1000 });
    expect(await serializer.deserialize(new Uint8Array(2))).toBeUndefined();
  });
});

describe('vonageRateOf and withConnectedEvent', () => {
  it('reads audio/l16 with any spacing and case, and nothing else', () => {
    expect(vonageRateOf('audio/l16;rate=8000')).toBe(8000);
    expect(vonageRateOf(' \tAudio/L16 ; Rate = 16000 \n')).toBe(16000);
    expect(vonageRateOf('xaudio/l16;rate=8000')).toBeUndefined();
    expect(vonageRateOf('audio/l16;rate=8000;channels=1')).toBeUndefined();
    expect(vonageRateOf('audio/l16;rate=24000')).toBeUndefined();
    // Only strings: an array or object that prints as a content-type is not one.
    expect(vonageRateOf(['audio/l16;rate=8000'])).toBeUndefined();
    expect(vonageRateOf({ toString: () => 'audio/l16;rate=8000' })).toBeUndefined();
  });

  it('leaves null, arrays and messages with an event as they are', () => {
    expect(withConnectedEvent(null)).toBeNull();
    const list = ['audio/l16;rate=8000'];
    expect(withConnectedEvent(list)).toBe(list);
    const dtmf = { event: 'websocket:dtmf', digit: '1', 'content-type': 'audio/l16;rate=8000' };
    expect(withConnectedEvent(dtmf)).toBe(dtmf);
    expect(withConnectedEvent({ 'content-type': 'audio/l16;rate=8000', x: 1 })).toEqual({
      'content-type': 'audio/l16;rate=8000',
      x: 1,
      event: 'websocket:connected',
    });
  });
});

describe('createSerializer(vonage): CONFIG error texts', () => {
  it('lists every missing field, comma-separated', () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, vonage, {});
    expect(() => createSerializer(container, 'vonage', { streamId: 's' })).toThrow(
      '[vonage] auto hang-up needs callId, applicationId, privateKey (',
    );
  });

  it('names the carrier and "call params" for bad params', () => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, vonage, {});
    expect(() =>
      createSerializer(container, 'vonage', { streamId: 's', params: { vonageSampleRate: 24000 } }),
    ).toThrow(/^\[vonage\] invalid call params: /);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import {
  CallwireError,
  cancelFrame,
  checkpointFrame,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  endFrame,
  type FrameSerializer,
  interruptionFrame,
  type Logger,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  startFrame,
  transportMessageFrame,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import type { FakeCarrierApi } from '@callwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vonage } from './carrier.js';
import { CALL, le, listed, one, ramp } from './test-support.js';
import { startFakeVonageApi } from './testing/fake-api.js';

const APP = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let api: FakeCarrierApi;
beforeAll(async () => {
  api = await startFakeVonageApi({ publicKey: PUBLIC_KEY, applicationId: APP });
});
afterAll(async () => {
  await api.close();
});

interface Recorder extends Logger {
  lines: string[];
  warnings: string[];
}

function recorder(): Recorder {
  const lines: string[] = [];
  const warnings: string[] = [];
  const log = (level: string) => (fields: string | Record<string, unknown>, message?: string) => {
    const text = `${level} ${typeof fields === 'string' ? fields : `${message ?? ''} ${JSON.stringify(fields)}`}`;
    lines.push(text);
    if (level === 'warn') warnings.push(text);
  };
  return { lines, warnings, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function register(
  params: Record<string, unknown>,
  options: { credentials?: boolean; callId?: string | null; logger?: Logger },
) {
  const container = createCallwireContainer({ logger: options.logger ?? recorder() });
  registerCarrier(container, vonage, {
    ...(options.credentials === false ? {} : { applicationId: APP, privateKey: PRIVATE_KEY }),
    apiBaseUrl: api.url,
    hangUpTimeoutMs: 2000,
  });
  const callId = options.callId === null ? undefined : (options.callId ?? CALL);
  const call = {
    streamId: callId ?? 'stream-1',
    ...(callId !== undefined ? { callId } : {}),
    params: { autoHangUp: false, ...params },
  };
  return { container, call };
}

/** Pipecat's serializer (`serialize(end | cancel)` hangs up once), set up at 16 kHz. */
async function makeSerializer(
  params: Record<string, unknown> = {},
  options: { credentials?: boolean; callId?: string | null; logger?: Logger } = {},
): Promise<FrameSerializer> {
  const { container, call } = register(params, options);
  const serializer = createSerializer(container, 'vonage', call);
  await serializer.setup(startFrame({ audioInSampleRate: 16000 }));
  return serializer;
}

/** The pure serializer the runtime drives (every message of a frame, no hang-up), set up at 16 kHz. */
function makeWire(params: Record<string, unknown> = {}): WireSerializer {
  const { container, call } = register(params, {});
  const wire = createWireSerializer(container, 'vonage', call);
  wire.setup(startFrame({ audioInSampleRate: 16000 }));
  return wire;
}

function sizes(messages: readonly WireMessage[]): (number | string)[] {
  return messages.map((message) => (typeof message === 'string' ? message : message.length));
}

describe('VonageFrameSerializer inbound', () => {
  it('turns a binary 20 ms frame into input-audio', async () => {
    const serializer = await makeSerializer();
    const pcm = ramp(320);
    expect(await serializer.deserialize(le(pcm))).toEqual({
      type: 'input-audio',
      audio: pcm,
      sampleRate: 16000,
      numChannels: 1,
    });
  });

  it('resamples 8 kHz wire audio to the 16 kHz pipeline', async () => {
    const serializer = await makeSerializer({ vonageSampleRate: 8000 });
    const frame = one(await serializer.deserialize(le(ramp(1600))));
    expect(frame?.type === 'input-audio' && frame.sampleRate).toBe(16000);
    expect(frame?.type === 'input-audio' && Math.abs(frame.audio.length - 3200)).toBeLessThan(40);
  });

  it('reads DTMF at the top level (as documented) and nested (as Pipecat allows)', async () => {
    const serializer = await makeSerializer();
    expect(await serializer.deserialize('{"event":"websocket:dtmf","digit":"5","duration":260}')).toEqual({
      type: 'input-dtmf',
      digit: '5',
    });
    expect(await serializer.deserialize('{"event":"websocket:dtmf","dtmf":{"digit":"#"}}')).toEqual({
      type: 'input-dtmf',
      digit: '#',
    });
  });

  it('turns websocket:notify with a name into checkpoint-reached', async () => {
    const serializer = await makeSerializer();
    expect(
      await serializer.deserialize('{"event":"websocket:notify","payload":{"name":"greeting"}}'),
    ).toEqual({
      type: 'checkpoint-reached',
      name: 'greeting',
    });
    expect(
      await serializer.deserialize('{"event":"websocket:notify","payload":{"other":1}}'),
    ).toBeUndefined();
    expect(await serializer.deserialize('{"event":"websocket:cleared"}')).toBeUndefined();
  });

  it('follows the rate that websocket:connected announces', () => {
    const wire = makeWire();
    wire.deserialize('{"event":"websocket:connected","content-type":"audio/l16;rate=8000","call_uuid":"x"}');
    const frames = wire.serialize(outputAudioFrame(ramp(320), 16000));
    expect(sizes(frames)).toEqual([320]);
  });

  it('ignores hostile input with a warning per kind and never throws', async () => {
    const logger = recorder();
    const serializer = await makeSerializer({}, { logger });
    const hostile: WireMessage[] = [
      'oops',
      'oops again',
      'null',
      '{}',
      '{"event":"websocket:dtmf","digit":"Z"}',
      '{"event":"websocket:dtmf"}',
      '{"event":"websocket:connected","content-type":5}',
      '{"event":"something-else"}',
      new Uint8Array([1]),
      new Uint8Array(0),
    ];
    for (const message of hostile) expect(await serializer.deserialize(message)).toBeUndefined();
    expect(logger.warnings.filter((line) => line.includes('not JSON'))).toHaveLength(1);
    expect(logger.warnings.length).toBeGreaterThanOrEqual(5);
    // An odd byte count keeps the whole samples.
    const frame = one(await serializer.deserialize(new Uint8Array([1, 0, 2, 0, 3])));
    expect(frame?.type === 'input-audio' && Array.from(frame.audio)).toEqual([1, 2]);
  });
});

describe('VonageFrameSerializer outbound', () => {
  it('cuts audio into exact 640-byte frames and carries the remainder', () => {
    const wire = makeWire();
    expect(sizes(wire.serialize(outputAudioFrame(ramp(480), 16000)))).toEqual([640]);
    expect(sizes(wire.serialize(outputAudioFrame(ramp(480, 480), 16000)))).toEqual([640, 640]);
    expect(sizes(wire.serialize(outputAudioFrame(ramp(1600, 960), 16000)))).toEqual([
      640, 640, 640, 640, 640,
    ]);
    expect(wire.serialize(outputAudioFrame(ramp(100), 16000))).toEqual([]);
  });

  it("gives Pipecat's serialize one message as is, several as an array of 20 ms frames", async () => {
    const serializer = await makeSerializer();
    expect(await serializer.serialize(outputAudioFrame(ramp(100), 16000))).toBeUndefined();
    const one = await serializer.serialize(outputAudioFrame(ramp(220, 100), 16000));
    expect(one instanceof Uint8Array && one.length).toBe(640);
    const several = await serializer.serialize(outputAudioFrame(ramp(1600, 320), 16000));
    expect(Array.isArray(several) && sizes(several)).toEqual([640, 640, 640, 640, 640]);
  });

  it('keeps the samples and their order across frames', () => {
    const wire = makeWire();
    const pcm = ramp(1000);
    const frames = [
      ...wire.serialize(outputAudioFrame(pcm.subarray(0, 333), 16000)),
      ...wire.serialize(outputAudioFrame(pcm.subarray(333), 16000)),
      ...wire.serialize(endFrame()),
    ] as Uint8Array[];
    const all = Buffer.concat(frames);
    expect(all.length).toBe(2560);
    expect(Buffer.compare(all.subarray(0, 2000), le(pcm))).toBe(0);
    expect(all.subarray(2000).every((byte) => byte === 0)).toBe(true);
  });

  it('clears on interruption and drops the carried-over audio', async () => {
    const serializer = await makeSerializer();
    await serializer.serialize(outputAudioFrame(ramp(400), 16000));
    expect(await serializer.serialize(interruptionFrame())).toBe('{"action":"clear"}');
    expect(await serializer.serialize(endFrame())).toBeUndefined();
  });

  it('sends a notify named after the checkpoint, after the carried-over audio', async () => {
    const serializer = await makeSerializer();
    await serializer.serialize(outputAudioFrame(ramp(400), 16000));
    const messages = listed(await serializer.serialize(checkpointFrame('turn-1')));
    expect(sizes(messages)).toEqual([640, '{"action":"notify","payload":{"name":"turn-1"}}']);
    expect(await serializer.serialize(checkpointFrame('turn-2'))).toBe(
      '{"action":"notify","payload":{"name":"turn-2"}}',
    );
  });

  it('resamples 24 kHz output to the 16 kHz wire', () => {
    const wire = makeWire();
    const frames = [...wire.serialize(outputAudioFrame(ramp(2400), 24000)), ...wire.serialize(endFrame())];
    expect(frames.every((frame) => frame instanceof Uint8Array && frame.length === 640)).toBe(true);
    expect(frames.length).toBe(5);
  });

  it('passes transport messages through and sends output-dtmf as in-band binary audio', async () => {
    const serializer = await makeSerializer();
    expect(await serializer.serialize(transportMessageFrame({ action: 'notify', payload: { x: 1 } }))).toBe(
      '{"action":"notify","payload":{"x":1}}',
    );
    const tones = [await serializer.serialize(outputDtmfFrame('1'))].flat();
    expect(tones.length).toBeGreaterThan(0);
    expect(tones.every((message) => message instanceof Uint8Array)).toBe(true);
  });
});

describe('VonageFrameSerializer hang-up', () => {
  it('hangs up once over REST with a valid RS256 JWT when end and cancel both arrive', async () => {
    const callId = '11111111-2222-3333-4444-555555555555';
    const serializer = await makeSerializer({ autoHangUp: true }, { callId });
    await serializer.serialize(endFrame());
    await serializer.serialize(cancelFrame());
    const requests = api.requests.filter((request) => request.path === `/v1/calls/${callId}`);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('PUT');
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ action: 'hangup' });
    expect(requests[0]?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(requests[0]?.responseStatus ?? 204).toBe(204);
  });

  it('names every missing field when auto hang-up cannot work', async () => {
    const error = await makeSerializer({ autoHangUp: true }, { credentials: false, callId: null }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CallwireError);
    expect((error as CallwireError).code).toBe('CONFIG');
    for (const field of ['callId', 'applicationId', 'privateKey']) {
      expect((error as CallwireError).message).toContain(field);
    }
  });

  it('never puts the private key in an error or a log line', async () => {
    const logger = recorder();
    const container = createCallwireContainer({ logger });
    const badKey = `${PRIVATE_KEY.slice(0, 200)}broken`;
    let message = '';
    try {
      registerCarrier(container, vonage, { applicationId: APP, privateKey: badKey });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('privateKey');
    expect(message).not.toContain(badKey.slice(40, 120));
    const serializer = await makeSerializer({ autoHangUp: true }, { logger, callId: CALL });
    api.setFault({ status: 500, times: 2 });
    await serializer.serialize(endFrame());
    api.setFault(undefined);
    const body = PRIVATE_KEY.split('\n')[1] ?? 'unreachable';
    expect(logger.lines.join('\n')).not.toContain(body);
    expect(logger.lines.join('\n')).not.toMatch(/Bearer /);
  });
});

// Pins edges that mutation testing found unpinned: the framer's rate check, hang-up answer
// boundaries, credentials a hang-up needs and the secrets it scrubs, option normalisation, the NCCO's
// optional parts, what detect and answer read, and the serializer's barge-in, rate switch, downmix,
// hang-up and warnings.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CallControl,
  CallwireError,
  cancelFrame,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  endFrame,
  type Frame,
  interruptionFrame,
  outputAudioFrame,
  outputDtmfFrame,
  registerCarrier,
  startFrame,
  type WireMessage,
} from '@callwire/core';
import { MAX_BINARY_AUDIO_BYTES } from '@callwire/kit';
import { recordingLogger } from '@callwire/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VonageCallControl, vonageHangUpAnswer } from './call-control.js';
import { detectVonageCall, vonage } from './carrier.js';
import { createVonageFramer } from './framer.js';
import { signVonageJwt } from './jwt.js';
import { vonageWebSocketNcco } from './ncco.js';
import { isRsaPrivateKeyPem, VonageOptionsSchema } from './options.js';
import { APP, CALL, joined, le, listed, makeSerializer, one, PRIVATE_KEY, ramp } from './test-support.js';

/** A container with Vonage registered (no credentials): the answer webhook is the registered carrier's. */
function answering() {
  const container = createCallwireContainer();
  registerCarrier(container, vonage, {});
  return container;
}

describe('createVonageFramer: the rates it accepts', () => {
  it('refuses rates without whole, even 20 ms frames, naming the rate', () => {
    expect(() => createVonageFramer(8025)).toThrow(
      'vonage framer: 8025 Hz does not give whole 20 ms frames of 16-bit samples',
    );
    expect(() => createVonageFramer(0)).toThrow(RangeError);
    expect(() => createVonageFramer(-8000)).toThrow(RangeError);
    expect(() => createVonageFramer(8010)).toThrow(RangeError);
    expect(createVonageFramer(8050).frameBytes).toBe(322);
  });

  it('flushes nothing when empty and reports what clear dropped', () => {
    const framer = createVonageFramer(8000);
    expect(framer.flush()).toEqual([]);
    expect(framer.clear()).toBe(0);
    expect(framer.push(new Uint8Array(320))).toHaveLength(1);
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.flush()).toEqual([]);
    framer.push(new Uint8Array(5000));
    expect(framer.bufferedBytes).toBe(200);
    expect(framer.clear()).toBe(200);
  });
});

describe('signVonageJwt: defaults', () => {
  it('takes iat from the clock, in whole seconds, and expires 900 s later', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(1_700_000_000_999));
      const token = signVonageJwt({ applicationId: 'a', privateKey: PRIVATE_KEY, jti: 'j' });
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
      expect(claims).toStrictEqual({ application_id: 'a', iat: 1_700_000_000, jti: 'j', exp: 1_700_000_900 });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('vonageHangUpAnswer: the status boundaries', () => {
  it('reads only 200..299 as ended', () => {
    expect([199, 200, 299, 300, 403, 409, 411].map(vonageHangUpAnswer)).toEqual([
      'failed',
      'ended',
      'ended',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
  });
});

describe('VonageCallControl: credentials and secrets', () => {
  let server: Server;
  let url: string;
  let authorization = '';
  let echo: 'authorization' | 'key' = 'authorization';
  beforeAll(async () => {
    // Answers 400 with a body that echoes a credential, as a badly behaved proxy might.
    server = createServer((request, response) => {
      authorization = String(request.headers.authorization ?? '');
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(`bad request; echo=${echo === 'key' ? PRIVATE_KEY : authorization}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses when either credential is missing, logging why at error level', async () => {
    for (const options of [
      { applicationId: APP, apiBaseUrl: url, hangUpTimeoutMs: 1000 },
      { privateKey: PRIVATE_KEY, apiBaseUrl: url, hangUpTimeoutMs: 1000 },
    ]) {
      const logger = recordingLogger();
      authorization = '';
      const result = await new VonageCallControl(options, logger).hangUp(CALL);
      const reason = 'refused: applicationId and privateKey are needed to hang up';
      expect(result).toEqual({ outcome: 'failed', reason });
      expect(logger.at('error')).toEqual([`[vonage] hang-up failed: ${reason} {"callId":"${CALL}"}`]);
      expect(authorization).toBe('');
    }
  });

  it('sends a Bearer JWT and scrubs it from the result and the log when the answer echoes it', async () => {
    const logger = recordingLogger();
    const control = new VonageCallControl(
      { applicationId: APP, privateKey: PRIVATE_KEY, apiBaseUrl: url, hangUpTimeoutMs: 2000 },
      logger,
    );
    echo = 'authorization';
    const result = await control.hangUp(CALL);
    expect(result).toMatchObject({
      outcome: 'failed',
      status: 400,
      body: 'bad request; echo=Bearer [redacted]',
    });
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const jwt = authorization.slice('Bearer '.length);
    const reported = `${JSON.stringify(result)}\n${logger.lines.map((line) => line.text).join('\n')}`;
    expect(reported).not.toContain(jwt);
  });

  it('scrubs the private key from the result and the log when the answer echoes it', async () => {
    const logger = recordingLogger();
    const control = new VonageCallControl(
      { applicationId: APP, privateKey: PRIVATE_KEY, apiBaseUrl: url, hangUpTimeoutMs: 2000 },
      logger,
    );
    echo = 'key';
    const result = await control.hangUp(CALL);
    expect(result).toMatchObject({ outcome: 'failed', status: 400, body: 'bad request; echo=[redacted]' });
    const keyLine = PRIVATE_KEY.split('\n')[1] ?? 'unreachable';
    const reported = `${JSON.stringify(result)}\n${logger.lines.map((line) => line.text).join('\n')}`;
    expect(reported).not.toContain(keyLine);
  });
});

describe('vonage options: normalisation', () => {
  it('drops every trailing slash of apiBaseUrl, and only those', () => {
    const parse = (apiBaseUrl: string) => VonageOptionsSchema.parse({ apiBaseUrl }).apiBaseUrl;
    expect(parse('http://api.example.test//')).toBe('http://api.example.test');
    expect(parse('https://api.example.test/base/')).toBe('https://api.example.test/base');
    expect(parse('https://api.example.test/base')).toBe('https://api.example.test/base');
  });

  it('takes only an RSA key as the application key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(isRsaPrivateKeyPem(PRIVATE_KEY)).toBe(true);
    expect(isRsaPrivateKeyPem(ec)).toBe(false);
    expect(isRsaPrivateKeyPem('garbage')).toBe(false);
    expect(VonageOptionsSchema.safeParse({ privateKey: ec }).success).toBe(false);
  });
});

describe('vonageWebSocketNcco: optional parts', () => {
  it('defaults to 16 kHz and leaves out headers and eventUrl when none are given', () => {
    expect(vonageWebSocketNcco({ streamUrl: 'wss://x/ws' })).toEqual([
      {
        action: 'connect',
        endpoint: [{ type: 'websocket', uri: 'wss://x/ws', 'content-type': 'audio/l16;rate=16000' }],
      },
    ]);
  });

  it('puts the eventUrl in a list and keeps custom headers without a uuid', () => {
    expect(
      vonageWebSocketNcco({ streamUrl: 'wss://x/ws', eventUrl: 'https://x/events', headers: { lang: 'en' } }),
    ).toEqual([
      {
        action: 'connect',
        eventUrl: ['https://x/events'],
        endpoint: [
          {
            type: 'websocket',
            uri: 'wss://x/ws',
            'content-type': 'audio/l16;rate=16000',
            headers: { lang: 'en' },
          },
        ],
      },
    ]);
  });
});

describe('detectVonageCall and answer: where the uuid comes from', () => {
  it('prefers call_uuid over uuid, skips an empty one, and hands on no headers when there are none', () => {
    expect(
      detectVonageCall({ event: 'websocket:connected', call_uuid: '', uuid: 'u-9', 'content-type': 'x' }),
    ).toMatchObject({ streamId: 'u-9', callId: 'u-9', params: { headers: { call_uuid: '', uuid: 'u-9' } } });
    expect(detectVonageCall({ event: 'websocket:connected', call_uuid: 'c-1', uuid: 'u-1' })).toMatchObject({
      callId: 'c-1',
    });
    const bare = detectVonageCall({ event: 'websocket:connected' });
    expect(bare).toMatchObject({ params: {} });
    expect((bare as { params: object }).params).toStrictEqual({});
    expect(Object.keys(bare as object).sort()).toEqual(['metadata', 'params', 'streamId']);
    expect(detectVonageCall('{"event":')).toBeUndefined();
  });

  it('reads the uuid from the query first, then from the body, and drops a malformed one', async () => {
    const answer = async (url: string, body: string) => {
      const reply = await vonage.answer?.(
        { method: 'POST', url, headers: {}, body, streamUrl: 'wss://x/ws' },
        answering(),
      );
      expect(reply?.contentType).toBe('application/json');
      return JSON.parse(reply?.body ?? '[]')[0].endpoint[0].headers as unknown;
    };
    expect(await answer('https://x/answer?uuid=from-query', '{"uuid":"from-body"}')).toEqual({
      call_uuid: 'from-query',
    });
    expect(await answer('https://x/answer?uuid=', '{"uuid":"from-body"}')).toEqual({
      call_uuid: 'from-body',
    });
    expect(await answer('not a url', '{"uuid":"from-body"}')).toEqual({ call_uuid: 'from-body' });
    expect(await answer('https://x/answer', '{"uuid":""}')).toBeUndefined();
    expect(await answer('https://x/answer', '{"uuid":7}')).toBeUndefined();
    expect(await answer('https://x/answer', 'null')).toBeUndefined();
    expect(await answer('https://x/answer', 'not json')).toBeUndefined();
    expect(await answer('https://x/answer?uuid=bad%20uuid', '')).toBeUndefined();
  });
});

describe('createSerializer(vonage): auto hang-up checks', () => {
  const register = (credentials: Record<string, unknown>) => {
    const container = createCallwireContainer({ logger: recordingLogger() });
    registerCarrier(container, vonage, credentials);
    return container;
  };

  it('names exactly the missing fields, and how to pass the uuid', () => {
    const container = register({ applicationId: APP });
    expect(() => createSerializer(container, 'vonage', { streamId: 's', callId: CALL })).toThrow(
      '[vonage] auto hang-up needs privateKey (provide them, or set params.autoHangUp: false)',
    );
    const keyOnly = register({ privateKey: PRIVATE_KEY });
    expect(() => createSerializer(keyOnly, 'vonage', { streamId: 's', callId: CALL })).toThrow(
      /needs applicationId \(/,
    );
  });

  it('refuses a malformed call uuid with a CONFIG error, but not with auto hang-up off', () => {
    const container = register({ applicationId: APP, privateKey: PRIVATE_KEY });
    let caught: unknown;
    try {
      createSerializer(container, 'vonage', { streamId: 's', callId: 'bad uuid/..' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CallwireError);
    expect((caught as CallwireError).code).toBe('CONFIG');
    expect((caught as CallwireError).message).toContain('[vonage] invalid callId: call id is malformed');
    const off = createWireSerializer(container, 'vonage', {
      streamId: 's',
      callId: 'bad uuid/..',
      params: { autoHangUp: false },
    });
    expect(off).toMatchObject({ callId: 'bad uuid/..', autoHangUp: false });
    const none = createWireSerializer(container, 'vonage', {
      streamId: 's',
      params: { autoHangUp: false },
    });
    expect(none.callId).toBeUndefined();
  });
});

describe('VonageFrameSerializer: outbound edges', () => {
  it('averages interleaved stereo into mono, rounding halves up', async () => {
    const { wire } = await makeSerializer();
    const stereo = new Int16Array(640);
    for (let i = 0; i < 320; i++) {
      stereo[2 * i] = i;
      stereo[2 * i + 1] = i + 1;
    }
    const [frame] = wire.serialize(outputAudioFrame(stereo, 16000, 2));
    const mono = new Int16Array((frame as Uint8Array).slice().buffer);
    expect(mono.length).toBe(320);
    expect(Array.from(mono.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(mono[319]).toBe(320);
  });

  it('sends nothing for empty audio', async () => {
    const { wire } = await makeSerializer();
    expect(wire.serialize(outputAudioFrame(new Int16Array(0), 24000))).toEqual([]);
    expect(wire.serialize(endFrame())).toEqual([]);
  });

  it('returns one frame as is and a single text command as text from serialize', async () => {
    const { serializer } = await makeSerializer();
    const single = await serializer.serialize(outputAudioFrame(ramp(320), 16000));
    expect(single instanceof Uint8Array && Buffer.from(single).equals(le(ramp(320)))).toBe(true);
    expect(await serializer.serialize(interruptionFrame())).toBe('{"action":"clear"}');
  });

  it('sends audio after a barge-in exactly as a fresh call would (resampler state dropped)', async () => {
    const fresh = await makeSerializer();
    const expected = joined([
      ...fresh.wire.serialize(outputAudioFrame(ramp(2400, 7), 24000)),
      ...fresh.wire.serialize(endFrame()),
    ]);
    for (const barge of [interruptionFrame(), cancelFrame()]) {
      const { wire } = await makeSerializer();
      wire.serialize(outputAudioFrame(ramp(2471, 999), 24000));
      wire.serialize(barge);
      const after = joined([
        ...wire.serialize(outputAudioFrame(ramp(2400, 7), 24000)),
        ...wire.serialize(endFrame()),
      ]);
      expect(Buffer.compare(after, expected)).toBe(0);
    }
  });

  it('resamples a stream split over frames exactly as in one piece', async () => {
    const whole = await makeSerializer();
    const expected = joined([
      ...whole.wire.serialize(outputAudioFrame(ramp(2400), 24000)),
      ...whole.wire.serialize(endFrame()),
    ]);
    const split = await makeSerializer();
    const sent: WireMessage[] = [];
    for (let offset = 0; offset < 2400; offset += 480) {
      sent.push(...split.wire.serialize(outputAudioFrame(ramp(480, offset), 24000)));
    }
    sent.push(...split.wire.serialize(endFrame()));
    expect(Buffer.compare(joined(sent), expected)).toBe(0);
  });

  it('finishes the old rate before a new one starts mid-call, keeping the whole duration', async () => {
    const { wire } = await makeSerializer();
    // 100 ms at 24 kHz, then 100 ms at 8 kHz: 200 ms at 16 kHz is 6400 bytes, ten 640-byte frames.
    const messages = [
      ...wire.serialize(outputAudioFrame(ramp(2400), 24000)),
      ...wire.serialize(outputAudioFrame(ramp(800), 8000)),
      ...wire.serialize(endFrame()),
    ];
    expect(messages.map((message) => (message as Uint8Array).length)).toEqual(new Array(10).fill(640));
  });

  it('follows websocket:connected to 8 kHz: new frame size and a new output resampler', async () => {
    const logger = recordingLogger();
    const { wire } = await makeSerializer({}, { logger });
    wire.serialize(outputAudioFrame(ramp(100), 16000));
    wire.deserialize('{"event":"websocket:connected","content-type":"audio/l16;rate=8000"}');
    expect(logger.at('warn')).toEqual([
      '[vonage] content-type says 8000 Hz, params say 16000 Hz; using 8000 Hz',
    ]);
    const messages = [...wire.serialize(outputAudioFrame(ramp(1600), 16000)), ...wire.serialize(endFrame())];
    // 100 ms at 8 kHz: 1600 bytes in 320-byte frames (the 100 samples held before were dropped).
    expect(messages.map((message) => (message as Uint8Array).length)).toEqual(new Array(5).fill(320));
    // Inbound now reads 8 kHz: 160 samples become about 320 at the 16 kHz pipeline.
    const [frame] = wire.deserialize(le(ramp(160)));
    expect(frame?.type === 'input-audio' && frame.audio.length).toBeGreaterThan(200);
  });

  it('warns about an unsupported content-type but not about a missing or matching one', async () => {
    const logger = recordingLogger();
    const { wire } = await makeSerializer({}, { logger });
    wire.deserialize('{"event":"websocket:connected"}');
    wire.deserialize('{"event":"websocket:connected","content-type":"audio/l16;rate=16000"}');
    expect(logger.at('warn')).toEqual([]);
    wire.deserialize('{"event":"websocket:connected","content-type":"audio/pcmu"}');
    expect(logger.at('warn')).toEqual([
      '[vonage] websocket:connected announces "audio/pcmu"; keeping 16000 Hz',
    ]);
    expect(wire.serialize(outputAudioFrame(ramp(320), 16000))).toHaveLength(1);
  });

  it('adopts an announced rate before setup and resamples from it once set up', async () => {
    const { serializer } = await makeSerializer({ sampleRate: 8000 }, { setup: false });
    await serializer.deserialize('{"event":"websocket:connected","content-type":"audio/l16;rate=8000"}');
    await serializer.setup(startFrame({ audioInSampleRate: 16000 }));
    expect(await serializer.deserialize(le(ramp(160)))).toEqual({
      type: 'input-audio',
      audio: ramp(160),
      sampleRate: 8000,
      numChannels: 1,
    });
  });

  it('warns once, naming the frame, when a frame cannot be encoded, and sends nothing', async () => {
    const logger = recordingLogger();
    const { wire } = await makeSerializer({}, { logger });
    // Built by hand: outputAudioFrame() itself refuses a rate of 0 Hz.
    const broken = { type: 'output-audio', audio: ramp(160), sampleRate: 0, numChannels: 1 } as Frame;
    expect(wire.serialize(broken)).toEqual([]);
    expect(wire.serialize(broken)).toEqual([]);
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('[vonage] cannot serialize a "output-audio" frame');
  });

  it('sends nothing for a transport message without a JSON form, and output-dtmf as in-band audio', async () => {
    const logger = recordingLogger();
    const { wire } = await makeSerializer({}, { logger });
    const frame = { type: 'output-transport-message', message: undefined } as unknown as Frame;
    expect(wire.serialize(frame)).toEqual([]);
    expect(wire.serialize(outputDtmfFrame('1')).length).toBeGreaterThan(0);
    expect(logger.at('warn')).toEqual([]);
  });
});

describe('VonageFrameSerializer: hang-up', () => {
  it('hangs up once on end with auto hang-up on, after flushing the audio', async () => {
    const { serializer, hangUps } = await makeSerializer({ autoHangUp: true }, { callId: CALL });
    await serializer.serialize(outputAudioFrame(ramp(100), 16000));
    expect(listed(await serializer.serialize(endFrame()))).toHaveLength(1);
    await serializer.serialize(endFrame());
    await serializer.serialize(cancelFrame());
    expect(hangUps).toEqual([CALL]);
  });

  it('hangs up on cancel too', async () => {
    const { serializer, hangUps } = await makeSerializer({ autoHangUp: true }, { callId: CALL });
    expect(await serializer.serialize(cancelFrame())).toBeUndefined();
    expect(hangUps).toEqual([CALL]);
  });

  it('does not hang up with auto hang-up off, and refuses auto hang-up without a call id', async () => {
    const off = await makeSerializer({ autoHangUp: false }, { callId: CALL });
    expect(off.wire.autoHangUp).toBe(false);
    await off.serializer.serialize(endFrame());
    expect(off.hangUps).toEqual([]);
    // Without a call id there is nothing to hang up: the serializer is refused at creation.
    await expect(makeSerializer({ autoHangUp: true })).rejects.toThrow(/auto hang-up needs callId \(/);
  });

  it('logs a hang-up that throws at error level and still returns the tail', async () => {
    const logger = recordingLogger();
    const control: CallControl = {
      carrier: 'vonage',
      hangUp: async () => {
        throw new Error('boom');
      },
    };
    const { serializer } = await makeSerializer({ autoHangUp: true }, { logger, control, callId: CALL });
    await serializer.serialize(outputAudioFrame(ramp(100), 16000));
    expect(listed(await serializer.serialize(endFrame()))).toHaveLength(1);
    expect(logger.at('error')).toEqual([`[vonage] hang-up threw: boom {"callId":"${CALL}"}`]);
    expect(logger.at('warn')).toEqual([]);
  });
});

describe('VonageFrameSerializer: inbound edges and their warnings', () => {
  it('reads a numeric DTMF digit and warns about a bad one, quoting it', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger });
    expect(await serializer.deserialize('{"event":"websocket:dtmf","digit":5}')).toEqual({
      type: 'input-dtmf',
      digit: '5',
    });
    expect(await serializer.deserialize('{"event":"websocket:dtmf","dtmf":{"digit":7}}')).toEqual({
      type: 'input-dtmf',
      digit: '7',
    });
    expect(await serializer.deserialize('{"event":"websocket:dtmf","digit":"Z"}')).toBeUndefined();
    expect(logger.at('warn')).toEqual(['[vonage] ignoring DTMF digit "Z" (not 0-9 * # A-D)']);
  });

  it('logs a notify without a name, or with an empty one, and cleared, at debug level', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger });
    expect(
      await serializer.deserialize('{"event":"websocket:notify","payload":{"name":""}}'),
    ).toBeUndefined();
    expect(await serializer.deserialize('{"event":"websocket:notify"}')).toBeUndefined();
    expect(await serializer.deserialize('{"event":"websocket:cleared"}')).toBeUndefined();
    expect(logger.at('debug')).toEqual([
      '[vonage] notify without a checkpoint name {"streamId":"stream-1"}',
      '[vonage] notify without a checkpoint name {"streamId":"stream-1"}',
      '[vonage] playback buffer cleared {"streamId":"stream-1"}',
    ]);
  });

  it('drops the odd last byte with a warning naming the size, and an empty message silently', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger });
    expect(await serializer.deserialize(new Uint8Array(0))).toBeUndefined();
    expect(logger.lines).toEqual([]);
    expect(await serializer.deserialize(new Uint8Array([1]))).toBeUndefined();
    expect(logger.at('warn')).toEqual([
      '[vonage] a 1-byte L16 payload is not whole samples; dropping its last byte',
    ]);
    expect(one(await serializer.deserialize(new Uint8Array([1, 0, 2, 0, 3])))).toEqual({
      type: 'input-audio',
      audio: Int16Array.of(1, 2),
      sampleRate: 16000,
      numChannels: 1,
    });
  });

  it('warns that audio before setup is dropped', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger, setup: false });
    expect(await serializer.deserialize(le(ramp(320)))).toBeUndefined();
    expect(logger.at('warn')).toEqual(['[vonage] dropping audio received before setup()']);
  });

  it('ignores a binary message over the size limit with a warning, and keeps the call', async () => {
    const logger = recordingLogger();
    const { serializer } = await makeSerializer({}, { logger });
    expect(await serializer.deserialize(new Uint8Array(MAX_BINARY_AUDIO_BYTES + 2))).toBeUndefined();
    expect(logger.at('warn')).toEqual([
      `[vonage] ignoring a ${MAX_BINARY_AUDIO_BYTES + 2}-byte audio message (limit ${MAX_BINARY_AUDIO_BYTES})`,
    ]);
    expect(one(await serializer.deserialize(new Uint8Array(MAX_BINARY_AUDIO_BYTES)))?.type).toBe(
      'input-audio',
    );
  });
});

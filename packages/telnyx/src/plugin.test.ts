import {
  CallwireError,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  registerCarrier,
  resolveCallControl,
  startFrame,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { detectTelnyxCall, telnyx } from './carrier.js';
import { TelnyxCallParamsSchema, TelnyxOptionsSchema } from './options.js';

const API_KEY = 'KEY0123456789ABCDEF_telnyx-test-key';

function configError(fn: () => unknown): CallwireError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallwireError);
    expect((error as CallwireError).code).toBe('CONFIG');
    return error as CallwireError;
  }
  throw new Error('expected a CallwireError');
}

describe('telnyx options and params', () => {
  it('defaults to api.telnyx.com and 5000 ms', () => {
    expect(registerCarrier(createCallwireContainer(), telnyx, {})).toEqual({
      apiBaseUrl: 'https://api.telnyx.com',
      hangUpTimeoutMs: 5000,
    });
  });

  it('names every bad option without echoing the key', () => {
    const error = configError(() =>
      registerCarrier(createCallwireContainer(), telnyx, {
        apiKey: '',
        apiBaseUrl: 'telnyx.com',
        publicKey: 'not-a-key',
        hangUpTimeoutMs: 0,
        api_key: 'typo',
      } as never),
    );
    for (const field of ['apiKey', 'apiBaseUrl', 'publicKey', 'hangUpTimeoutMs', 'api_key'])
      expect(error.message).toContain(field);
  });

  it('bounds hangUpTimeoutMs as every carrier does: 1-60000 ms', () => {
    expect(TelnyxOptionsSchema.parse({ hangUpTimeoutMs: 60_000 }).hangUpTimeoutMs).toBe(60_000);
    for (const hangUpTimeoutMs of [0, 60_001, 120_000, 1.5]) {
      expect(TelnyxOptionsSchema.safeParse({ hangUpTimeoutMs }).success, String(hangUpTimeoutMs)).toBe(false);
    }
  });

  it('drops trailing slashes from apiBaseUrl and accepts only a whole 32-byte public key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      TelnyxOptionsSchema.parse({ apiBaseUrl: 'http://127.0.0.1:9//', publicKey: ` ${key} ` }).apiBaseUrl,
    ).toBe('http://127.0.0.1:9');
    for (const publicKey of [
      `x${key}`,
      `${key}x`,
      Buffer.alloc(31, 7).toString('base64'),
      `${'A'.repeat(43)}=!`,
    ]) {
      expect(TelnyxOptionsSchema.safeParse({ publicKey }).success, publicKey).toBe(false);
    }
  });

  it('names encodings by direction: outbound defaults to inbound; only PCMU and PCMA', () => {
    expect(TelnyxCallParamsSchema.parse({})).toEqual({
      inboundEncoding: 'PCMU',
      outboundEncoding: 'PCMU',
      autoHangUp: true,
    });
    expect(TelnyxCallParamsSchema.parse({ inboundEncoding: 'PCMA' }).outboundEncoding).toBe('PCMA');
    expect(
      TelnyxCallParamsSchema.parse({ inboundEncoding: 'PCMA', outboundEncoding: 'PCMU' }).outboundEncoding,
    ).toBe('PCMU');
    const container = createCallwireContainer();
    registerCarrier(container, telnyx, {});
    const error = configError(() =>
      createSerializer(container, 'telnyx', {
        streamId: 's',
        params: { autoHangUp: false, inboundEncoding: 'L16', outbound_encoding: 'PCMU' },
      }),
    );
    expect(error.message).toContain('inboundEncoding');
    expect(error.message).toContain('outbound_encoding');
  });
});

describe('createSerializer(container, "telnyx", ...)', () => {
  it('with auto hang-up on, names the missing call id and API key in one CONFIG error', () => {
    const container = createCallwireContainer();
    registerCarrier(container, telnyx, {});
    expect(configError(() => createSerializer(container, 'telnyx', { streamId: 's' })).message).toMatch(
      /^\[telnyx\] auto hang-up needs callId, apiKey /,
    );
    const keyed = createCallwireContainer();
    registerCarrier(keyed, telnyx, { apiKey: API_KEY });
    expect(createSerializer(keyed, 'telnyx', { streamId: 's', callId: 'v3:abc' }).carrier).toBe('telnyx');
    expect(createWireSerializer(keyed, 'telnyx', { streamId: 's', callId: 'v3:abc' })).toMatchObject({
      carrier: 'telnyx',
      streamId: 's',
      callId: 'v3:abc',
      autoHangUp: true,
    });
    expect(resolveCallControl(keyed, 'telnyx').carrier).toBe('telnyx');
    expect(
      createWireSerializer(container, 'telnyx', { streamId: 's', params: { autoHangUp: false } }),
    ).toMatchObject({ callId: undefined, autoHangUp: false });
  });

  it('refuses a pipeline rate the codec cannot resample at createSerializer, not later in setup', () => {
    const container = createCallwireContainer();
    registerCarrier(container, telnyx, {});
    const open = (sampleRate: number) =>
      createWireSerializer(container, 'telnyx', { streamId: 's', params: { sampleRate, autoHangUp: false } });
    for (const sampleRate of [999, 384_001, 8000.5, 0]) {
      expect(configError(() => open(sampleRate)).message).toContain('sampleRate');
    }
    // The codec's whole range, above the 192000 Hz this carrier used to stop at.
    for (const sampleRate of [1000, 44_100, 384_000]) {
      const serializer = open(sampleRate);
      expect(() => serializer.setup(startFrame({ audioInSampleRate: 16000 }))).not.toThrow();
    }
  });
});

describe('detectTelnyxCall', () => {
  const start = (encoding?: string) => ({
    event: 'start',
    sequence_number: '1',
    start: {
      call_control_id: 'v3:abc',
      ...(encoding ? { media_format: { encoding, sample_rate: 8000, channels: 1 } } : {}),
    },
    stream_id: 'sid-1',
  });

  it('asks for more on connected and reads ids and inbound encoding from start', () => {
    expect(detectTelnyxCall({ event: 'connected', version: '1.0.0' })).toBe('need-more');
    expect(detectTelnyxCall(start('PCMA'))).toEqual({
      metadata: expect.any(Object),
      streamId: 'sid-1',
      callId: 'v3:abc',
      params: { inboundEncoding: 'PCMA' },
    });
    expect(detectTelnyxCall(start('audio/x-mulaw'))).toEqual({
      metadata: expect.any(Object),
      streamId: 'sid-1',
      callId: 'v3:abc',
      params: { inboundEncoding: 'PCMU' },
    });
    expect(detectTelnyxCall(start())).toEqual({
      metadata: expect.any(Object),
      streamId: 'sid-1',
      callId: 'v3:abc',
    });
  });

  it('passes an unsupported encoding on, so createSerializer refuses it by name', () => {
    const detected = detectTelnyxCall(start('G722'));
    expect(detected).toMatchObject({ params: { inboundEncoding: 'G722' } });
    const container = createCallwireContainer();
    registerCarrier(container, telnyx, { apiKey: API_KEY });
    expect(configError(() => createSerializer(container, 'telnyx', detected as never)).message).toContain(
      'inboundEncoding',
    );
  });

  it('reads a JSON string too, and refuses a call id that cannot be put in the hang-up URL', () => {
    expect(detectTelnyxCall('{"event":"connected","version":"1.0.0"}')).toBe('need-more');
    expect(detectTelnyxCall(JSON.stringify(start('PCMU')))).toMatchObject({
      streamId: 'sid-1',
      callId: 'v3:abc',
    });
    expect(detectTelnyxCall('{not json')).toBeUndefined();
    const container = createCallwireContainer();
    registerCarrier(container, telnyx, { apiKey: API_KEY });
    expect(
      configError(() => createSerializer(container, 'telnyx', { streamId: 's', callId: 'v3:a/b' })).message,
    ).toMatch(/^\[telnyx\] invalid callId: call id is malformed/);
  });

  it("does not claim other carriers' openings or junk", () => {
    const twilioStart = { event: 'start', start: { streamSid: 'MZ', callSid: 'CA' }, streamSid: 'MZ' };
    const plivoStart = { event: 'start', start: { streamId: 's', callId: 'c' } };
    for (const message of [twilioStart, plivoStart, { stream_id: 's', start: {} }, null, 7, 'x']) {
      expect(detectTelnyxCall(message)).toBeUndefined();
    }
  });
});

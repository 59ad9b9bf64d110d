import {
  CallwireError,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  outputAudioFrame,
  registerCarrier,
  resolveCallControl,
  startFrame,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { PlivoCallControl } from './call-control.js';
import { detectPlivoCall, plivo } from './carrier.js';
import { PlivoOptionsSchema } from './options.js';

const AUTH_ID = 'MAXXXXXXXXXXXXXXXXXX';
const AUTH_TOKEN = 'plivo-test-token-0123456789abcdef';
const CALL_ID = '12345678-1234-1234-1234-123456789abc';
const STREAM_ID = '87654321-4321-4321-4321-cba987654321';

function configError(fn: () => unknown): CallwireError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallwireError);
    expect((error as CallwireError).code).toBe('CONFIG');
    return error as CallwireError;
  }
  throw new Error('expected a CONFIG error');
}

describe('registerCarrier(container, plivo, options)', () => {
  it('fills in the defaults', () => {
    expect(
      registerCarrier(createCallwireContainer(), plivo, { authId: AUTH_ID, authToken: AUTH_TOKEN }),
    ).toEqual({
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: 'https://api.plivo.com',
      hangUpTimeoutMs: 5000,
    });
    expect(PlivoOptionsSchema.parse({ apiBaseUrl: 'http://127.0.0.1:9/' }).apiBaseUrl).toBe(
      'http://127.0.0.1:9',
    );
  });

  it('works without credentials (serialize-only use)', () => {
    const container = createCallwireContainer();
    registerCarrier(container, plivo, {});
    expect(resolveCallControl(container, 'plivo')).toBeInstanceOf(PlivoCallControl);
  });

  it('names every bad field in one error and never echoes the token', () => {
    const error = configError(() =>
      registerCarrier(createCallwireContainer(), plivo, {
        authId: 'MA/../evil',
        authToken: '',
        apiBaseUrl: 'ftp://api.plivo.com',
        hangUpTimeoutMs: -1,
        authtoken: 'typo-s3cret',
      } as never),
    );
    for (const field of ['authId', 'authToken', 'apiBaseUrl', 'hangUpTimeoutMs', 'authtoken']) {
      expect(error.message).toContain(field);
    }
    expect(error.message).not.toContain('typo-s3cret');
  });

  it('registers one PlivoCallControl per container, shared by its calls', () => {
    const container = createCallwireContainer();
    registerCarrier(container, plivo, { authId: AUTH_ID, authToken: AUTH_TOKEN });
    const control = resolveCallControl(container, 'plivo');
    expect(control.carrier).toBe('plivo');
    expect(resolveCallControl(container, 'plivo')).toBe(control);
    const other = createCallwireContainer();
    registerCarrier(other, plivo, { authId: AUTH_ID, authToken: AUTH_TOKEN });
    expect(resolveCallControl(other, 'plivo')).not.toBe(control);
  });
});

describe("createSerializer(container, 'plivo', call)", () => {
  const withCredentials = () => {
    const container = createCallwireContainer();
    registerCarrier(container, plivo, { authId: AUTH_ID, authToken: AUTH_TOKEN });
    return container;
  };

  it('makes a serializer per call with defaults for params: mu-law at 8 kHz, auto hang-up on', () => {
    const container = withCredentials();
    const serializer = createWireSerializer(container, 'plivo', { streamId: STREAM_ID, callId: CALL_ID });
    expect(serializer).toMatchObject({
      carrier: 'plivo',
      streamId: STREAM_ID,
      callId: CALL_ID,
      autoHangUp: true,
    });
    serializer.setup(startFrame({ audioInSampleRate: 8000 }));
    const [message] = serializer.serialize(outputAudioFrame(new Int16Array(160), 8000));
    expect(JSON.parse(String(message)).media).toMatchObject({
      contentType: 'audio/x-mulaw',
      sampleRate: 8000,
    });
    expect(createWireSerializer(container, 'plivo', { streamId: STREAM_ID, callId: CALL_ID })).not.toBe(
      serializer,
    );
  });

  it('names callId, authId and authToken together when auto hang-up lacks them', () => {
    const container = createCallwireContainer();
    registerCarrier(container, plivo, {});
    const error = configError(() => createSerializer(container, 'plivo', { streamId: STREAM_ID }));
    expect(error.message).toBe(
      '[plivo] auto hang-up needs callId, authId, authToken (provide them, or set params.autoHangUp: false)',
    );
    expect(
      configError(() => createSerializer(withCredentials(), 'plivo', { streamId: STREAM_ID })).message,
    ).toContain('needs callId (');
  });

  it('needs nothing more with autoHangUp off', () => {
    const container = createCallwireContainer();
    registerCarrier(container, plivo, {});
    expect(
      createWireSerializer(container, 'plivo', { streamId: STREAM_ID, params: { autoHangUp: false } }),
    ).toMatchObject({ carrier: 'plivo', autoHangUp: false });
  });

  it('refuses a malformed call id at creation, not at hang-up', () => {
    expect(
      configError(() =>
        createSerializer(withCredentials(), 'plivo', { streamId: STREAM_ID, callId: '../Call' }),
      ).message,
    ).toContain('callId');
  });

  it('validates params and names each bad one', () => {
    const error = configError(() =>
      createSerializer(withCredentials(), 'plivo', {
        streamId: STREAM_ID,
        callId: CALL_ID,
        params: { sampleRate: 0, contentType: 'audio/x-alaw', autoHangUp: 'yes', extra: 1 },
      }),
    );
    for (const field of ['sampleRate', 'contentType', 'autoHangUp', 'extra'])
      expect(error.message).toContain(field);
    expect(error.message).toMatch(/^\[plivo\] invalid call params:/);
  });

  it('refuses mu-law at 16 kHz, which Plivo does not carry', () => {
    expect(
      configError(() =>
        createSerializer(withCredentials(), 'plivo', {
          streamId: STREAM_ID,
          callId: CALL_ID,
          params: { plivoSampleRate: 16000 },
        }),
      ).message,
    ).toContain('plivoSampleRate');
    expect(
      createSerializer(withCredentials(), 'plivo', {
        streamId: STREAM_ID,
        callId: CALL_ID,
        params: { plivoSampleRate: 16000, contentType: 'audio/x-l16' },
      }),
    ).toMatchObject({ carrier: 'plivo' });
  });
});

describe('plivo.detect', () => {
  const start = {
    event: 'start',
    sequenceNumber: 1,
    start: {
      callId: CALL_ID,
      streamId: STREAM_ID,
      accountId: AUTH_ID,
      tracks: ['inbound'],
      mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000 },
    },
    extra_headers: 'userId=12345;sessionId=abc-xyz',
  };

  it('recognises start and returns the ids and the announced format as params', () => {
    expect(plivo.detect?.(start)).toEqual({
      metadata: expect.any(Object),
      streamId: STREAM_ID,
      callId: CALL_ID,
      params: { plivoSampleRate: 16000, contentType: 'audio/x-l16' },
    });
    expect(
      detectPlivoCall({
        ...start,
        start: { ...start.start, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
      }),
    ).toMatchObject({ params: { plivoSampleRate: 8000, contentType: 'audio/x-mulaw' } });
  });

  it('leaves params out for a format Plivo does not document, or none', () => {
    const { mediaFormat: _, ...bare } = start.start;
    expect(detectPlivoCall({ ...start, start: bare })).toEqual({
      metadata: expect.any(Object),
      streamId: STREAM_ID,
      callId: CALL_ID,
    });
    expect(
      detectPlivoCall({
        ...start,
        start: { ...start.start, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 16000 } },
      }),
    ).toEqual({ metadata: expect.any(Object), streamId: STREAM_ID, callId: CALL_ID });
  });

  it('is what the created serializer accepts', () => {
    const container = createCallwireContainer();
    registerCarrier(container, plivo, { authId: AUTH_ID, authToken: AUTH_TOKEN });
    const call = detectPlivoCall(start);
    if (call === undefined || call === 'need-more') throw new Error('not detected');
    const serializer = createWireSerializer(container, 'plivo', call);
    serializer.setup(startFrame({ audioInSampleRate: 16000 }));
    const [message] = serializer.serialize(outputAudioFrame(new Int16Array(320), 16000));
    expect(JSON.parse(String(message)).media).toMatchObject({
      contentType: 'audio/x-l16',
      sampleRate: 16000,
    });
  });

  it('says undefined for anything else, without throwing', () => {
    const others: unknown[] = [
      undefined,
      null,
      42,
      'not json',
      new Uint8Array([1, 2, 3]),
      [],
      { event: 'connected' },
      { event: 'start', streamSid: 'MZ1', start: { callSid: 'CA1', streamSid: 'MZ1' } },
      { event: 'start', start: { callId: '', streamId: STREAM_ID } },
      { event: 'start', start: { callId: CALL_ID } },
      { event: 'media', streamId: STREAM_ID, media: { payload: '' } },
      Object.create(null),
    ];
    for (const message of others) expect(detectPlivoCall(message)).toBeUndefined();
    expect(detectPlivoCall(JSON.stringify(start))).toMatchObject({ streamId: STREAM_ID });
  });
});

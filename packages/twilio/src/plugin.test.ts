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
import { detectTwilioCall, twilio } from './carrier.js';
import { TwilioOptionsSchema } from './options.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-test-token-0123456789abcdef';

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

describe('twilio options', () => {
  it('defaults to api.twilio.com and a 5000 ms hang-up deadline', () => {
    expect(registerCarrier(createCallwireContainer(), twilio, {})).toEqual({
      apiBaseUrl: 'https://api.twilio.com',
      hangUpTimeoutMs: 5000,
    });
  });

  it('bounds hangUpTimeoutMs as every carrier does: 1-60000 ms', () => {
    expect(TwilioOptionsSchema.parse({ hangUpTimeoutMs: 60_000 }).hangUpTimeoutMs).toBe(60_000);
    for (const hangUpTimeoutMs of [0, 60_001, 1.5]) {
      expect(TwilioOptionsSchema.safeParse({ hangUpTimeoutMs }).success).toBe(false);
    }
  });

  it('takes the regional host when apiBaseUrl is the default, given or not', () => {
    expect(
      TwilioOptionsSchema.parse({ region: 'ie1', edge: 'dublin', apiBaseUrl: 'https://api.twilio.com/' })
        .apiBaseUrl,
    ).toBe('https://api.dublin.ie1.twilio.com');
    expect(TwilioOptionsSchema.parse({ apiBaseUrl: 'https://api.twilio.com/' }).apiBaseUrl).toBe(
      'https://api.twilio.com',
    );
  });

  it('builds the regional host from region and edge, and lets apiBaseUrl win', () => {
    expect(TwilioOptionsSchema.parse({ region: 'au1', edge: 'sydney' }).apiBaseUrl).toBe(
      'https://api.sydney.au1.twilio.com',
    );
    expect(
      TwilioOptionsSchema.parse({ region: 'au1', edge: 'sydney', apiBaseUrl: 'http://127.0.0.1:9/' })
        .apiBaseUrl,
    ).toBe('http://127.0.0.1:9');
  });

  it('names the missing half of region/edge and every other bad field, never echoing the token', () => {
    expect(
      configError(() => registerCarrier(createCallwireContainer(), twilio, { region: 'au1' })).message,
    ).toContain('edge: edge is required when region is set');
    expect(
      configError(() => registerCarrier(createCallwireContainer(), twilio, { edge: 'sydney' })).message,
    ).toContain('region: region is required when edge is set');
    const many = configError(() =>
      registerCarrier(createCallwireContainer(), twilio, {
        accountSid: 'AC/../x',
        authToken: '',
        apiBaseUrl: 'ftp://x',
        region: 'AU 1',
        edge: 'sydney',
        hangUpTimeoutMs: -1,
        authtoken: 'typo',
      } as never),
    );
    for (const field of ['accountSid', 'authToken', 'apiBaseUrl', 'region', 'hangUpTimeoutMs', 'authtoken']) {
      expect(many.message).toContain(field);
    }
  });
});

describe('createSerializer(container, "twilio", ...)', () => {
  it('makes a serializer and shares one CallControl', () => {
    const container = createCallwireContainer();
    registerCarrier(container, twilio, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const serializer = createSerializer(container, 'twilio', { streamId: 'MZ1', callId: 'CA1' });
    expect(serializer.carrier).toBe('twilio');
    expect(createWireSerializer(container, 'twilio', { streamId: 'MZ1', callId: 'CA1' })).toMatchObject({
      carrier: 'twilio',
      streamId: 'MZ1',
      callId: 'CA1',
      autoHangUp: true,
    });
    expect(resolveCallControl(container, 'twilio').carrier).toBe('twilio');
  });

  it('with auto hang-up on, names every missing field in one CONFIG error', () => {
    const container = createCallwireContainer();
    registerCarrier(container, twilio, { authToken: AUTH_TOKEN });
    const error = configError(() => createSerializer(container, 'twilio', { streamId: 'MZ1' }));
    expect(error.message).toMatch(/^\[twilio\] auto hang-up needs callId, accountSid /);
    expect(error.message).not.toContain(AUTH_TOKEN);
    expect(() =>
      createSerializer(container, 'twilio', { streamId: 'MZ1', params: { autoHangUp: false } }),
    ).not.toThrow();
  });

  it('refuses a call id that cannot be put in the hang-up URL', () => {
    const container = createCallwireContainer();
    registerCarrier(container, twilio, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    expect(
      configError(() => createSerializer(container, 'twilio', { streamId: 'MZ1', callId: 'CA1/../x' }))
        .message,
    ).toMatch(/^\[twilio\] invalid callId: call id is malformed/);
    const serializer = createWireSerializer(container, 'twilio', {
      streamId: 'MZ1',
      params: { autoHangUp: false },
    });
    expect(serializer).toMatchObject({ callId: undefined, autoHangUp: false });
  });

  it('refuses bad params and unknown keys', () => {
    const container = createCallwireContainer();
    registerCarrier(container, twilio, {});
    const error = configError(() =>
      createSerializer(container, 'twilio', {
        streamId: 'MZ1',
        params: { sampleRate: 0, auto_hang_up: false },
      }),
    );
    expect(error.message).toContain('sampleRate');
    expect(error.message).toContain('auto_hang_up');
  });

  it('refuses a pipeline rate the codec cannot resample at createSerializer, not later in setup', () => {
    const container = createCallwireContainer();
    registerCarrier(container, twilio, {});
    const open = (sampleRate: number) =>
      createWireSerializer(container, 'twilio', {
        streamId: 'MZ1',
        params: { sampleRate, autoHangUp: false },
      });
    for (const sampleRate of [999, 384_001, 8000.5]) {
      expect(configError(() => open(sampleRate)).message).toContain('sampleRate');
    }
    for (const sampleRate of [1000, 384_000]) {
      const serializer = open(sampleRate);
      expect(() => serializer.setup(startFrame({ audioInSampleRate: 16000 }))).not.toThrow();
    }
  });
});

describe('detectTwilioCall', () => {
  it('asks for more on connected and reads the ids from start', () => {
    expect(detectTwilioCall({ event: 'connected', protocol: 'Call', version: '1.0.0' })).toBe('need-more');
    expect(
      detectTwilioCall({
        event: 'start',
        sequenceNumber: '1',
        start: { accountSid: ACCOUNT_SID, streamSid: 'MZ1', callSid: 'CA1', tracks: ['inbound'] },
        streamSid: 'MZ1',
      }),
    ).toEqual({ metadata: expect.any(Object), streamId: 'MZ1', callId: 'CA1' });
  });

  it('reads a JSON string too, and needs both ids in start', () => {
    expect(detectTwilioCall('{"event":"connected","protocol":"Call","version":"1.0.0"}')).toBe('need-more');
    expect(
      detectTwilioCall(JSON.stringify({ event: 'start', start: { streamSid: 'MZ1', callSid: 'CA1' } })),
    ).toEqual({ metadata: expect.any(Object), streamId: 'MZ1', callId: 'CA1' });
    expect(detectTwilioCall({ event: 'start', start: { streamSid: 'MZ1' } })).toBeUndefined();
    expect(detectTwilioCall('{not json')).toBeUndefined();
    expect(detectTwilioCall(null)).toBeUndefined();
  });

  // Other carriers' openings are checked once for every carrier by the CLI's detection matrix.
  it('does not claim junk', () => {
    for (const message of [null, 'x', 42, [], { event: 'media' }]) {
      expect(detectTwilioCall(message)).toBeUndefined();
    }
  });
});

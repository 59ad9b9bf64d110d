import {
  CallwireError,
  createCallwireContainer,
  createSerializer,
  registerCarrier,
  resolveCallControl,
  type WebhookRequest,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { TwilioOptionsSchema } from './options.js';
import { answerTwilio, detectTwilioCall, twilio, verifyTwilioWebhook } from './plugin.js';
import { TwilioFrameSerializer } from './serializer.js';
import { computeTwilioSignature, twilioBodySha256 } from './signature.js';

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
      }),
    );
    for (const field of ['accountSid', 'authToken', 'apiBaseUrl', 'region', 'hangUpTimeoutMs']) {
      expect(many.message).toContain(field);
    }
  });
});

describe('createSerializer(container, "twilio", ...)', () => {
  it('makes a serializer and shares one CallControl', () => {
    const container = createCallwireContainer();
    registerCarrier(container, twilio, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const serializer = createSerializer(container, 'twilio', { streamId: 'MZ1', callId: 'CA1' });
    expect(serializer).toBeInstanceOf(TwilioFrameSerializer);
    expect(serializer.carrier).toBe('twilio');
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
    ).toEqual({ streamId: 'MZ1', callId: 'CA1' });
  });

  it("does not claim other carriers' openings or junk", () => {
    const plivoStart = { event: 'start', start: { streamId: 's', callId: 'c' } };
    const telnyxStart = { event: 'start', stream_id: 's', start: { call_control_id: 'v3:c' } };
    const exotelStart = { event: 'start', start: { stream_sid: 's', call_sid: 'c', account_sid: 'a' } };
    for (const message of [plivoStart, telnyxStart, exotelStart, null, 'x', 42, [], { event: 'media' }]) {
      expect(detectTwilioCall(message)).toBeUndefined();
    }
  });
});

describe('answerTwilio', () => {
  it('answers <Connect><Stream> to the stream URL', () => {
    expect(answerTwilio({ streamUrl: 'wss://calls.example.com/stream' })).toEqual({
      contentType: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://calls.example.com/stream"/></Connect></Response>',
    });
  });

  it('answers 500, without throwing, for a URL Twilio cannot use', () => {
    expect(answerTwilio({ streamUrl: 'ws://calls.example.com/stream' })).toMatchObject({ status: 500 });
  });
});

describe('verifyTwilioWebhook', () => {
  const url = 'https://calls.example.com/answer';
  const body = 'CallSid=CA1&From=%2B15551234567&To=%2B15557654321';
  const options = TwilioOptionsSchema.parse({ authToken: AUTH_TOKEN });
  const signed = computeTwilioSignature(AUTH_TOKEN, url, new URLSearchParams(body));
  const request = (
    headers: Record<string, string | undefined>,
    overrides: Partial<WebhookRequest> = {},
  ): WebhookRequest => ({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
    ...overrides,
  });

  it('says valid for a correctly signed form POST, invalid for a tampered one', () => {
    expect(verifyTwilioWebhook(request({ 'x-twilio-signature': signed }), options)).toBe('valid');
    expect(
      verifyTwilioWebhook(request({ 'x-twilio-signature': signed }, { body: `${body}&x=1` }), options),
    ).toBe('invalid');
  });

  it('says missing without the header and unchecked without a token', () => {
    expect(verifyTwilioWebhook(request({}), options)).toBe('missing');
    expect(
      verifyTwilioWebhook(request({ 'x-twilio-signature': signed }), TwilioOptionsSchema.parse({})),
    ).toBe('unchecked');
  });

  it('checks a JSON body against bodySHA256', () => {
    const json = '{"CallSid":"CA1"}';
    const jsonUrl = `${url}?bodySHA256=${twilioBodySha256(json)}`;
    const signature = computeTwilioSignature(AUTH_TOKEN, jsonUrl);
    const jsonRequest = request(
      { 'x-twilio-signature': signature, 'content-type': 'application/json' },
      { url: jsonUrl, body: json },
    );
    expect(verifyTwilioWebhook(jsonRequest, options)).toBe('valid');
    expect(verifyTwilioWebhook({ ...jsonRequest, body: '{"CallSid":"CA2"}' }, options)).toBe('invalid');
  });

  it('is wired into the plugin through the container', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, twilio, { authToken: AUTH_TOKEN });
    expect(await twilio.verifyWebhook?.(request({ 'x-twilio-signature': signed }), container)).toBe('valid');
  });
});

import { createCallwireContainer, registerCarrier, type WebhookRequest } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { twilio } from './carrier.js';
import { computeTwilioSignature, twilioBodySha256 } from './signature.js';
import { answerTwilioWebhook, verifyTwilioWebhook } from './webhook.js';

const AUTH_TOKEN = 'twilio-test-token-0123456789abcdef';

describe('answerTwilioWebhook', () => {
  it('answers <Connect><Stream> to the stream URL', () => {
    expect(answerTwilioWebhook({ streamUrl: 'wss://calls.example.com/stream' })).toEqual({
      contentType: 'application/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://calls.example.com/stream"/></Connect></Response>',
    });
  });

  it('answers 500, without throwing, for a URL Twilio cannot use', () => {
    expect(answerTwilioWebhook({ streamUrl: 'ws://calls.example.com/stream' })).toMatchObject({
      status: 500,
    });
  });
});

describe('verifyTwilioWebhook', () => {
  const url = 'https://calls.example.com/answer';
  const body = 'CallSid=CA1&From=%2B15551234567&To=%2B15557654321';
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
    expect(verifyTwilioWebhook(request({ 'x-twilio-signature': signed }), AUTH_TOKEN)).toBe('valid');
    expect(
      verifyTwilioWebhook(request({ 'x-twilio-signature': signed }, { body: `${body}&x=1` }), AUTH_TOKEN),
    ).toBe('invalid');
  });

  it('says missing without the header and unchecked without a token', () => {
    expect(verifyTwilioWebhook(request({}), AUTH_TOKEN)).toBe('missing');
    expect(verifyTwilioWebhook(request({ 'x-twilio-signature': signed }), undefined)).toBe('unchecked');
  });

  it('checks a JSON body against bodySHA256', () => {
    const json = '{"CallSid":"CA1"}';
    const jsonUrl = `${url}?bodySHA256=${twilioBodySha256(json)}`;
    const signature = computeTwilioSignature(AUTH_TOKEN, jsonUrl);
    const jsonRequest = request(
      { 'x-twilio-signature': signature, 'content-type': 'application/json' },
      { url: jsonUrl, body: json },
    );
    expect(verifyTwilioWebhook(jsonRequest, AUTH_TOKEN)).toBe('valid');
    expect(verifyTwilioWebhook({ ...jsonRequest, body: '{"CallSid":"CA2"}' }, AUTH_TOKEN)).toBe('invalid');
  });

  it('is wired into the plugin through the container', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, twilio, { authToken: AUTH_TOKEN });
    expect(await twilio.verifyWebhook?.(request({ 'x-twilio-signature': signed }), container)).toBe('valid');
  });

  it('checks a WebSocket upgrade against the wss:// URL, or the same URL as https://', () => {
    const wss = 'wss://calls.example.com/stream';
    const upgrade = (signature: string): WebhookRequest => ({
      method: 'GET',
      url: wss,
      headers: { 'x-twilio-signature': signature },
      body: '',
    });
    expect(verifyTwilioWebhook(upgrade(computeTwilioSignature(AUTH_TOKEN, wss)), AUTH_TOKEN)).toBe('valid');
    expect(
      verifyTwilioWebhook(
        upgrade(computeTwilioSignature(AUTH_TOKEN, 'https://calls.example.com/stream')),
        AUTH_TOKEN,
      ),
    ).toBe('valid');
    expect(
      verifyTwilioWebhook(
        upgrade(computeTwilioSignature(AUTH_TOKEN, 'https://calls.example.com/other')),
        AUTH_TOKEN,
      ),
    ).toBe('invalid');
  });

  it('signs a GET by its URL alone, and reads the content type case-insensitively', () => {
    const getUrl = `${url}?CallSid=CA1`;
    const get: WebhookRequest = {
      method: 'GET',
      url: getUrl,
      headers: {
        'x-twilio-signature': computeTwilioSignature(AUTH_TOKEN, getUrl),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'ignored=1',
    };
    expect(verifyTwilioWebhook(get, AUTH_TOKEN)).toBe('valid');
    const upper = request({
      'x-twilio-signature': signed,
      'content-type': 'Application/X-WWW-Form-Urlencoded; charset=utf-8',
    });
    expect(verifyTwilioWebhook(upper, AUTH_TOKEN)).toBe('valid');
    const json = request({ 'x-twilio-signature': signed, 'content-type': 'application/json' });
    expect(verifyTwilioWebhook(json, AUTH_TOKEN)).toBe('invalid');
  });

  it('maps ws:// to http:// (not https://) and only at the start of the URL', () => {
    const plain = 'ws://calls.example.com/stream';
    const upgrade = (signature: string): WebhookRequest => ({
      method: 'GET',
      url: plain,
      headers: { 'x-twilio-signature': signature },
      body: '',
    });
    expect(
      verifyTwilioWebhook(
        upgrade(computeTwilioSignature(AUTH_TOKEN, 'http://calls.example.com/stream')),
        AUTH_TOKEN,
      ),
    ).toBe('valid');
    expect(
      verifyTwilioWebhook(
        upgrade(computeTwilioSignature(AUTH_TOKEN, 'https://calls.example.com/stream')),
        AUTH_TOKEN,
      ),
    ).toBe('invalid');
    const httpsHook = 'https://calls.example.com/wss://x';
    const hook: WebhookRequest = {
      method: 'GET',
      url: httpsHook,
      headers: { 'x-twilio-signature': computeTwilioSignature(AUTH_TOKEN, httpsHook) },
      body: '',
    };
    expect(verifyTwilioWebhook(hook, AUTH_TOKEN)).toBe('valid');
  });
});

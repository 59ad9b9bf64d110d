import { generateKeyPairSync, sign } from 'node:crypto';
import { createCallwireContainer, registerCarrier, type WebhookRequest } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { telnyx } from './carrier.js';
import { answerTelnyxWebhook, verifyTelnyxWebhook } from './webhook.js';

describe('answerTelnyxWebhook', () => {
  it('answers TeXML <Connect><Stream> with RTP PCMU both ways', () => {
    expect(answerTelnyxWebhook({ streamUrl: 'wss://calls.example.com/stream' })).toEqual({
      contentType: 'application/xml',
      body:
        '<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://calls.example.com/stream" ' +
        'codec="PCMU" bidirectionalMode="rtp" bidirectionalCodec="PCMU"/></Connect></Response>',
    });
    expect(answerTelnyxWebhook({ streamUrl: 'http://x' })).toMatchObject({ status: 500 });
  });
});

describe('verifyTelnyxWebhook', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rawKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
  const body = '{"data":{"event_type":"call.initiated"}}';
  const timestamp = '1700000000';
  const nowMs = 1_700_000_010_000;
  const signature = sign(null, Buffer.from(`${timestamp}|${body}`), privateKey).toString('base64');
  const request = (headers: Record<string, string>): WebhookRequest => ({
    method: 'POST',
    url: 'https://calls.example.com/telnyx',
    headers,
    body,
  });

  it('says valid, invalid, missing or unchecked', () => {
    const headers = { 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': timestamp };
    expect(verifyTelnyxWebhook(request(headers), { publicKey: rawKey }, nowMs)).toBe('valid');
    expect(verifyTelnyxWebhook({ ...request(headers), body: `${body} ` }, { publicKey: rawKey }, nowMs)).toBe(
      'invalid',
    );
    expect(verifyTelnyxWebhook(request(headers), { publicKey: rawKey }, nowMs + 600_000)).toBe('invalid');
    expect(
      verifyTelnyxWebhook(request({ 'telnyx-timestamp': timestamp }), { publicKey: rawKey }, nowMs),
    ).toBe('missing');
    expect(verifyTelnyxWebhook(request(headers), {}, nowMs)).toBe('unchecked');
  });

  it('is wired into the plugin through the container (real clock: a stale timestamp is invalid)', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, telnyx, { publicKey: rawKey });
    const headers = { 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': timestamp };
    expect(await telnyx.verifyWebhook?.(request(headers), container)).toBe('invalid');
    const now = String(Math.floor(Date.now() / 1000));
    const fresh = sign(null, Buffer.from(`${now}|${body}`), privateKey).toString('base64');
    expect(
      await telnyx.verifyWebhook?.(
        request({ 'telnyx-signature-ed25519': fresh, 'telnyx-timestamp': now }),
        container,
      ),
    ).toBe('valid');
  });

  it('checks a media WebSocket upgrade by its stream auth token, not a signature', () => {
    const upgrade = (headers: Record<string, string>): WebhookRequest => ({
      method: 'GET',
      url: 'wss://calls.example.com/stream',
      headers,
      body: '',
    });
    const keys = { publicKey: rawKey, streamAuthToken: 'stream-secret-1' };
    expect(verifyTelnyxWebhook(upgrade({ 'x-telnyx-streaming-auth-token': 'stream-secret-1' }), keys)).toBe(
      'valid',
    );
    expect(verifyTelnyxWebhook(upgrade({ 'x-telnyx-streaming-auth-token': 'stream-secret-2' }), keys)).toBe(
      'invalid',
    );
    expect(verifyTelnyxWebhook(upgrade({}), keys)).toBe('missing');
    // Without a token an upgrade cannot be checked, even with a public key: Telnyx does not sign it.
    expect(verifyTelnyxWebhook(upgrade({}), { publicKey: rawKey })).toBe('unchecked');
  });
});

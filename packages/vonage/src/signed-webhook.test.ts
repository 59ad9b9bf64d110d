import { createHash, createHmac } from 'node:crypto';
import { createCallwireContainer, registerCarrier, type WebhookRequest } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { vonage } from './carrier.js';
import { verifyVonageWebhook } from './signed-webhook.js';

const SECRET = 'vonage-signature-secret-0123456789';
const NOW_MS = 1_700_000_000_000;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT as Vonage signs a webhook: HS256 with the signature secret (written here independently). */
function jwt(claims: Record<string, unknown>, secret = SECRET, alg = 'HS256'): string {
  const head = b64({ alg, typ: 'JWT' });
  const body = b64(claims);
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const postBody = '{"uuid":"aaaa-bbbb","conversation_uuid":"CON-1","from":"447700900000"}';
const post = (token?: string, body = postBody): WebhookRequest => ({
  method: 'POST',
  url: 'https://calls.example.test/answer',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body,
});
const iat = NOW_MS / 1000;

describe('verifyVonageWebhook', () => {
  it('accepts a JWT signed with the secret whose payload_hash matches the body', () => {
    const token = jwt({ iat, jti: 'j1', api_key: 'k', payload_hash: sha256(postBody) });
    expect(verifyVonageWebhook(post(token), SECRET, NOW_MS)).toBe('valid');
  });

  it('hashes a GET query as a JSON object in its order', () => {
    const query = 'uuid=aaaa-bbbb&to=447700900001&from=447700900000';
    const hash = sha256('{"uuid":"aaaa-bbbb","to":"447700900001","from":"447700900000"}');
    const request: WebhookRequest = {
      method: 'GET',
      url: `https://calls.example.test/answer?${query}`,
      headers: { authorization: `Bearer ${jwt({ iat, payload_hash: hash })}` },
      body: '',
    };
    expect(verifyVonageWebhook(request, SECRET, NOW_MS)).toBe('valid');
    expect(
      verifyVonageWebhook({ ...request, url: request.url.replace('447700900001', '1') }, SECRET, NOW_MS),
    ).toBe('invalid');
  });

  it('refuses a tampered body, another secret, another algorithm, an expired or future token', () => {
    const claims = { iat, payload_hash: sha256(postBody) };
    expect(verifyVonageWebhook(post(jwt(claims), postBody.replace('447', '448')), SECRET, NOW_MS)).toBe(
      'invalid',
    );
    expect(verifyVonageWebhook(post(jwt(claims, 'another-secret')), SECRET, NOW_MS)).toBe('invalid');
    expect(verifyVonageWebhook(post(jwt(claims, SECRET, 'none')), SECRET, NOW_MS)).toBe('invalid');
    expect(verifyVonageWebhook(post(jwt({ ...claims, exp: iat - 600 })), SECRET, NOW_MS)).toBe('invalid');
    expect(verifyVonageWebhook(post(jwt({ ...claims, iat: iat + 600 })), SECRET, NOW_MS)).toBe('invalid');
    expect(verifyVonageWebhook(post('not.a-jwt'), SECRET, NOW_MS)).toBe('invalid');
  });

  it('is missing without a bearer token, unchecked without a secret or for a WebSocket upgrade', () => {
    expect(verifyVonageWebhook(post(), SECRET, NOW_MS)).toBe('missing');
    expect(verifyVonageWebhook(post(jwt({ iat })), undefined, NOW_MS)).toBe('unchecked');
    expect(verifyVonageWebhook({ ...post(), url: 'wss://calls.example.test/stream' }, SECRET, NOW_MS)).toBe(
      'unchecked',
    );
  });

  it('is the carrier hook, reading signatureSecret from the registered options', async () => {
    const scope = createCallwireContainer();
    registerCarrier(scope, vonage, { signatureSecret: SECRET });
    expect(await vonage.verifyWebhook?.(post(), scope)).toBe('missing');
    const fresh = jwt({ iat: Date.now() / 1000, payload_hash: sha256(postBody) });
    expect(await vonage.verifyWebhook?.(post(fresh), scope)).toBe('valid');
    expect(vonage.environment?.signatureSecret).toBe('VONAGE_SIGNATURE_SECRET');
  });
});

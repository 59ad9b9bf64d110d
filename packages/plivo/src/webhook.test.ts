import { createHmac } from 'node:crypto';
import {
  createCallwireContainer,
  findAnsweringCarrier,
  registerCarrier,
  type WebhookRequest,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { plivo } from './carrier.js';
import { createPlivoNonceMemory, PLIVO_NONCE_WINDOW_MS, verifyPlivoWebhook } from './webhook.js';

const AUTH_TOKEN = 'plivo-test-token-0123456789abcdef';
const NONCE = '31415926535897932384';

const sign = (base: string, token = AUTH_TOKEN) =>
  createHmac('sha256', token).update(`${base}.${NONCE}`).digest('base64');

const answerPost: WebhookRequest = {
  method: 'POST',
  url: 'https://agent.example.com/answer?tenant=7',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'From=%2B15554443333&To=%2B16665554444&CallUUID=abc-123&Direction=inbound',
};
// Written out by hand: sorted query, ".", then key+value over the sorted form fields.
const answerPostBase =
  'https://agent.example.com/answer?tenant=7.CallUUIDabc-123DirectioninboundFrom+15554443333To+16665554444';

function container(authToken?: string) {
  const scope = createCallwireContainer();
  registerCarrier(scope, plivo, authToken ? { authId: 'MAXXXXXXXXXXXXXXXXXX', authToken } : {});
  return scope;
}

describe('plivo.answer', () => {
  it('is the answering carrier and serves <Stream> XML pointing at the stream URL', async () => {
    const scope = container();
    expect(findAnsweringCarrier(scope)?.name).toBe('plivo');
    const answer = await plivo.answer?.(
      { ...answerPost, streamUrl: 'wss://agent.example.com/stream?x=1&y=2' },
      scope,
    );
    expect(answer).toEqual({
      contentType: 'application/xml',
      body:
        '<Response><Stream bidirectional="true" keepCallAlive="true" contentType="audio/x-mulaw;rate=8000"' +
        ' extraHeaders="from=15554443333,to=16665554444,direction=inbound">' +
        'wss://agent.example.com/stream?x=1&amp;y=2</Stream></Response>',
    });
  });

  it('answers 500 for a stream URL that is not ws(s), without throwing', async () => {
    const answer = await plivo.answer?.(
      { ...answerPost, streamUrl: 'http://agent.example.com/stream' },
      container(),
    );
    expect(answer?.status).toBe(500);
  });
});

describe('plivo.verifyWebhook', () => {
  it('refuses a replayed signed request per registration, and forgets the nonce after its window', async () => {
    const signed = {
      ...answerPost,
      headers: {
        ...answerPost.headers,
        'x-plivo-signature-v3': sign(answerPostBase),
        'x-plivo-signature-v3-nonce': NONCE,
      },
    };
    const scope = container(AUTH_TOKEN);
    expect(await plivo.verifyWebhook?.(signed, scope)).toBe('valid');
    expect(await plivo.verifyWebhook?.(signed, scope)).toBe('invalid');
    // Another registration (another server) has a memory of its own.
    expect(await plivo.verifyWebhook?.(signed, container(AUTH_TOKEN))).toBe('valid');
    // A forged request with a nonce does not burn it for the real one.
    const memory = createPlivoNonceMemory(10);
    const forged = {
      ...signed,
      headers: { ...signed.headers, 'x-plivo-signature-v3': sign(answerPostBase, 'x') },
    };
    expect(verifyPlivoWebhook(forged, AUTH_TOKEN, memory, 0)).toBe('invalid');
    expect(verifyPlivoWebhook(signed, AUTH_TOKEN, memory, 0)).toBe('valid');
    expect(verifyPlivoWebhook(signed, AUTH_TOKEN, memory, PLIVO_NONCE_WINDOW_MS - 1)).toBe('invalid');
    expect(verifyPlivoWebhook(signed, AUTH_TOKEN, memory, PLIVO_NONCE_WINDOW_MS)).toBe('valid');
  });

  it('accepts a correctly signed POST (form fields signed) and refuses a tampered one', async () => {
    const scope = container(AUTH_TOKEN);
    const signed = {
      ...answerPost,
      headers: {
        ...answerPost.headers,
        'x-plivo-signature-v3': sign(answerPostBase),
        'x-plivo-signature-v3-nonce': NONCE,
      },
    };
    expect(await plivo.verifyWebhook?.(signed, scope)).toBe('valid');
    expect(
      await plivo.verifyWebhook?.({ ...signed, body: signed.body.replace('inbound', 'outbound') }, scope),
    ).toBe('invalid');
    expect(
      await plivo.verifyWebhook?.({ ...signed, url: 'https://agent.example.com/answer?tenant=8' }, scope),
    ).toBe('invalid');
  });

  it('checks a GET (e.g. the WebSocket upgrade) by its URL and query', async () => {
    const url = 'wss://agent.example.com/stream?b=2&a=1';
    const request: WebhookRequest = {
      method: 'GET',
      url,
      headers: {
        'x-plivo-signature-v3': sign('wss://agent.example.com/stream?a=1&b=2'),
        'x-plivo-signature-v3-nonce': NONCE,
      },
      body: '',
    };
    expect(await plivo.verifyWebhook?.(request, container(AUTH_TOKEN))).toBe('valid');
  });

  it('says missing without the headers, unchecked without a token', async () => {
    expect(await plivo.verifyWebhook?.(answerPost, container(AUTH_TOKEN))).toBe('missing');
    expect(
      await plivo.verifyWebhook?.(
        { ...answerPost, headers: { 'x-plivo-signature-v3': 'x' } },
        container(AUTH_TOKEN),
      ),
    ).toBe('missing');
    expect(await plivo.verifyWebhook?.(answerPost, container())).toBe('unchecked');
  });

  it('keeps each container to its own token', async () => {
    const signed = {
      ...answerPost,
      headers: {
        ...answerPost.headers,
        'x-plivo-signature-v3': sign(answerPostBase),
        'x-plivo-signature-v3-nonce': NONCE,
      },
    };
    const mine = container(AUTH_TOKEN);
    const theirs = container('another-token');
    expect(await plivo.verifyWebhook?.(signed, mine)).toBe('valid');
    expect(await plivo.verifyWebhook?.(signed, theirs)).toBe('invalid');
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { findAnsweringCarrier } from './answering-carrier.js';
import { createCallwireContainer, registerCarrier } from './container.js';
import { CallwireError } from './errors.js';
import type { CarrierPlugin } from './plugin.js';
import type { WebhookRequest } from './webhook.js';

function plugin(name: string, withHooks: boolean): CarrierPlugin<{ token?: string }> {
  let token: string | undefined;
  return {
    name,
    options: z.object({ token: z.string().optional() }),
    register(_container, options) {
      token = options.token;
    },
    ...(withHooks
      ? {
          answer: (request) => ({ contentType: 'text/plain', body: `${name} -> ${request.streamUrl}` }),
          verifyWebhook: (request: WebhookRequest) => {
            if (token === undefined) return 'unchecked';
            const signature = request.headers['x-signature'];
            if (signature === undefined) return 'missing';
            return signature === `signed:${request.url}` ? 'valid' : 'invalid';
          },
        }
      : {}),
  };
}

const request = { method: 'GET', url: 'https://example.test/answer', headers: {}, body: '' };

describe('findAnsweringCarrier', () => {
  it('picks the first registered carrier with an answer hook', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, plugin('plain', false), {});
    registerCarrier(container, plugin('hooked', true), { token: 't' });
    const found = findAnsweringCarrier(container);
    expect(found?.name).toBe('hooked');
    const answer = await found?.answer?.({ ...request, streamUrl: 'wss://example.test/stream' }, container);
    expect(answer).toEqual({ contentType: 'text/plain', body: 'hooked -> wss://example.test/stream' });
    expect(await found?.verifyWebhook?.(request, container)).toBe('missing');
    const signed = { ...request, headers: { 'x-signature': 'signed:https://example.test/answer' } };
    expect(await found?.verifyWebhook?.(signed, container)).toBe('valid');
    expect(await found?.verifyWebhook?.({ ...signed, url: 'https://evil.test/answer' }, container)).toBe(
      'invalid',
    );
  });

  it('returns undefined when no carrier answers webhooks', () => {
    const container = createCallwireContainer();
    registerCarrier(container, plugin('plain', false), {});
    expect(findAnsweringCarrier(container)).toBeUndefined();
  });

  it('refuses a named carrier without an answer hook, listing those with one', () => {
    const container = createCallwireContainer();
    registerCarrier(container, plugin('plain', false), {});
    registerCarrier(container, plugin('hooked', true), {});
    expect(findAnsweringCarrier(container, 'hooked')?.name).toBe('hooked');
    try {
      findAnsweringCarrier(container, 'plain');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CallwireError);
      expect((error as CallwireError).code).toBe('UNKNOWN_CARRIER');
      expect((error as CallwireError).message).toContain('registered: hooked');
    }
  });
});

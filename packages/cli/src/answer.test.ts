import { computePlivoSignatureV3 } from '@callwire/plivo';
import { afterEach, describe, expect, it } from 'vitest';
import { echoBot } from './echo.js';
import { type Serving, startServing } from './serve.js';
import { createMemoryLogger } from './test-support/memory-logger.js';

const token = 'answer-secret-token-0123';
const servers: Serving[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((serving) => serving.server.close()));
});

async function serve(options: { env?: Record<string, string>; publicUrl?: string } = {}) {
  const logger = createMemoryLogger();
  const serving = await startServing({ handler: echoBot, port: 0, host: '127.0.0.1', logger, ...options });
  servers.push(serving);
  return { base: `http://127.0.0.1:${serving.port}`, logger };
}

let nonces = 0;
/** Plivo's headers for a request, each with a nonce of its own (a repeated one is refused as a replay). */
function signed(url: string, method: string, params?: Record<string, string>) {
  nonces += 1;
  const nonce = `1234567890123456${String(nonces).padStart(4, '0')}`;
  const signature = computePlivoSignatureV3({
    method,
    url,
    nonce,
    authToken: token,
    ...(params ? { params } : {}),
  });
  return { 'x-plivo-signature-v3': signature ?? '', 'x-plivo-signature-v3-nonce': nonce };
}

describe('answer URL with Plivo', () => {
  it('serves <Stream> XML: bidirectional, keepCallAlive, mu-law 8 kHz, pointing at the stream', async () => {
    const { base } = await serve();
    const response = await fetch(`${base}/answer`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml');
    const document = await response.text();
    expect(
      document.startsWith(
        `<Response><Stream bidirectional="true" keepCallAlive="true" contentType="audio/x-mulaw;rate=8000">ws://${base.slice(7)}/stream/`,
      ),
    ).toBe(true);
    // The stream URL's last segment is the call's token.
    expect(document).toMatch(/\/stream\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}<\/Stream><\/Response>$/);
  });

  it('with PLIVO_AUTH_TOKEN: 401 unsigned, 403 forged, 200 for a signed POST form', async () => {
    const publicUrl = 'https://calls.example.test';
    const { base, logger } = await serve({ env: { PLIVO_AUTH_TOKEN: token }, publicUrl });
    const form = { CallUUID: 'abc-123', From: '+15550100', To: '+15550199' };
    const body = new URLSearchParams(form).toString();
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/answer`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    expect((await post({})).status).toBe(401);
    const forged = signed(`${publicUrl}/answer`, 'POST', { ...form, From: '+15550666' });
    expect((await post(forged)).status).toBe(403);
    const wrongUrl = signed(`${base}/answer`, 'POST', form);
    expect((await post(wrongUrl)).status).toBe(403);
    const goodHeaders = signed(`${publicUrl}/answer`, 'POST', form);
    const good = await post(goodHeaders);
    expect(good.status).toBe(200);
    // The same signed request again is a replay: refused.
    expect((await post(goodHeaders)).status).toBe(403);
    expect(await good.text()).toMatch(/>wss:\/\/calls\.example\.test\/stream\/[A-Za-z0-9_.-]+<\/Stream>/);
    const getSigned = await fetch(`${base}/answer?CallUUID=x`, {
      headers: signed(`${publicUrl}/answer?CallUUID=x`, 'GET'),
    });
    expect(getSigned.status).toBe(200);
    const logged = JSON.stringify(logger.entries);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(forged['x-plivo-signature-v3']);
  });

  it('checks against the request URL when PUBLIC_URL is not set', async () => {
    const { base } = await serve({ env: { PLIVO_AUTH_TOKEN: token } });
    expect((await fetch(`${base}/answer`, { headers: signed(`${base}/answer`, 'GET') })).status).toBe(200);
    expect(
      (await fetch(`${base}/answer`, { headers: signed('https://elsewhere.test/answer', 'GET') })).status,
    ).toBe(403);
  });
});

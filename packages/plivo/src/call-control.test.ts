import { type FakeCarrierApi, parseBasicAuth, recordingLogger } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PlivoCallControl } from './call-control.js';
import { PlivoOptionsSchema } from './options.js';
import { startFakePlivoApi } from './testing/fake-api.js';

const AUTH_ID = 'MAXXXXXXXXXXXXXXXXXX';
const AUTH_TOKEN = 'plivo-test-token-0123456789abcdef';
const CALL_ID = '12345678-1234-1234-1234-123456789abc';

let api: FakeCarrierApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function setUp(hangUpTimeoutMs = 2000) {
  api = await startFakePlivoApi({ authId: AUTH_ID, authToken: AUTH_TOKEN });
  const logger = recordingLogger();
  const options = PlivoOptionsSchema.parse({
    authId: AUTH_ID,
    authToken: AUTH_TOKEN,
    apiBaseUrl: `${api.url}/`,
    hangUpTimeoutMs,
  });
  return { api, logger, control: new PlivoCallControl(options, logger) };
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(AUTH_TOKEN);
  expect(text).not.toContain(Buffer.from(`${AUTH_ID}:${AUTH_TOKEN}`).toString('base64'));
}

describe('PlivoCallControl.hangUp', () => {
  it('sends DELETE /v1/Account/{authId}/Call/{callId}/ with basic auth and reports ended on 204', async () => {
    const { api, control, logger } = await setUp();
    expect(await control.hangUp(CALL_ID)).toEqual({ outcome: 'ended' });
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request?.method).toBe('DELETE');
    expect(request?.path).toBe(`/v1/Account/${AUTH_ID}/Call/${CALL_ID}/`);
    expect(parseBasicAuth(request?.headers.authorization)).toEqual({ user: AUTH_ID, password: AUTH_TOKEN });
    expect(request?.body).toBe('');
    expect(logger.at('error')).toEqual([]);
    expect(logger.at('warn')).toEqual([]);
  });

  it('reports already-ended on 404 (the fake answers 404 for a call it already ended)', async () => {
    const { api, control } = await setUp();
    await control.hangUp(CALL_ID);
    expect(await control.hangUp(CALL_ID)).toEqual({ outcome: 'already-ended', status: 404 });
    expect(api.requests).toHaveLength(2);
  });

  it('fails on 401 without retrying, logged once as an error with status and body, no secret', async () => {
    const { api, control, logger } = await setUp();
    api.setFault({ status: 401, body: '{"error":"not authorized"}' });
    const result = await control.hangUp(CALL_ID);
    expect(result).toEqual({
      outcome: 'failed',
      status: 401,
      body: '{"error":"not authorized"}',
      reason: 'HTTP 401',
    });
    expect(api.requests).toHaveLength(1);
    expect(logger.at('error')).toHaveLength(1);
    expect(logger.at('error')[0]).toContain('[plivo] hang-up failed: HTTP 401');
    expect(logger.at('error')[0]).toContain('not authorized');
    expectNoSecret(logger.lines.map((line) => line.text).join('\n'));
  });

  it('fails on wrong credentials (the fake checks them)', async () => {
    api = await startFakePlivoApi({ authId: AUTH_ID, authToken: 'another-token' });
    const control = new PlivoCallControl(
      PlivoOptionsSchema.parse({ authId: AUTH_ID, authToken: AUTH_TOKEN, apiBaseUrl: api.url }),
      recordingLogger(),
    );
    expect(await control.hangUp(CALL_ID)).toMatchObject({ outcome: 'failed', status: 401 });
  });

  it('retries a 500 and ends the call on the next attempt', async () => {
    const { api, control } = await setUp();
    api.setFault({ status: 500, times: 1 });
    expect(await control.hangUp(CALL_ID)).toEqual({ outcome: 'ended' });
    expect(api.requests.map((request) => request.method)).toEqual(['DELETE', 'DELETE']);
    expect(new Set(api.requests.map((request) => request.path)).size).toBe(1);
  });

  it('waits as long as a 429 Retry-After asks before retrying', async () => {
    const { api, control } = await setUp();
    api.setFault({ status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    expect(await control.hangUp(CALL_ID)).toEqual({ outcome: 'ended' });
    const [first, second] = api.requests;
    expect(api.requests).toHaveLength(2);
    expect((second?.receivedAtMs ?? 0) - (first?.receivedAtMs ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once on a Retry-After past its deadline', async () => {
    const { api, control } = await setUp(1000);
    api.setFault({ status: 429, headers: { 'Retry-After': '120' }, times: 1 });
    const result = await control.hangUp(CALL_ID);
    expect(result).toMatchObject({ outcome: 'failed', status: 429 });
    expect(api.requests).toHaveLength(1);
  });

  it('gives up at its deadline when Plivo never answers, and says so', async () => {
    const { api, control, logger } = await setUp(300);
    api.setFault({ hang: true });
    const started = Date.now();
    const result = await control.hangUp(CALL_ID);
    const elapsedMs = Date.now() - started;
    expect(result).toEqual({ outcome: 'failed', reason: 'no answer before the 300 ms deadline' });
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    // Bounded by hangUpTimeoutMs, not by a client default (10 s in ky, none in fetch).
    expect(elapsedMs).toBeLessThan(3000);
    expect(logger.at('error')).toHaveLength(1);
  });

  it('keeps retrying 503 until the deadline and reports the last answer', async () => {
    const { api, control } = await setUp(500);
    api.setFault({ status: 503, body: 'maintenance' });
    const result = await control.hangUp(CALL_ID);
    expect(result).toMatchObject({ outcome: 'failed', status: 503, body: 'maintenance' });
    expect(result.outcome === 'failed' && result.reason).toBe(
      'no answer before the 500 ms deadline, last answer HTTP 503',
    );
    expect(api.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('retries a reset connection', async () => {
    const { api, control } = await setUp();
    api.setFault({ reset: true, times: 1 });
    expect(await control.hangUp(CALL_ID)).toEqual({ outcome: 'ended' });
    expect(api.requests).toHaveLength(2);
  });

  it('fails with the network error when every connection is reset', async () => {
    const { api, control, logger } = await setUp(400);
    api.setFault({ reset: true });
    const result = await control.hangUp(CALL_ID);
    expect(result.outcome).toBe('failed');
    expect(result.outcome === 'failed' && result.reason).toMatch(/deadline, last error/);
    expectNoSecret(logger.lines.map((line) => line.text).join('\n'));
  });

  it('refuses an empty or malformed call id without calling Plivo (no id would end every call)', async () => {
    const { api, control, logger } = await setUp();
    for (const callId of ['', ' ', '../Call', 'a/b', `${CALL_ID}?x=1`]) {
      const result = await control.hangUp(callId);
      expect(result).toMatchObject({ outcome: 'failed' });
      expect(result.outcome === 'failed' && result.reason).toMatch(/^refused: call id is/);
    }
    expect(api.requests).toHaveLength(0);
    expect(logger.at('error')).toHaveLength(5);
  });

  it('refuses to hang up without credentials', async () => {
    api = await startFakePlivoApi();
    const logger = recordingLogger();
    const control = new PlivoCallControl(PlivoOptionsSchema.parse({ apiBaseUrl: api.url }), logger);
    expect(await control.hangUp(CALL_ID)).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/authId/),
    });
    expect(api.requests).toHaveLength(0);
    expect(logger.at('error')).toHaveLength(1);
  });

  it('keeps the token out of the result even when Plivo echoes it', async () => {
    const { api, control, logger } = await setUp();
    api.setFault({ status: 400, body: `bad credentials ${AUTH_TOKEN}` });
    const result = await control.hangUp(CALL_ID);
    expectNoSecret(JSON.stringify(result));
    expectNoSecret(logger.lines.map((line) => line.text).join('\n'));
    expect(result).toMatchObject({ outcome: 'failed', status: 400, body: 'bad credentials [redacted]' });
  });
});

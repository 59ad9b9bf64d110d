import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthHeader } from './server.js';
import { startFakeTelnyxApi } from './telnyx.js';
import { startFakeTwilioApi } from './twilio.js';
import type { FakeCarrierApi } from './types.js';
import { startFakeVonageApi } from './vonage.js';

const open: FakeCarrierApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});
async function track(api: Promise<FakeCarrierApi>): Promise<FakeCarrierApi> {
  const started = await api;
  open.push(started);
  return started;
}

describe('startFakeTwilioApi', () => {
  const auth = { accountSid: 'ACfake', authToken: 'twilio-token' };
  const update = (
    api: FakeCarrierApi,
    callSid: string,
    body = 'Status=completed',
    password = auth.authToken,
  ) =>
    fetch(`${api.url}/2010-04-01/Accounts/${auth.accountSid}/Calls/${callSid}.json`, {
      method: 'POST',
      body,
      headers: {
        authorization: basicAuthHeader(auth.accountSid, password),
        'content-type': 'application/x-www-form-urlencoded',
      },
    });

  it('answers 200 JSON, then 404 with code 20404', async () => {
    const api = await track(startFakeTwilioApi(auth));
    const first = await update(api, 'CA1');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ sid: 'CA1', status: 'completed' });
    const second = await update(api, 'CA1');
    expect(second.status).toBe(404);
    expect(await second.json()).toMatchObject({ code: 20404 });
    expect(api.requests[0]?.body).toBe('Status=completed');
  });

  it('refuses wrong credentials and a body without Status=completed', async () => {
    const api = await track(startFakeTwilioApi(auth));
    expect((await update(api, 'CA1', 'Status=completed', 'nope')).status).toBe(401);
    expect((await update(api, 'CA1', 'Status=in-progress')).status).toBe(400);
    expect((await update(api, 'CA1')).status).toBe(200);
  });
});

describe('startFakeTelnyxApi', () => {
  const hangUp = (api: FakeCarrierApi, id: string, token = 'KEYfake') =>
    fetch(`${api.url}/v2/calls/${encodeURIComponent(id)}/actions/hangup`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });

  it('answers 200, then 422 with code 90018', async () => {
    const api = await track(startFakeTelnyxApi({ apiKey: 'KEYfake' }));
    expect((await hangUp(api, 'v2:abc')).status).toBe(200);
    const again = await hangUp(api, 'v2:abc');
    expect(again.status).toBe(422);
    expect(await again.json()).toEqual({
      errors: [expect.objectContaining({ code: '90018', title: 'Call has already ended' })],
    });
  });

  it('refuses a wrong bearer token and a basic header', async () => {
    const api = await track(startFakeTelnyxApi({ apiKey: 'KEYfake' }));
    expect((await hangUp(api, 'v2:abc', 'other')).status).toBe(401);
    const basic = await fetch(`${api.url}/v2/calls/x/actions/hangup`, {
      method: 'POST',
      headers: { authorization: basicAuthHeader('a', 'b') },
    });
    expect(basic.status).toBe(401);
  });
});

describe('startFakeVonageApi', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwt = (claims: Record<string, unknown>, key = privateKey, alg = 'RS256') => {
    const head = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key).toString('base64url');
    return `${head}.${body}.${signature}`;
  };
  const hangUp = (api: FakeCarrierApi, uuid: string, token: string, body = '{"action":"hangup"}') =>
    fetch(`${api.url}/v1/calls/${uuid}`, {
      method: 'PUT',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts any well-formed JWT without a key: 204, then 404', async () => {
    const api = await track(startFakeVonageApi());
    const token = jwt({ application_id: 'app', iat: now() });
    expect((await hangUp(api, 'uuid-1', token)).status).toBe(204);
    expect((await hangUp(api, 'uuid-1', token)).status).toBe(404);
    expect((await hangUp(api, 'uuid-2', 'not-a-jwt')).status).toBe(401);
    expect((await hangUp(api, 'uuid-2', token, '{"action":"transfer"}')).status).toBe(400);
  });

  it('verifies RS256 signature, expiry and application id with a public key', async () => {
    const api = await track(
      startFakeVonageApi({
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
        applicationId: 'app',
      }),
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect((await hangUp(api, 'u', jwt({ application_id: 'app', exp: now() + 60 }, other))).status).toBe(401);
    expect((await hangUp(api, 'u', jwt({ application_id: 'app', exp: now() - 60 }))).status).toBe(401);
    expect((await hangUp(api, 'u', jwt({ application_id: 'other', exp: now() + 60 }))).status).toBe(401);
    expect((await hangUp(api, 'u', jwt({ application_id: 'app', exp: now() + 60 }))).status).toBe(204);
  });
});

import { generateKeyPairSync, sign } from 'node:crypto';
import type { FakeCarrierApi } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeVonageApi } from './fake-api.js';

const open: FakeCarrierApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});
async function track(api: Promise<FakeCarrierApi>): Promise<FakeCarrierApi> {
  const started = await api;
  open.push(started);
  return started;
}

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

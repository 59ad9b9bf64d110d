import { basicAuthHeader, type FakeCarrierApi } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakePlivoApi } from './fake-api.js';

const open: FakeCarrierApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});
async function track(api: Promise<FakeCarrierApi>): Promise<FakeCarrierApi> {
  const started = await api;
  open.push(started);
  return started;
}

describe('startFakePlivoApi', () => {
  const auth = { authId: 'MAFAKEAUTHID000000000', authToken: 'fake-plivo-token-123' };
  const hangUp = (api: FakeCarrierApi, callId: string, authorization?: string, authId = auth.authId) =>
    fetch(`${api.url}/v1/Account/${authId}/Call/${callId}/`, {
      method: 'DELETE',
      headers: authorization ? { authorization } : {},
    });

  it('answers 204 the first time and 404 for a call already ended', async () => {
    const api = await track(startFakePlivoApi(auth));
    const header = basicAuthHeader(auth.authId, auth.authToken);
    const first = await hangUp(api, 'call-1', header);
    expect(first.status).toBe(204);
    expect(await first.text()).toBe('');
    expect((await hangUp(api, 'call-1', header)).status).toBe(404);
    expect((await hangUp(api, 'call-2', header)).status).toBe(204);
    expect(api.requests.map((request) => [request.method, request.path])).toEqual([
      ['DELETE', `/v1/Account/${auth.authId}/Call/call-1/`],
      ['DELETE', `/v1/Account/${auth.authId}/Call/call-1/`],
      ['DELETE', `/v1/Account/${auth.authId}/Call/call-2/`],
    ]);
    expect(api.requests[0]?.headers.authorization).toBe(header);
  });

  it('refuses wrong credentials, a missing header and another account with 401', async () => {
    const api = await track(startFakePlivoApi(auth));
    expect((await hangUp(api, 'c', basicAuthHeader(auth.authId, 'wrong'))).status).toBe(401);
    expect((await hangUp(api, 'c', basicAuthHeader('MAOTHER', auth.authToken))).status).toBe(401);
    expect((await hangUp(api, 'c')).status).toBe(401);
    expect((await hangUp(api, 'c', basicAuthHeader(auth.authId, auth.authToken), 'MAOTHER')).status).toBe(
      401,
    );
    // A refused request does not end the call.
    expect((await hangUp(api, 'c', basicAuthHeader(auth.authId, auth.authToken))).status).toBe(204);
  });

  it('accepts any credentials when none were configured, but not a missing header', async () => {
    const api = await track(startFakePlivoApi());
    expect((await hangUp(api, 'c', basicAuthHeader('anyone', 'anything'), 'anyone')).status).toBe(204);
    expect((await hangUp(api, 'd')).status).toBe(401);
  });

  it('answers unknown routes and an empty call id with 404 JSON', async () => {
    const api = await track(startFakePlivoApi());
    const header = basicAuthHeader('a', 'b');
    expect((await hangUp(api, '', header)).status).toBe(404);
    const response = await fetch(`${api.url}/v1/Account/a/Call/c`, {
      method: 'GET',
      headers: { authorization: header },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not found' });
  });

  it('applies a fault given at start, then recovers', async () => {
    const api = await track(startFakePlivoApi({ ...auth, fault: { status: 500, times: 1 } }));
    const header = basicAuthHeader(auth.authId, auth.authToken);
    expect((await hangUp(api, 'c', header)).status).toBe(500);
    // The faulted request never reached the route: the call is still up.
    expect((await hangUp(api, 'c', header)).status).toBe(204);
  });
});

import { basicAuthHeader, type FakeCarrierApi } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelnyxApi } from './fake-api.js';

const open: FakeCarrierApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});
async function track(api: Promise<FakeCarrierApi>): Promise<FakeCarrierApi> {
  const started = await api;
  open.push(started);
  return started;
}

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

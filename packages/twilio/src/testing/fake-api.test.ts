import { basicAuthHeader, type FakeCarrierApi } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTwilioApi } from './fake-api.js';

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

import { type FakeCarrierApi, parseBasicAuth, recordingLogger, startFakeCarrierApi } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TwilioCallControl } from './call-control.js';
import { TwilioOptionsSchema } from './options.js';
import { startFakeTwilioApi } from './testing/fake-api.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'twilio-test-token-0123456789abcdef';
const CALL_SID = 'CA0123456789abcdef0123456789abcdef';

let api: FakeCarrierApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function setUp(hangUpTimeoutMs = 2000) {
  api = await startFakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const logger = recordingLogger();
  const options = TwilioOptionsSchema.parse({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    apiBaseUrl: `${api.url}/`,
    hangUpTimeoutMs,
  });
  return { api, logger, control: new TwilioCallControl(options, logger) };
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(AUTH_TOKEN);
  expect(text).not.toContain(Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'));
}

describe('TwilioCallControl.hangUp', () => {
  it('POSTs Status=completed to the call with basic auth and reports ended on 200', async () => {
    const { api, control, logger } = await setUp();
    expect(await control.hangUp(CALL_SID)).toEqual({ outcome: 'ended' });
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${CALL_SID}.json`);
    expect(request?.body).toBe('Status=completed');
    expect(parseBasicAuth(request?.headers.authorization)).toEqual({
      user: ACCOUNT_SID,
      password: AUTH_TOKEN,
    });
    expect(logger.at('error')).toEqual([]);
  });

  it('reports already-ended on 404 (code 20404)', async () => {
    const { api, control } = await setUp();
    await control.hangUp(CALL_SID);
    expect(await control.hangUp(CALL_SID)).toEqual({ outcome: 'already-ended', status: 404 });
    expect(api.requests).toHaveLength(2);
  });

  it('fails on 401 without retrying, logged once, no secret', async () => {
    const { api, control, logger } = await setUp();
    api.setFault({ status: 401, body: `{"code":20003,"message":"Authenticate ${AUTH_TOKEN}"}` });
    const result = await control.hangUp(CALL_SID);
    expect(result).toMatchObject({ outcome: 'failed', status: 401, reason: 'HTTP 401' });
    expect(api.requests).toHaveLength(1);
    expect(logger.at('error')).toHaveLength(1);
    expectNoSecret(JSON.stringify(result));
    expectNoSecret(logger.lines.map((line) => line.text).join('\n'));
  });

  it('retries a 500 and then ends the call', async () => {
    const { api, control } = await setUp();
    api.setFault({ status: 500, times: 1 });
    expect(await control.hangUp(CALL_SID)).toEqual({ outcome: 'ended' });
    expect(api.requests).toHaveLength(2);
  });

  it('gives up at its deadline when Twilio never answers', async () => {
    const { api, control } = await setUp(300);
    api.setFault({ hang: true });
    const started = Date.now();
    expect(await control.hangUp(CALL_SID)).toEqual({
      outcome: 'failed',
      reason: 'no answer before the 300 ms deadline',
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a malformed call id and missing credentials without calling Twilio', async () => {
    const { api, control } = await setUp();
    for (const callSid of ['', '../x', 'a/b']) {
      expect(await control.hangUp(callSid)).toMatchObject({
        outcome: 'failed',
        reason: expect.stringMatching(/^refused/),
      });
    }
    const logger = recordingLogger();
    const bare = new TwilioCallControl(
      TwilioOptionsSchema.parse({ apiBaseUrl: api.url, accountSid: ACCOUNT_SID }),
      logger,
    );
    expect(await bare.hangUp(CALL_SID)).toEqual({ outcome: 'failed', reason: 'hang-up needs authToken' });
    expect(api.requests).toHaveLength(0);
    expect(logger.at('error')).toHaveLength(1);
  });

  it('prefixes the resolved base URL; an explicit apiBaseUrl wins over region and edge', async () => {
    expect(TwilioOptionsSchema.parse({ region: 'au1', edge: 'sydney' }).apiBaseUrl).toBe(
      'https://api.sydney.au1.twilio.com',
    );
    const server = await startFakeCarrierApi([
      {
        method: 'POST',
        pattern: '/2010-04-01/Accounts/{sid}/Calls/{callSid}.json',
        handle: () => ({ status: 200, body: {} }),
      },
    ]);
    api = server;
    const control = new TwilioCallControl(
      TwilioOptionsSchema.parse({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        apiBaseUrl: server.url,
        region: 'ie1',
        edge: 'dublin',
      }),
      recordingLogger(),
    );
    expect(await control.hangUp(CALL_SID)).toEqual({ outcome: 'ended' });
    expect(server.requests).toHaveLength(1);
  });
});

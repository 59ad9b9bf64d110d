import { type FakeCarrierApi, recordingLogger } from '@callwire/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyTelnyxHangUp, TelnyxCallControl } from './call-control.js';
import { TelnyxOptionsSchema } from './options.js';
import { startFakeTelnyxApi } from './testing/fake-api.js';

const API_KEY = 'KEY0123456789ABCDEF_telnyx-test-key';
const CALL_CONTROL_ID = 'v3:9X2vxPDFY2RHSJ1EdMS0RHRksMTg7ldNxdjWbVr9zBjbGjGsSe-aiQ';
const ENDED_BODY = JSON.stringify({ errors: [{ code: '90018', title: 'Call has already ended' }] });

let api: FakeCarrierApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function setUp(hangUpTimeoutMs = 2000) {
  api = await startFakeTelnyxApi({ apiKey: API_KEY });
  const logger = recordingLogger();
  const options = TelnyxOptionsSchema.parse({ apiKey: API_KEY, apiBaseUrl: `${api.url}/`, hangUpTimeoutMs });
  return { api, logger, control: new TelnyxCallControl(options, logger) };
}

describe('classifyTelnyxHangUp', () => {
  it('maps 2xx to ended, 422 with code 90018 to already-ended, everything else to failed', () => {
    expect(classifyTelnyxHangUp(200, '{"data":{"result":"ok"}}')).toBe('ended');
    expect(classifyTelnyxHangUp(422, ENDED_BODY)).toBe('already-ended');
    expect(classifyTelnyxHangUp(422, JSON.stringify({ errors: [{ code: 90018 }] }))).toBe('already-ended');
    expect(
      classifyTelnyxHangUp(422, JSON.stringify({ errors: [{ code: '90015', title: 'Invalid value' }] })),
    ).toBe('failed');
    expect(classifyTelnyxHangUp(422, 'not json')).toBe('failed');
    expect(classifyTelnyxHangUp(422, 'null')).toBe('failed');
    expect(classifyTelnyxHangUp(404, ENDED_BODY)).toBe('failed');
    expect(classifyTelnyxHangUp(401, '')).toBe('failed');
  });
});

describe('TelnyxCallControl.hangUp', () => {
  it('POSTs to /v2/calls/{id}/actions/hangup with the bearer key and a JSON body; 200 is ended', async () => {
    const { api, control, logger } = await setUp();
    expect(await control.hangUp(CALL_CONTROL_ID)).toEqual({ outcome: 'ended' });
    const [request] = api.requests;
    expect(api.requests).toHaveLength(1);
    expect(request?.method).toBe('POST');
    // The ':' of the id stays as it is, as Telnyx's own SDK sends it.
    expect(request?.path).toBe(`/v2/calls/${CALL_CONTROL_ID}/actions/hangup`);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request?.body ?? '')).toEqual({});
    expect(logger.at('error')).toEqual([]);
  });

  it('reports already-ended on 422 with code 90018, and does not retry it', async () => {
    const { api, control } = await setUp();
    await control.hangUp(CALL_CONTROL_ID);
    expect(await control.hangUp(CALL_CONTROL_ID)).toEqual({ outcome: 'already-ended', status: 422 });
    expect(api.requests).toHaveLength(2);
  });

  it('fails on another 422 and on a wrong key, keeping the key out of results and logs', async () => {
    const { api, control, logger } = await setUp();
    api.setFault({
      status: 422,
      body: JSON.stringify({ errors: [{ code: '90015', detail: `key ${API_KEY}` }] }),
    });
    const result = await control.hangUp(CALL_CONTROL_ID);
    expect(result).toMatchObject({ outcome: 'failed', status: 422 });
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    api.setFault(undefined);
    const wrong = new TelnyxCallControl(
      TelnyxOptionsSchema.parse({ apiKey: 'wrong-key', apiBaseUrl: api.url }),
      logger,
    );
    expect(await wrong.hangUp(CALL_CONTROL_ID)).toMatchObject({ outcome: 'failed', status: 401 });
    expect(logger.lines.map((line) => line.text).join('\n')).not.toContain(API_KEY);
  });

  it('retries a 503 and ends the call; gives up at the deadline on a stall', async () => {
    const { api, control } = await setUp(400);
    api.setFault({ status: 503, times: 1 });
    expect(await control.hangUp(CALL_CONTROL_ID)).toEqual({ outcome: 'ended' });
    expect(api.requests).toHaveLength(2);
    api.setFault({ hang: true });
    const started = Date.now();
    expect(await control.hangUp('v3:another')).toEqual({
      outcome: 'failed',
      reason: 'no answer before the 400 ms deadline',
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses without an API key or with a malformed id, calling nothing', async () => {
    const { api, control } = await setUp();
    const logger = recordingLogger();
    const keyless = new TelnyxCallControl(TelnyxOptionsSchema.parse({ apiBaseUrl: api.url }), logger);
    expect(await keyless.hangUp(CALL_CONTROL_ID)).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/apiKey/),
    });
    expect(await control.hangUp('v3:x/../y')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/^refused/),
    });
    expect(api.requests).toHaveLength(0);
    expect(logger.at('error')).toHaveLength(1);
  });
});

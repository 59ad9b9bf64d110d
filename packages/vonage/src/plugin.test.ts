import { generateKeyPairSync } from 'node:crypto';
import {
  createCallwireContainer,
  createSerializer,
  registerCarrier,
  resolveCallControl,
  silentLogger,
} from '@callwire/core';
import type { FakeCarrierApi } from '@callwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VonageCallControl, vonageHangUpAnswer } from './call-control.js';
import { detectVonageCall, vonage } from './carrier.js';
import { vonageWebSocketNcco } from './ncco.js';
import { startFakeVonageApi } from './testing/fake-api.js';

/** A container with Vonage registered (no credentials): the answer webhook is the registered carrier's. */
function answering() {
  const container = createCallwireContainer();
  registerCarrier(container, vonage, {});
  return container;
}

const APP = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let api: FakeCarrierApi;
beforeAll(async () => {
  api = await startFakeVonageApi({ publicKey: PUBLIC_KEY, applicationId: APP });
});
afterAll(async () => {
  await api.close();
});

function control(overrides: Record<string, unknown> = {}) {
  const container = createCallwireContainer({ logger: silentLogger });
  registerCarrier(container, vonage, {
    applicationId: APP,
    privateKey: PRIVATE_KEY,
    apiBaseUrl: `${api.url}/`,
    hangUpTimeoutMs: 1500,
    ...overrides,
  });
  return resolveCallControl(container, 'vonage');
}

describe('VonageCallControl', () => {
  it('ends a call (204), then finds it already ended (404)', async () => {
    const hangUp = control();
    expect(hangUp).toBeInstanceOf(VonageCallControl);
    expect(await hangUp.hangUp('c0ffee00-0000-4000-8000-000000000001')).toEqual({ outcome: 'ended' });
    expect(await hangUp.hangUp('c0ffee00-0000-4000-8000-000000000001')).toEqual({
      outcome: 'already-ended',
      status: 404,
    });
  });

  it('retries a 503 and reports a 401 as failed', async () => {
    const hangUp = control();
    api.setFault({ status: 503, times: 1 });
    expect(await hangUp.hangUp('c0ffee00-0000-4000-8000-000000000002')).toEqual({ outcome: 'ended' });
    api.setFault({ status: 401, times: 1 });
    const result = await hangUp.hangUp('c0ffee00-0000-4000-8000-000000000003');
    expect(result).toMatchObject({ outcome: 'failed', status: 401 });
  });

  it('is refused by the API when the JWT is signed by another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    });
    const result = await control({ privateKey: other.toString() }).hangUp(
      'c0ffee00-0000-4000-8000-000000000004',
    );
    expect(result).toMatchObject({ outcome: 'failed', status: 401 });
  });

  it('refuses without credentials and makes no request', async () => {
    const before = api.requests.length;
    const container = createCallwireContainer({ logger: silentLogger });
    registerCarrier(container, vonage, { apiBaseUrl: api.url });
    const result = await resolveCallControl(container, 'vonage').hangUp(
      'c0ffee00-0000-4000-8000-000000000005',
    );
    expect(result.outcome).toBe('failed');
    expect(api.requests.length).toBe(before);
  });

  it('reads 2xx as ended, 404/410 as already ended, the rest as failed', () => {
    expect([204, 200, 404, 410, 400, 401, 500].map(vonageHangUpAnswer)).toEqual([
      'ended',
      'ended',
      'already-ended',
      'already-ended',
      'failed',
      'failed',
      'failed',
    ]);
  });
});

describe('vonage options', () => {
  it('accepts a key whose newlines are written as \\n escapes', () => {
    const escaped = PRIVATE_KEY.replace(/\n/g, '\\n');
    const resolved = registerCarrier(createCallwireContainer(), vonage, {
      applicationId: APP,
      privateKey: escaped,
    });
    expect(resolved.privateKey).toBe(PRIVATE_KEY);
    expect(resolved.apiBaseUrl).toBe('https://api.nexmo.com');
  });

  it('names bad fields without echoing them', () => {
    let message = '';
    try {
      registerCarrier(createCallwireContainer(), vonage, {
        applicationId: 'has spaces',
        privateKey: 'not-a-key-SECRETVALUE',
        apiBaseUrl: 'ftp://x',
        hangUpTimeoutMs: 0,
      });
    } catch (error) {
      message = String(error);
    }
    for (const field of ['applicationId', 'privateKey', 'apiBaseUrl', 'hangUpTimeoutMs'])
      expect(message).toContain(field);
    expect(message).not.toContain('SECRETVALUE');
  });
});

describe('detectVonageCall', () => {
  it('reads the call uuid, rate and custom headers from websocket:connected', () => {
    expect(
      detectVonageCall({
        event: 'websocket:connected',
        'content-type': 'audio/l16;rate=8000',
        call_uuid: 'abc-123',
        language: 'en-GB',
      }),
    ).toEqual({
      streamId: 'abc-123',
      callId: 'abc-123',
      params: { vonageSampleRate: 8000, headers: { call_uuid: 'abc-123', language: 'en-GB' } },
      metadata: {
        customParameters: { call_uuid: 'abc-123', language: 'en-GB' },
        raw: {
          event: 'websocket:connected',
          'content-type': 'audio/l16;rate=8000',
          call_uuid: 'abc-123',
          language: 'en-GB',
        },
      },
    });
    const fromText = detectVonageCall(
      '{"event":"websocket:connected","content-type":"audio/l16;rate=16000","uuid":"u-1"}',
    );
    expect(fromText).toMatchObject({ streamId: 'u-1', callId: 'u-1', params: { vonageSampleRate: 16000 } });
  });

  it('accepts the older first message without an event field', () => {
    expect(detectVonageCall({ 'content-type': 'audio/l16;rate=16000', call_uuid: 'u-2' })).toMatchObject({
      streamId: 'u-2',
      callId: 'u-2',
    });
    expect(detectVonageCall({ call_uuid: 'u-2' })).toBeUndefined();
  });

  it('makes up a stream id when the NCCO carried no uuid', () => {
    const detected = detectVonageCall({
      event: 'websocket:connected',
      'content-type': 'audio/l16;rate=16000',
    });
    expect(detected).toMatchObject({ params: { vonageSampleRate: 16000 } });
    expect(typeof (detected as { streamId: string }).streamId).toBe('string');
    expect((detected as { callId?: string }).callId).toBeUndefined();
  });

  it('ignores everything else without throwing', () => {
    for (const junk of [
      null,
      7,
      'nope',
      '{"event":"start"}',
      new Uint8Array(640),
      { event: 'connected' },
      [],
    ]) {
      expect(detectVonageCall(junk)).toBeUndefined();
    }
  });

  it('detects calls that createSerializer accepts with auto hang-up on', () => {
    const container = createCallwireContainer({ logger: silentLogger });
    registerCarrier(container, vonage, { applicationId: APP, privateKey: PRIVATE_KEY });
    const detected = detectVonageCall({
      event: 'websocket:connected',
      'content-type': 'audio/l16;rate=16000',
      call_uuid: '63f61863-4a51-4f6b-86e1-46edebcf9356',
    });
    if (detected === undefined || detected === 'need-more') throw new Error('not detected');
    expect(createSerializer(container, 'vonage', detected).carrier).toBe('vonage');
  });
});

describe('NCCO answer for a POST answer webhook', () => {
  it('reads the uuid (and the caller number, into the headers) from the JSON body', async () => {
    const reply = await vonage.answer?.(
      {
        method: 'POST',
        url: 'https://app.example.com/answer',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ uuid: 'c0ffee00-0000-4000-8000-00000000000a', from: '447700900000' }),
        streamUrl: 'wss://app.example.com/ws',
      },
      answering(),
    );
    expect(JSON.parse(reply?.body ?? '[]')[0].endpoint[0].headers).toEqual({
      from: '447700900000',
      call_uuid: 'c0ffee00-0000-4000-8000-00000000000a',
    });
  });
});

describe('NCCO', () => {
  it('connects to the WebSocket at the chosen rate with the call uuid in the headers', () => {
    expect(
      vonageWebSocketNcco({
        streamUrl: 'wss://example.com/ws',
        callUuid: 'u-1',
        sampleRate: 8000,
        headers: { a: 1 },
      }),
    ).toEqual([
      {
        action: 'connect',
        endpoint: [
          {
            type: 'websocket',
            uri: 'wss://example.com/ws',
            'content-type': 'audio/l16;rate=8000',
            headers: { a: 1, call_uuid: 'u-1' },
          },
        ],
      },
    ]);
  });

  it('answers the answer webhook with an NCCO carrying its uuid', async () => {
    const reply = await vonage.answer?.(
      {
        method: 'GET',
        url: 'https://app.example.com/answer?uuid=63f61863-4a51-4f6b-86e1-46edebcf9356&from=447700900000',
        headers: {},
        body: '',
        streamUrl: 'wss://app.example.com/ws',
      },
      answering(),
    );
    expect(reply?.contentType).toBe('application/json');
    const ncco = JSON.parse(reply?.body ?? '[]');
    expect(ncco[0].endpoint[0]).toMatchObject({
      type: 'websocket',
      uri: 'wss://app.example.com/ws',
      'content-type': 'audio/l16;rate=16000',
      headers: { call_uuid: '63f61863-4a51-4f6b-86e1-46edebcf9356' },
    });
  });
});

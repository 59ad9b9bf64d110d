import { describe, expect, it } from 'vitest';
import { detectPlivoCall } from './carrier.js';
import { plivoDialXml, plivoTransferTarget, plivoTransferUrl } from './transfer.js';
import { answerPlivoWebhook } from './webhook.js';

const TOKEN = 'plivo-token-123456';
const ANSWER = 'https://bot.example.com/answer';

function answer(url: string, body = '') {
  return answerPlivoWebhook(
    { method: 'POST', url, headers: {}, body, streamUrl: 'wss://bot.example.com/stream' },
    TOKEN,
  );
}

describe('plivo transfer', () => {
  it('serves <Dial> at the aleg_url it builds, and nothing for a forged or altered target', () => {
    const url = plivoTransferUrl(ANSWER, { to: '+14155550100', from: '+14155550199' }, TOKEN);
    expect(plivoTransferTarget(url, TOKEN)).toEqual({ to: '+14155550100', from: '+14155550199' });
    expect(answer(url)).toEqual({
      contentType: 'application/xml',
      body: '<Response><Dial callerId="14155550199"><Number>14155550100</Number></Dial></Response>',
    });
    const altered = url.replace('14155550100', '19005550100');
    expect(answer(altered).status).toBe(403);
    expect(plivoTransferTarget(url, 'another-token')).toBe('invalid');
    expect(plivoTransferTarget(`${ANSWER}?transferTo=%2B1900`, TOKEN)).toBe('invalid');
    expect(plivoTransferTarget(ANSWER, TOKEN)).toBeUndefined();
  });

  it('dials a SIP URI as <User>, escaped', () => {
    expect(plivoDialXml({ to: 'sip:agent@pbx.example.com;a=b&c' })).toBe(
      '<Response><Dial><User>sip:agent@pbx.example.com;a=b&amp;c</User></Dial></Response>',
    );
  });
});

describe('plivo answer metadata', () => {
  it('puts From, To and Direction in extraHeaders without +, and detect gives them back with +', () => {
    const body = new URLSearchParams({
      From: '14155550100',
      To: '+14155550199',
      Direction: 'inbound',
    }).toString();
    const xml = answer(ANSWER, body).body;
    expect(xml).toContain('extraHeaders="from=14155550100,to=14155550199,direction=inbound"');
    const detected = detectPlivoCall({
      event: 'start',
      start: { callId: 'c', streamId: 's', mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 } },
      extra_headers: 'from=14155550100;to=14155550199;direction=inbound',
    });
    expect(detected).toMatchObject({
      metadata: { from: '+14155550100', to: '+14155550199', direction: 'inbound' },
    });
  });

  it('leaves out values Plivo would refuse (anything but letters and digits)', () => {
    const body = new URLSearchParams({ From: 'sip:alice@example.com', To: '14155550199' }).toString();
    const xml = answer(ANSWER, body).body;
    expect(xml).toContain('extraHeaders="to=14155550199"');
    expect(xml).not.toContain('alice');
  });
});

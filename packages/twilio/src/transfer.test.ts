import { describe, expect, it } from 'vitest';
import { twilioDialTwiml } from './call-control.js';
import { detectTwilioCall } from './carrier.js';
import { answerTwilioWebhook } from './webhook.js';

describe('twilio transfer and answer metadata', () => {
  it('dials a number or a SIP URI with <Dial>, escaped', () => {
    expect(twilioDialTwiml({ to: '+14155550100', from: '+14155550199' })).toBe(
      '<Response><Dial callerId="+14155550199"><Number>+14155550100</Number></Dial></Response>',
    );
    expect(twilioDialTwiml({ to: 'sip:a@b.example.com;x=1&y=2' })).toBe(
      '<Response><Dial><Sip>sip:a@b.example.com;x=1&amp;y=2</Sip></Dial></Response>',
    );
  });

  it('passes From, To and Direction as <Parameter>s that detect reads back, outbound-api as outbound', () => {
    const body = new URLSearchParams({
      From: '+14155550100',
      To: '+14155550199',
      Direction: 'outbound-api',
    }).toString();
    const twiml = answerTwilioWebhook({
      method: 'POST',
      url: 'https://x/answer',
      body,
      streamUrl: 'wss://x/stream',
    }).body;
    expect(twiml).toContain('<Parameter name="from" value="+14155550100"/>');
    expect(twiml).toContain('<Parameter name="direction" value="outbound"/>');
    const detected = detectTwilioCall({
      event: 'start',
      start: {
        streamSid: 'MZ1',
        callSid: 'CA1',
        customParameters: { from: '+14155550100', to: '+14155550199', direction: 'outbound-dial' },
      },
    });
    expect(detected).toMatchObject({
      metadata: { from: '+14155550100', to: '+14155550199', direction: 'outbound' },
    });
  });

  it('leaves out a value that is not an address', () => {
    const body = new URLSearchParams({ From: '<script>', To: '+14155550199' }).toString();
    const twiml = answerTwilioWebhook({
      method: 'POST',
      url: 'https://x/answer',
      body,
      streamUrl: 'wss://x/stream',
    }).body;
    expect(twiml).not.toContain('script');
    expect(twiml).toContain('name="to"');
  });
});

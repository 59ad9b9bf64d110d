import { CallwireError } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { telnyxStreamTexml } from './xml.js';

function argumentError(fn: () => unknown): CallwireError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallwireError);
    return error as CallwireError;
  }
  throw new Error('expected a CallwireError');
}

describe('telnyxStreamTexml', () => {
  it('builds <Connect><Stream> with RTP audio back by default', () => {
    expect(telnyxStreamTexml({ url: 'wss://example.com/media' })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Connect>' +
        '<Stream url="wss://example.com/media" bidirectionalMode="rtp"/></Connect></Response>',
    );
  });

  it('writes codecs, track, callbacks and parameters, and <Start> when asked', () => {
    expect(
      telnyxStreamTexml({
        url: 'wss://example.com/media?call=1',
        verb: 'start',
        track: 'inbound_track',
        name: 'agent',
        codec: 'PCMA',
        bidirectionalCodec: 'PCMA',
        statusCallback: 'https://example.com/status',
        statusCallbackMethod: 'POST',
        parameters: { lang: 'en' },
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Start>' +
        '<Stream url="wss://example.com/media?call=1" name="agent" track="inbound_track" codec="PCMA" bidirectionalMode="rtp" ' +
        'bidirectionalCodec="PCMA" statusCallback="https://example.com/status" statusCallbackMethod="POST">' +
        '<Parameter name="lang" value="en"/></Stream></Start></Response>',
    );
  });

  it('escapes every value', () => {
    const xml = telnyxStreamTexml({ url: 'wss://example.com/m?a=1&b=2', parameters: { k: '"/><Hangup/>' } });
    expect(xml).toContain('url="wss://example.com/m?a=1&amp;b=2"');
    expect(xml).toContain('value="&quot;/&gt;&lt;Hangup/&gt;"');
    expect(xml).not.toContain('<Hangup/>');
  });

  it('refuses bad fields, naming each', () => {
    const error = argumentError(() =>
      telnyxStreamTexml({ url: 'http://example.com', codec: 'L16' as 'PCMU', verb: 'dial' as 'start' }),
    );
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/^\[telnyx\] invalid stream TeXML options:/);
    for (const field of ['url', 'codec', 'verb']) expect(error.message).toContain(field);
  });
});

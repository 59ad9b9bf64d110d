import { CallwireError } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { twilioStreamTwiml } from './xml.js';

function configError(fn: () => unknown): CallwireError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallwireError);
    return error as CallwireError;
  }
  throw new Error('expected a CallwireError');
}

describe('twilioStreamTwiml', () => {
  it('builds <Connect><Stream> with the url as an attribute', () => {
    expect(twilioStreamTwiml({ url: 'wss://example.com/media' })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://example.com/media"/></Connect></Response>',
    );
  });

  it('adds the optional attributes and one <Parameter> per custom parameter', () => {
    const xml = twilioStreamTwiml({
      url: 'wss://example.com/media',
      name: 'agent',
      statusCallback: 'https://example.com/status',
      statusCallbackMethod: 'GET',
      parameters: { from_number: '+15551234567', lang: 'en' },
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Connect>' +
        '<Stream url="wss://example.com/media" name="agent" statusCallback="https://example.com/status" statusCallbackMethod="GET">' +
        '<Parameter name="from_number" value="+15551234567"/><Parameter name="lang" value="en"/>' +
        '</Stream></Connect></Response>',
    );
  });

  it('escapes every value it carries', () => {
    const xml = twilioStreamTwiml({
      url: 'wss://example.com/media',
      name: `a"b'<c>&d`,
      parameters: { 'x"y': '</Stream><Hangup/>' },
    });
    expect(xml).toContain('name="a&quot;b&apos;&lt;c&gt;&amp;d"');
    expect(xml).toContain('<Parameter name="x&quot;y" value="&lt;/Stream&gt;&lt;Hangup/&gt;"/>');
    expect(xml).not.toContain('<Hangup/>');
  });

  it('refuses a non-wss url, a query string and bad fields, naming each', () => {
    expect(configError(() => twilioStreamTwiml({ url: 'https://example.com/media' })).message).toContain(
      'url',
    );
    const query = configError(() => twilioStreamTwiml({ url: 'wss://example.com/media?token=abc' }));
    expect(query.code).toBe('CONFIG');
    expect(query.message).toMatch(/url: .*query string/);
    const many = configError(() =>
      twilioStreamTwiml({
        url: 'wss://example.com/m',
        statusCallbackMethod: 'PUT' as 'GET',
        statusCallback: 'ftp://x',
      }),
    );
    expect(many.message).toContain('statusCallbackMethod');
    expect(many.message).toContain('statusCallback:');
    expect(configError(() => twilioStreamTwiml({ url: 'wss://e.com', bogus: 1 } as never)).message).toContain(
      'bogus',
    );
  });
});

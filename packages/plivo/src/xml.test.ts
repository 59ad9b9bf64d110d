import { CallwireError } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { type PlivoStreamXmlOptions, plivoStreamXml } from './xml.js';

function configError(options: unknown): CallwireError {
  try {
    plivoStreamXml(options as PlivoStreamXmlOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(CallwireError);
    expect((error as CallwireError).code).toBe('CONFIG');
    return error as CallwireError;
  }
  throw new Error('expected a CONFIG error');
}

describe('plivoStreamXml', () => {
  it('writes a bidirectional mu-law stream by default, with the URL as element text', () => {
    expect(plivoStreamXml({ url: 'wss://agent.example.com/stream' })).toBe(
      '<Response><Stream bidirectional="true" keepCallAlive="true" contentType="audio/x-mulaw;rate=8000">' +
        'wss://agent.example.com/stream</Stream></Response>',
    );
  });

  it('writes every attribute it is given, in a fixed order', () => {
    expect(
      plivoStreamXml({
        url: 'wss://agent.example.com/stream',
        bidirectional: false,
        keepCallAlive: false,
        contentType: 'audio/x-l16;rate=16000',
        audioTrack: 'both',
        streamTimeout: 600,
        statusCallbackUrl: 'https://agent.example.com/status',
        statusCallbackMethod: 'GET',
        extraHeaders: { userId: '12345', sessionId: 'abc' },
      }),
    ).toBe(
      '<Response><Stream bidirectional="false" keepCallAlive="false" contentType="audio/x-l16;rate=16000"' +
        ' audioTrack="both" streamTimeout="600" statusCallbackUrl="https://agent.example.com/status"' +
        ' statusCallbackMethod="GET" extraHeaders="userId=12345,sessionId=abc">' +
        'wss://agent.example.com/stream</Stream></Response>',
    );
  });

  it('escapes XML in the URL and attributes', () => {
    const xml = plivoStreamXml({
      url: 'wss://agent.example.com/stream?a=1&b=<2>',
      statusCallbackUrl: 'https://agent.example.com/status?x="1"&y=\'2\'',
    });
    expect(xml).toContain('>wss://agent.example.com/stream?a=1&amp;b=&lt;2&gt;</Stream>');
    expect(xml).toContain(
      'statusCallbackUrl="https://agent.example.com/status?x=&quot;1&quot;&amp;y=&apos;2&apos;"',
    );
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it('accepts extraHeaders as text', () => {
    expect(plivoStreamXml({ url: 'ws://localhost:8765/s', extraHeaders: 'a=1,b=2' })).toContain(
      'extraHeaders="a=1,b=2"',
    );
  });

  it('refuses a bidirectional stream of the outbound or both tracks', () => {
    for (const audioTrack of ['outbound', 'both'] as const) {
      expect(configError({ url: 'wss://a.example/s', audioTrack }).message).toContain('audioTrack');
      expect(configError({ url: 'wss://a.example/s', bidirectional: true, audioTrack }).message).toContain(
        'audioTrack',
      );
    }
    expect(plivoStreamXml({ url: 'wss://a.example/s', audioTrack: 'inbound' })).toContain(
      'audioTrack="inbound"',
    );
  });

  it('names every bad option in one error', () => {
    const error = configError({
      url: 'https://not-a-websocket.example/s',
      contentType: 'audio/x-mulaw;rate=16000',
      streamTimeout: 0,
      statusCallbackMethod: 'PUT',
      extraHeaders: { 'bad-key': 'x' },
      surprise: true,
    });
    for (const field of [
      'url',
      'contentType',
      'streamTimeout',
      'statusCallbackMethod',
      'extraHeaders',
      'surprise',
    ]) {
      expect(error.message).toContain(field);
    }
    expect(error.message).toMatch(/^\[plivo\] invalid stream XML options:/);
  });

  it('refuses extraHeaders over 512 bytes and a method without a callback URL', () => {
    expect(configError({ url: 'wss://a.example/s', extraHeaders: { k: 'v'.repeat(600) } }).message).toContain(
      'extraHeaders',
    );
    expect(configError({ url: 'wss://a.example/s', statusCallbackMethod: 'POST' }).message).toContain(
      'statusCallbackMethod',
    );
  });

  it('does not echo a bad value (a URL may carry a token) in the error', () => {
    const error = configError({ url: 'https://user:s3cret@a.example/s' });
    expect(error.message).not.toContain('s3cret');
  });
});

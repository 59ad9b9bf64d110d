// Pins edges that mutation testing found unpinned: which webhook bodies are signed, how a start's
// announced encoding is read, option normalisation and messages, the 512-byte extraHeaders limit,
// and a hang-up refused for a missing credential.
import { createHmac } from 'node:crypto';
import { CallwireError, createCallwireContainer, createSerializer, registerCarrier } from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describe, expect, it } from 'vitest';
import { PlivoCallControl } from './call-control.js';
import { plivo } from './carrier.js';
import { plivoWireFormat } from './events.js';
import { PlivoOptionsSchema } from './options.js';
import { answerPlivoWebhook, verifyPlivoWebhook } from './webhook.js';
import { plivoStreamXml } from './xml.js';

const TOKEN = 'edge-token-0123456789';
const URL = 'https://example.com/answer';
const NONCE = '98765432109876543210';

function sign(baseUrl: string): string {
  return createHmac('sha256', TOKEN).update(`${baseUrl}.${NONCE}`).digest('base64');
}

function webhook(method: string, contentType: string | undefined, body: string, signature: string) {
  return {
    method,
    url: URL,
    headers: {
      ...(contentType ? { 'content-type': contentType } : {}),
      'x-plivo-signature-v3': signature,
      'x-plivo-signature-v3-nonce': NONCE,
    },
    body,
  };
}

describe('verifyPlivoWebhook: which bodies are signed', () => {
  const body = 'To=2&From=1&Digits=1&Digits=2';
  const withParams = sign(`${URL}?Digits1Digits2From1To2`);
  const withoutParams = sign(URL);

  it('signs a form POST body, content type matched case-insensitively, repeated keys as lists', () => {
    expect(
      verifyPlivoWebhook(
        webhook('POST', 'Application/X-WWW-Form-Urlencoded; charset=UTF-8', body, withParams),
        TOKEN,
      ),
    ).toBe('valid');
    expect(
      verifyPlivoWebhook(webhook('POST', 'application/x-www-form-urlencoded', body, withoutParams), TOKEN),
    ).toBe('invalid');
  });

  it('does not sign the body of a JSON POST, nor of a GET', () => {
    expect(verifyPlivoWebhook(webhook('POST', 'application/json', body, withoutParams), TOKEN)).toBe('valid');
    expect(verifyPlivoWebhook(webhook('POST', undefined, body, withoutParams), TOKEN)).toBe('valid');
    expect(
      verifyPlivoWebhook(webhook('GET', 'application/x-www-form-urlencoded', body, withoutParams), TOKEN),
    ).toBe('valid');
  });
});

describe('answerPlivoWebhook', () => {
  it('answers 500 in plain text, naming Plivo, when the stream URL is not ws(s)://', () => {
    const answer = answerPlivoWebhook({
      ...webhook('POST', undefined, '', ''),
      streamUrl: 'http://nope/stream',
    });
    expect(answer).toEqual({
      status: 500,
      contentType: 'text/plain; charset=utf-8',
      body: '[plivo] cannot answer: bad stream URL\n',
    });
  });
});

describe('plivoWireFormat', () => {
  it.each([
    ['audio/x-mulaw', 8000, { contentType: 'audio/x-mulaw', sampleRate: 8000 }],
    [' Audio/X-MULAW ;rate=8000', 8000, { contentType: 'audio/x-mulaw', sampleRate: 8000 }],
    ['audio/x-l16;rate=16000', 16000, { contentType: 'audio/x-l16', sampleRate: 16000 }],
    ['audio/x-l16', 8000, { contentType: 'audio/x-l16', sampleRate: 8000 }],
    ['audio/x-mulaw', 16000, undefined],
    ['audio/x-l16', 24000, undefined],
    ['audio/x-alaw', 8000, undefined],
  ])('reads %j at %i Hz', (encoding, sampleRate, expected) => {
    expect(plivoWireFormat({ encoding, sampleRate })).toEqual(expected);
  });
});

describe('Plivo options', () => {
  it('drops every trailing slash of apiBaseUrl', () => {
    expect(PlivoOptionsSchema.parse({ apiBaseUrl: 'http://127.0.0.1:8080///' }).apiBaseUrl).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('refuses mu-law at 16 kHz with a message that says why', () => {
    const container = createCallwireContainer();
    registerCarrier(container, plivo, {});
    let error: unknown;
    try {
      createSerializer(container, 'plivo', {
        streamId: 's',
        params: { autoHangUp: false, contentType: 'audio/x-mulaw', plivoSampleRate: 16000 },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CallwireError);
    expect((error as CallwireError).message).toContain(
      'audio/x-mulaw is 8000 Hz only (use audio/x-l16 for 16000)',
    );
  });
});

describe('plivoStreamXml refusals', () => {
  function message(fn: () => unknown): string {
    try {
      fn();
    } catch (error) {
      return (error as Error).message;
    }
    return '';
  }

  it('names the rule each bad combination breaks', () => {
    expect(
      message(() => plivoStreamXml({ url: 'wss://x/s', bidirectional: true, audioTrack: 'both' })),
    ).toContain('audioTrack: a bidirectional stream carries the inbound track only');
    expect(message(() => plivoStreamXml({ url: 'wss://x/s', statusCallbackMethod: 'GET' }))).toContain(
      'statusCallbackMethod: needs statusCallbackUrl',
    );
  });

  it('takes extraHeaders of exactly 512 bytes and refuses 513', () => {
    const ofLength = (length: number) => `k=${'v'.repeat(length - 2)}`;
    expect(plivoStreamXml({ url: 'wss://x/s', extraHeaders: ofLength(512) })).toContain('extraHeaders=');
    expect(message(() => plivoStreamXml({ url: 'wss://x/s', extraHeaders: ofLength(513) }))).toContain(
      'extraHeaders: must be at most 512 bytes',
    );
  });
});

describe('PlivoCallControl without a credential', () => {
  it.each([
    ['authToken', { authId: 'MAEDGEEDGEEDGEEDGE00', authToken: undefined }],
    ['authId', { authId: undefined, authToken: TOKEN }],
  ])(
    'refuses to hang up without %s, sending nothing, logging one error with the call id',
    async (_missing, credentials) => {
      const logger = recordingLogger();
      const control = new PlivoCallControl(
        { ...credentials, apiBaseUrl: 'http://127.0.0.1:9', hangUpTimeoutMs: 1000 } as never,
        logger,
      );
      expect(await control.hangUp('call-1')).toEqual({
        outcome: 'failed',
        reason: 'refused: authId and authToken are needed to hang up',
      });
      expect(logger.at('error')).toHaveLength(1);
      expect(logger.at('error')[0]).toContain('[plivo] hang-up failed: refused');
      expect(logger.at('error')[0]).toContain('call-1');
    },
  );
});

import { describe, expect, it } from 'vitest';
import { createConsoleLogger, REDACTED, redactSecrets } from './logger.js';
import { createWarnOnce } from './warn-once.js';

describe('createConsoleLogger', () => {
  it('writes entries at or above its level', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ level: 'warn', write: (line) => lines.push(line) });
    logger.debug('quiet');
    logger.info('quiet');
    logger.warn('loud');
    logger.error({ callId: 'c1' }, 'louder');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/WARN loud$/);
    expect(lines[1]).toMatch(/ERROR louder \{"callId":"c1"\}$/);
  });

  it('redacts secret-named fields at any depth', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ level: 'debug', write: (line) => lines.push(line) });
    logger.info(
      {
        authToken: 's3cret',
        nested: { Authorization: 'Basic abc', apiKey: 'k', callId: 'c' },
        list: [{ password: 'p' }],
      },
      'request',
    );
    expect(lines[0]).not.toMatch(/s3cret|Basic abc|"k"|"p"/);
    expect(lines[0]).toContain('"callId":"c"');
  });

  it('is silent under vitest unless asked', () => {
    const lines: string[] = [];
    createConsoleLogger({ write: (line) => lines.push(line) }).error('hidden');
    expect(lines).toEqual([]);
  });
});

describe('redactSecrets', () => {
  it('replaces values by key and keeps the rest', () => {
    expect(redactSecrets({ signature: 'x', 'X-Acme-Signature': 'y', streamId: 's' })).toEqual({
      signature: REDACTED,
      'X-Acme-Signature': REDACTED,
      streamId: 's',
    });
    expect(redactSecrets('plain')).toBe('plain');
  });
});

describe('createWarnOnce', () => {
  it('warns the first time per kind and logs repeats at debug', () => {
    const warned: string[] = [];
    const debugged: string[] = [];
    const warnOnce = createWarnOnce({
      debug: (m) => debugged.push(String(m)),
      info: () => {},
      warn: (m) => warned.push(String(m)),
      error: () => {},
    });
    warnOnce('bad-json', 'first');
    warnOnce('bad-json', 'second');
    warnOnce('unknown-event', 'third');
    expect(warned).toEqual(['first', 'third']);
    expect(debugged).toEqual(['second']);
  });

  it('calls the logger as an object, as pino needs', () => {
    const calls: string[] = [];
    const logger = {
      prefix: 'bound',
      debug(this: { prefix: string }, m: unknown) {
        calls.push(`${this.prefix}:debug:${String(m)}`);
      },
      info() {},
      warn(this: { prefix: string }, m: unknown) {
        calls.push(`${this.prefix}:warn:${String(m)}`);
      },
      error() {},
    };
    const warnOnce = createWarnOnce(logger);
    warnOnce('k', 'first');
    warnOnce('k', 'again');
    expect(calls).toEqual(['bound:warn:first', 'bound:debug:again']);
  });
});

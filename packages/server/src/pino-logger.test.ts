import { Writable } from 'node:stream';
import { createWarnOnce } from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { createPinoLogger } from './pino-logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('createPinoLogger', () => {
  it('redacts secret-named fields at any depth', async () => {
    const { lines, destination } = capture();
    const logger = createPinoLogger({ destination });
    logger.info(
      {
        authToken: 'tok-1',
        nested: { headers: { Authorization: 'Basic abc', 'x-acme-signature': 'sig' } },
      },
      'request',
    );
    logger.warn({ options: { acme: { authToken: 'tok-2', apiKey: 'key-3' } } }, 'config');
    const text = lines.join('');
    for (const secret of ['tok-1', 'Basic abc', '"sig"', 'tok-2', 'key-3'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'request', level: 30 });
  });

  it('works with detached methods, as createWarnOnce calls them', () => {
    const { lines, destination } = capture();
    const warnOnce = createWarnOnce(createPinoLogger({ destination, level: 'debug' }));
    warnOnce('kind', 'first');
    warnOnce('kind', 'again');
    expect(lines.map((line) => JSON.parse(line).level)).toEqual([40, 20]);
  });
});

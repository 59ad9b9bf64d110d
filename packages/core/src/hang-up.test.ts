import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callIdProblem, retryAfterMs } from './call-action.js';
import { hangUpOverRest, type RestHangUp } from './hang-up.js';
import type { Logger } from './logger.js';

// core cannot use @callwire/testing (it depends on core), so it keeps a tiny scripted server.
type Reply = (request: IncomingMessage, response: ServerResponse) => void;

interface Scripted {
  url: string;
  seen: { method: string; path: string; authorization?: string; atMs: number }[];
  close(): Promise<void>;
}

const servers: Scripted[] = [];

async function scriptedServer(replies: Reply[]): Promise<Scripted> {
  const seen: Scripted['seen'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    seen.push({
      method: request.method ?? '',
      path: request.url ?? '',
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      atMs: Date.now(),
    });
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
    request.resume();
    request.on('end', () => reply?.(request, response));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scripted: Scripted = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  servers.push(scripted);
  return scripted;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const status =
  (code: number, body = '', headers: Record<string, string> = {}): Reply =>
  (_request, response) => {
    response.writeHead(code, headers);
    response.end(body);
  };
const hang: Reply = () => {};
const reset: Reply = (request) => request.socket.destroy();

function recordingLogger() {
  const lines: { level: string; text: string }[] = [];
  const log =
    (level: string) =>
    (fieldsOrMessage: string | Record<string, unknown>, message?: string): void => {
      const text =
        typeof fieldsOrMessage === 'string'
          ? fieldsOrMessage
          : `${message ?? ''} ${JSON.stringify(fieldsOrMessage)}`;
      lines.push({ level, text });
    };
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return { logger, lines };
}

const SECRET = 'tok-very-secret-123';

function spec(
  url: string,
  overrides: Partial<RestHangUp> = {},
): RestHangUp & { lines: { level: string; text: string }[] } {
  const { logger, lines } = recordingLogger();
  return {
    carrier: 'toy',
    callId: 'call-1',
    logger,
    deadlineMs: 2000,
    secrets: [SECRET],
    request: (id) => ({
      method: 'DELETE',
      url: `${url}/calls/${id}/`,
      headers: { authorization: `Bearer ${SECRET}` },
    }),
    lines,
    ...overrides,
  };
}

describe('callIdProblem', () => {
  it('accepts carrier ids and refuses empty, missing and path-breaking ones', () => {
    for (const good of [
      '0a1b2c3d-1234-4abc-9def-0123456789ab',
      'CA0123456789abcdef0123456789abcdef',
      'v3:ab_c-D.e~f',
    ]) {
      expect(callIdProblem(good)).toBeUndefined();
    }
    for (const bad of [
      undefined,
      null,
      42,
      '',
      '   ',
      '.',
      '..',
      'a/b',
      'a?b',
      'a#b',
      'a b',
      'a%2F',
      '\u0000',
      'x'.repeat(257),
    ]) {
      expect(callIdProblem(bad)).toBeTypeOf('string');
    }
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(11_000).toUTCString(), 1_000)).toBe(10_000);
    expect(retryAfterMs(new Date(0).toUTCString(), 5_000)).toBe(0);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs('')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('hangUpOverRest', () => {
  it('reports ended on 2xx and logs at debug only', async () => {
    const server = await scriptedServer([status(204)]);
    const hangUp = spec(server.url);
    expect(await hangUpOverRest(hangUp)).toEqual({ outcome: 'ended' });
    expect(server.seen).toMatchObject([
      { method: 'DELETE', path: '/calls/call-1/', authorization: `Bearer ${SECRET}` },
    ]);
    expect(hangUp.lines.map((line) => line.level)).toEqual(['debug']);
  });

  it('reports already-ended on 404 without retrying', async () => {
    const server = await scriptedServer([status(404, '{"error":"not found"}')]);
    expect(await hangUpOverRest(spec(server.url))).toEqual({ outcome: 'already-ended', status: 404 });
    expect(server.seen).toHaveLength(1);
  });

  it('fails on 401 at once, with status and body, logged once as an error', async () => {
    const server = await scriptedServer([status(401, '{"error":"not authorized"}')]);
    const hangUp = spec(server.url);
    expect(await hangUpOverRest(hangUp)).toEqual({
      outcome: 'failed',
      status: 401,
      body: '{"error":"not authorized"}',
      reason: 'HTTP 401',
    });
    expect(server.seen).toHaveLength(1);
    expect(hangUp.lines).toHaveLength(1);
    expect(hangUp.lines[0]?.level).toBe('error');
    expect(hangUp.lines[0]?.text).toContain('[toy] hang-up failed: HTTP 401');
  });

  it('retries 500 and 503 with backoff until the call ends', async () => {
    const server = await scriptedServer([status(500), status(503), status(204)]);
    expect(await hangUpOverRest(spec(server.url))).toEqual({ outcome: 'ended' });
    expect(server.seen).toHaveLength(3);
    const gaps = server.seen.slice(1).map((request, index) => request.atMs - (server.seen[index]?.atMs ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(40); // backoff starts at 50-100 ms
  });

  it('honours Retry-After on 429', async () => {
    const server = await scriptedServer([status(429, '', { 'retry-after': '0.3' }), status(204)]);
    expect(await hangUpOverRest(spec(server.url))).toEqual({ outcome: 'ended' });
    const [first, second] = server.seen;
    expect((second?.atMs ?? 0) - (first?.atMs ?? 0)).toBeGreaterThanOrEqual(280);
  });

  it('gives up at once when Retry-After is past the deadline', async () => {
    const server = await scriptedServer([status(429, 'slow down', { 'retry-after': '30' }), status(204)]);
    const result = await hangUpOverRest(spec(server.url, { deadlineMs: 5000 }));
    expect(result).toMatchObject({ outcome: 'failed', status: 429, body: 'slow down' });
    expect(result.outcome === 'failed' && result.reason).toContain(
      'Retry-After 30000 ms is past the deadline',
    );
    expect(server.seen).toHaveLength(1);
  });

  it('gives up at its deadline when the server never answers', async () => {
    const server = await scriptedServer([hang]);
    const started = Date.now();
    const result = await hangUpOverRest(spec(server.url, { deadlineMs: 300 }));
    expect(result).toMatchObject({ outcome: 'failed', reason: 'no answer before the 300 ms deadline' });
    // Bounded by the deadline, not by an HTTP client default (10 s in ky, forever in fetch).
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports the last status when 5xx lasts past the deadline', async () => {
    const server = await scriptedServer([status(502, 'bad gateway')]);
    const result = await hangUpOverRest(spec(server.url, { deadlineMs: 400 }));
    expect(result).toMatchObject({ outcome: 'failed', status: 502, body: 'bad gateway' });
    expect(result.outcome === 'failed' && result.reason).toContain('last answer HTTP 502');
    expect(server.seen.length).toBeGreaterThan(1);
  });

  it('retries a reset connection', async () => {
    const server = await scriptedServer([reset, status(204)]);
    expect(await hangUpOverRest(spec(server.url))).toEqual({ outcome: 'ended' });
    expect(server.seen).toHaveLength(2);
  });

  it('fails with a network reason when nothing listens', async () => {
    const server = await scriptedServer([status(204)]);
    await server.close();
    const result = await hangUpOverRest(spec(server.url, { deadlineMs: 400 }));
    expect(result.outcome).toBe('failed');
    expect(result.outcome === 'failed' && result.reason).toMatch(/ECONNREFUSED/);
  });

  it('refuses a malformed call id without sending anything', async () => {
    const server = await scriptedServer([status(204)]);
    for (const callId of ['', '../..', 'a/b']) {
      const hangUp = spec(server.url, { callId });
      const result = await hangUpOverRest(hangUp);
      expect(result).toMatchObject({ outcome: 'failed' });
      expect(result.outcome === 'failed' && result.reason).toMatch(/^refused: call id is/);
      expect(hangUp.lines[0]?.level).toBe('error');
    }
    expect(server.seen).toHaveLength(0);
  });

  it('lets the carrier classify answers (e.g. 422 "already ended")', async () => {
    const server = await scriptedServer([status(422, '{"errors":[{"code":"90018"}]}')]);
    const result = await hangUpOverRest(
      spec(server.url, {
        classify: (code, body) =>
          code === 422 && body.includes('90018') ? 'already-ended' : code < 300 ? 'ended' : 'failed',
      }),
    );
    expect(result).toEqual({ outcome: 'already-ended', status: 422 });
  });

  it('keeps secrets out of results and log lines, even when the server echoes them', async () => {
    const server = await scriptedServer([status(403, `bad token ${SECRET}`)]);
    const hangUp = spec(server.url);
    const result = await hangUpOverRest(hangUp);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(result).toMatchObject({ outcome: 'failed', status: 403, body: 'bad token [redacted]' });
    expect(hangUp.lines.map((line) => line.text).join('\n')).not.toContain(SECRET);
  });

  it('never throws, even when request() or the logger does', async () => {
    const throwing: Logger = {
      debug: () => {
        throw new Error('logger down');
      },
      info: () => {},
      warn: () => {},
      error: () => {
        throw new Error('logger down');
      },
    };
    const result = await hangUpOverRest({
      carrier: 'toy',
      callId: 'c1',
      logger: throwing,
      deadlineMs: 500,
      request: () => {
        throw new Error(`cannot build ${SECRET}`);
      },
      secrets: [SECRET],
    });
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('scrubs a secret that straddles the 500-character cut', async () => {
    const server = await scriptedServer([status(400, `${'x'.repeat(495)}${SECRET} tail`)]);
    const result = await hangUpOverRest(spec(server.url));
    const body = result.outcome === 'failed' ? (result.body ?? '') : '';
    expect(body).toHaveLength(500);
    expect(body).not.toContain(SECRET.slice(0, 5));
  });

  it('scrubs a secret pulled in front of the cut by earlier, longer redactions', async () => {
    // A 904-character JWT shrinks to "[redacted]", so bytes from far past the cut move in front of it:
    // SECRET starts 15 characters before (500 + 904) and would show as "tok-v" at position 495.
    const longSecret = `jwt-${'j'.repeat(900)}`;
    const server = await scriptedServer([status(401, `${longSecret}${'y'.repeat(485)}${SECRET}`)]);
    const result = await hangUpOverRest(spec(server.url, { secrets: [longSecret, SECRET] }));
    const body = result.outcome === 'failed' ? (result.body ?? '') : '';
    expect(body.startsWith(`[redacted]${'y'.repeat(485)}`)).toBe(true);
    expect(body).not.toContain('tok-');
  });

  it('truncates long bodies', async () => {
    const server = await scriptedServer([status(400, 'x'.repeat(5000))]);
    const result = await hangUpOverRest(spec(server.url));
    expect(result.outcome === 'failed' && result.body?.length).toBe(500);
  });
});

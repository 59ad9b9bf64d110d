import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A misbehaving local HTTP server for the hang-up fault and secrets checks. */
export interface MisbehavingServer {
  /** Base URL (`http://127.0.0.1:PORT`, no trailing slash). */
  readonly url: string;
  /** Requests received (method, path and `Authorization` header). */
  readonly requests: { method: string; path: string; authorization?: string }[];
  close(): Promise<void>;
}

/** How it misbehaves: a body that trickles past any deadline, or an error body echoing the credential. */
export type Misbehaviour =
  | { readonly slowBody: { readonly status: number } }
  | { readonly echoAuthorization: { readonly padding: number } };

/** One byte of a slow body every this many ms, 600 bytes in all: far longer than any hang-up deadline. */
const SLOW_BYTE_INTERVAL_MS = 100;
const SLOW_BODY_BYTES = 600;

function trickle(response: ServerResponse, status: number, timers: Set<NodeJS.Timeout>): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(SLOW_BODY_BYTES),
  });
  response.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    if (response.destroyed || sent >= SLOW_BODY_BYTES) {
      clearInterval(timer);
      timers.delete(timer);
      if (!response.destroyed) response.end();
      return;
    }
    response.write(' ');
    sent += 1;
  }, SLOW_BYTE_INTERVAL_MS);
  timers.add(timer);
  response.on('close', () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}

/**
 * Starts a real `node:http` server on 127.0.0.1 that answers every request the way `behaviour` says:
 * `slowBody` sends the status line at once and then one byte of body every 100 ms; `echoAuthorization`
 * answers 400 with a JSON body echoing the request's `Authorization` header after `padding` characters
 * (as some proxies and error pages do), so a secret can sit across a body-length cut.
 */
export async function startMisbehavingServer(behaviour: Misbehaviour): Promise<MisbehavingServer> {
  const requests: MisbehavingServer['requests'] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const authorization = request.headers.authorization;
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      ...(authorization ? { authorization } : {}),
    });
    request.resume();
    if ('slowBody' in behaviour) {
      trickle(response, behaviour.slowBody.status, timers);
      return;
    }
    const padding = 'x'.repeat(behaviour.echoAuthorization.padding);
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ padding, error: 'not accepted', received: authorization ?? null }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

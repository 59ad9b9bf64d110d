import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A local HTTP server that answers every request with `status` at once, then trickles its body. */
export interface SlowBodyServer {
  /** Base URL (`http://127.0.0.1:PORT`, no trailing slash). */
  readonly url: string;
  /** Requests received (method and path). */
  readonly requests: { method: string; path: string; authorization?: string }[];
  close(): Promise<void>;
}

/**
 * Starts a real `node:http` server on 127.0.0.1 that sends the status line and headers of `status`
 * immediately, then one byte of body every `byteIntervalMs` ms, `bodyBytes` bytes in all (by default
 * far longer than any hang-up deadline).
 */
export async function startSlowBodyServer(
  options: { status?: number; byteIntervalMs?: number; bodyBytes?: number } = {},
): Promise<SlowBodyServer> {
  const status = options.status ?? 500;
  const byteIntervalMs = options.byteIntervalMs ?? 100;
  const bodyBytes = options.bodyBytes ?? 600;
  const requests: SlowBodyServer['requests'] = [];
  const sockets = new Set<Socket>();
  const responses = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    request.resume();
    responses.add(response);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bodyBytes) });
    response.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (response.destroyed || sent >= bodyBytes) {
        clearInterval(timer);
        timers.delete(timer);
        if (!response.destroyed) response.end();
        return;
      }
      response.write(' ');
      sent += 1;
    }, byteIntervalMs);
    timers.add(timer);
    response.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
      responses.delete(response);
    });
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

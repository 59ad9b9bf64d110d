import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A local HTTP server that answers every request with an error body echoing its `Authorization` header. */
export interface EchoServer {
  /** Base URL (`http://127.0.0.1:PORT`, no trailing slash). */
  readonly url: string;
  readonly requests: { method: string; path: string; authorization?: string }[];
  close(): Promise<void>;
}

/**
 * Starts a real `node:http` server on 127.0.0.1 that answers `status` with a JSON body echoing the
 * request's `Authorization` header (as some proxies and error pages do), after `padding` characters,
 * so a secret can sit across a body-length cut.
 */
export async function startEchoServer(
  options: { status?: number; padding?: number } = {},
): Promise<EchoServer> {
  const status = options.status ?? 400;
  const padding = 'x'.repeat(options.padding ?? 0);
  const requests: EchoServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const authorization = request.headers.authorization;
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      ...(authorization ? { authorization } : {}),
    });
    request.resume();
    response.writeHead(status, { 'content-type': 'application/json' });
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
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

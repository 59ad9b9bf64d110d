import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { type Readiness, serveHealth } from './health.js';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** Answers `GET|HEAD /metrics` with `registry` in Prometheus text format. */
export async function serveMetrics(
  registry: Registry,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    response.end('method not allowed\n');
    return;
  }
  try {
    const text = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    response.end(method === 'HEAD' ? undefined : text);
  } catch {
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('metrics unavailable\n');
  }
}

/** The HTTP server of `metrics: { port }`: `/metrics` plus the probes, 404 for anything else. */
export function createMetricsHttpServer(registry: Registry, readiness: () => Readiness): Server {
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 10_000 }, (request, response) => {
    const url = request.url ?? '/';
    const path = url.split('?', 1)[0] ?? '/';
    if (path === METRICS_PATH) {
      void serveMetrics(registry, request, response);
      return;
    }
    if (serveHealth(path, request, response, readiness)) return;
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('not found\n');
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  return server;
}

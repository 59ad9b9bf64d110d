import type { IncomingMessage, ServerResponse } from 'node:http';

/** Whether the server takes new calls, as `GET /readyz` reports it. */
export type Readiness = 'ready' | 'draining' | 'at-capacity' | 'closing';

/** Liveness: 200 while the process serves HTTP. */
export const LIVENESS_PATH = '/healthz';
/** Readiness: 200 only while new calls are accepted. */
export const READINESS_PATH = '/readyz';

function reply(request: IncomingMessage, response: ServerResponse, status: number, text: string): void {
  // No caching anywhere between the probe and us: a stale 200 would keep routing calls to a draining pod.
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : `${text}\n`);
}

/**
 * Answers the probes: `/healthz` 200 `ok`; `/readyz` 200 `ok` when `readiness()` is `ready`, else 503
 * naming the state (never a call count or id). GET and HEAD only (405 otherwise). Returns false for any
 * other path, leaving the request untouched. No authentication: load balancers and kubelets call it.
 */
export function serveHealth(
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
  readiness: () => Readiness,
): boolean {
  if (path !== LIVENESS_PATH && path !== READINESS_PATH) return false;
  const method = (request.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    response.end('method not allowed\n');
    return true;
  }
  if (path === LIVENESS_PATH) {
    reply(request, response, 200, 'ok');
    return true;
  }
  const state = readiness();
  if (state === 'ready') reply(request, response, 200, 'ok');
  else reply(request, response, 503, `not ready: ${state}`);
  return true;
}

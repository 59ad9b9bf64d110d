import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeCarrierApi, FakeFault, RecordedRequest } from './types.js';

/** A request as a route sees it: the recorded request plus the `{name}` segments of its pattern. */
export interface FakeRouteRequest extends RecordedRequest {
  /** Decoded values of the pattern's `{name}` segments. */
  readonly params: Readonly<Record<string, string>>;
}

/** A route's answer. */
export interface FakeRouteResponse {
  readonly status: number;
  /** Response body; an object is sent as JSON. */
  readonly body?: string | object;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One route of a fake carrier API. */
export interface FakeRoute {
  readonly method: string;
  /** Path pattern with `{name}` segments, e.g. `/v1/Account/{authId}/Call/{callId}/` (query ignored). */
  readonly pattern: string;
  handle(request: FakeRouteRequest): FakeRouteResponse;
}

/** How the generic server is set up. */
export interface FakeCarrierApiOptions {
  /** The fault applied from the first request on (see `setFault`). */
  readonly fault?: FakeFault;
  /**
   * Checks credentials before the route runs; return a response (e.g. 401) to refuse, `undefined`
   * to let the request through.
   */
  readonly authorize?: (request: FakeRouteRequest) => FakeRouteResponse | undefined;
  /** Answer for requests no route matches (default: 404 JSON). */
  readonly notFound?: (request: RecordedRequest) => FakeRouteResponse;
  /** Largest request body kept, in bytes (default 1 MiB); larger bodies are cut. */
  readonly maxBodyBytes?: number;
}

interface CompiledRoute {
  readonly route: FakeRoute;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

function compile(route: FakeRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern
    .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
    .map((part) => {
      const name = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(part)?.[1];
      if (name !== undefined) {
        names.push(name);
        return '([^/]+?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { route, regex: new RegExp(`^${source}$`), names };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function match(
  routes: readonly CompiledRoute[],
  method: string,
  pathname: string,
): { route: FakeRoute; params: Record<string, string> } | undefined {
  for (const compiled of routes) {
    if (compiled.route.method.toUpperCase() !== method.toUpperCase()) continue;
    const found = compiled.regex.exec(pathname);
    if (!found) continue;
    const params: Record<string, string> = {};
    compiled.names.forEach((name, index) => {
      params[name] = safeDecode(found[index + 1] ?? '');
    });
    return { route: compiled.route, params };
  }
  return undefined;
}

type MutableRecord = { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] };

function send(response: ServerResponse, answer: FakeRouteResponse, record?: MutableRecord): void {
  if (response.destroyed || response.writableEnded) return;
  if (record) record.responseStatus = answer.status;
  const headers: Record<string, string> = { ...answer.headers };
  let body = '';
  if (answer.body !== undefined) {
    if (typeof answer.body === 'string') {
      body = answer.body;
    } else {
      body = JSON.stringify(answer.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  // 204 and 304 carry no body by definition.
  if (answer.status === 204 || answer.status === 304) body = '';
  response.writeHead(answer.status, headers);
  response.end(body);
}

/** The default 404 for a route the fake does not implement. */
export function unknownRouteResponse(request: RecordedRequest): FakeRouteResponse {
  return {
    status: 404,
    body: { error: 'not found', message: `no fake route for ${request.method} ${request.path}` },
  };
}

/**
 * Starts a fake carrier REST API: a real `node:http` server on 127.0.0.1, port 0 (an ephemeral
 * port), that records every request, answers through `routes`, and misbehaves as `setFault` says.
 */
export async function startFakeCarrierApi(
  routes: readonly FakeRoute[],
  options: FakeCarrierApiOptions = {},
): Promise<FakeCarrierApi> {
  const compiled = routes.map(compile);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  let fault: FakeFault | undefined;
  let faultRemaining = Number.POSITIVE_INFINITY;
  let closed = false;

  const setFault = (next?: FakeFault): void => {
    fault = next;
    faultRemaining = next?.times ?? Number.POSITIVE_INFINITY;
  };
  setFault(options.fault);

  const takeFault = (): FakeFault | undefined => {
    if (!fault || faultRemaining <= 0) return undefined;
    faultRemaining -= 1;
    const taken = fault;
    if (faultRemaining <= 0) fault = undefined;
    return taken;
  };

  const answer = (recorded: MutableRecord, response: ServerResponse, current?: FakeFault): void => {
    if (current?.hang) return; // the socket stays open until the client gives up or close()
    if (current?.reset) {
      response.socket?.destroy();
      return;
    }
    if (current?.status !== undefined) {
      send(
        response,
        {
          status: current.status,
          body: current.body ?? { error: 'fault', status: current.status },
          headers: current.headers ?? {},
        },
        recorded,
      );
      return;
    }
    const pathname = recorded.path.split('?')[0] ?? recorded.path;
    const found = match(compiled, recorded.method, pathname);
    if (!found) {
      send(response, (options.notFound ?? unknownRouteResponse)(recorded), recorded);
      return;
    }
    const routeRequest: FakeRouteRequest = { ...recorded, params: found.params };
    let reply: FakeRouteResponse;
    try {
      reply = options.authorize?.(routeRequest) ?? found.route.handle(routeRequest);
    } catch (error) {
      reply = { status: 500, body: { error: 'fake route threw', message: String(error) } };
    }
    send(
      response,
      current?.headers ? { ...reply, headers: { ...reply.headers, ...current.headers } } : reply,
      recorded,
    );
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const receivedAtMs = Date.now();
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (size < maxBodyBytes) chunks.push(chunk.subarray(0, maxBodyBytes - size));
      size += chunk.length;
    });
    request.on('error', () => {});
    request.on('end', () => {
      const recorded: MutableRecord = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAtMs,
      };
      requests.push(recorded);
      const current = takeFault();
      const delayMs = current?.delayMs ?? 0;
      if (delayMs > 0 && !current?.hang) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer(recorded, response, current);
        }, delayMs);
        timers.add(timer);
      } else {
        answer(recorded, response, current);
      }
    });
  };

  const server = createServer(onRequest);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

/** Splits an `Authorization: Basic ...` header into user and password, else `undefined`. */
export function parseBasicAuth(
  header: string | string[] | undefined,
): { user: string; password: string } | undefined {
  if (typeof header !== 'string') return undefined;
  const found = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!found?.[1]) return undefined;
  const decoded = Buffer.from(found[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The token of an `Authorization: Bearer ...` header, else `undefined`. */
export function parseBearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const found = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return found?.[1];
}

/** `Basic base64(user:password)`, the value of an HTTP basic-auth header. */
export function basicAuthHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

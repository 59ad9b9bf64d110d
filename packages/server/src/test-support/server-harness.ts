import { once } from 'node:events';
import { connect } from 'node:net';
import { createCallwireContainer, type Frame, registerCarrier } from '@callwire/core';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import type { Call, CallClosed, CallHandler } from '../call.js';
import { type CallServer, createCallServer } from '../server.js';
import { TEST_STREAM_SECRET, tokenPath } from './client.js';
import { createMemoryLogger } from './memory-logger.js';
import { createToyCarrier } from './toy-carrier.js';

/** Servers started by `start`, closed by `closeStartedServers`. */
const servers: CallServer[] = [];

/** Closes every server `start` opened (call it in `afterEach`). */
export async function closeStartedServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((server) => server.close()));
}

export interface Started {
  server: CallServer;
  port: number;
  record: ReturnType<typeof createToyCarrier>['record'];
  logger: ReturnType<typeof createMemoryLogger>;
  calls: Call[];
  closings: Promise<CallClosed>[];
}

export async function start(
  handler: CallHandler,
  options: Partial<Parameters<typeof createCallServer>[0]> & { token?: string; credentials?: boolean } = {},
): Promise<Started> {
  const { plugin, record } = createToyCarrier();
  const logger = createMemoryLogger();
  const container = createCallwireContainer({ logger });
  registerCarrier(container, plugin, {
    token: options.token,
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
  const calls: Call[] = [];
  const closings: Promise<CallClosed>[] = [];
  const server = createCallServer({
    container,
    logger,
    streamAuth: { secret: TEST_STREAM_SECRET },
    ...options,
    handler: (call) => {
      calls.push(call);
      closings.push(call.closed);
      return handler(call);
    },
  });
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  return { server, port, record, logger, calls, closings };
}

export async function collect(call: Call, until: (frame: Frame) => boolean = () => false): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of call.frames) {
    frames.push(frame);
    if (until(frame)) break;
  }
  return frames;
}

export function pcmBytes(samples: number[]): Uint8Array {
  return new Uint8Array(Int16Array.from(samples).buffer);
}

/** The HTTP status a WebSocket upgrade gets (101 when it opens; the socket is then closed again). */
export function upgradeStatus(
  port: number,
  headers: Record<string, string> = {},
  path = tokenPath(),
): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      socket.once('close', () => resolve(101));
    });
    socket.on('error', () => {});
  });
}

/** The status line's code for a hand-written upgrade request with `extraHeader`. */
export async function rawUpgradeStatus(
  port: number,
  extraHeader: string,
  path = tokenPath(),
): Promise<number> {
  const raw = connect(port, '127.0.0.1');
  raw.on('error', () => {});
  await once(raw, 'connect');
  raw.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${extraHeader}\r\n\r\n`,
  );
  const [chunk] = (await once(raw, 'data')) as [Buffer];
  raw.destroy();
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1]);
}

export async function eventually(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !check(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(check()).toBe(true);
}

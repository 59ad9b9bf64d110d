import { WebSocket } from 'ws';
import { mintStreamToken } from '../stream-token.js';

/** The stream secret of the servers `start` opens (test-support/server-harness.ts). */
export const TEST_STREAM_SECRET = 'test-stream-secret-0123456789';

/** The media path with a fresh token for one call of `carrier` (any call id unless `callId` is given). */
export function tokenPath(carrier = 'toy', callId?: string, path = '/stream'): string {
  return `${path}/${mintStreamToken({ secret: TEST_STREAM_SECRET, carrier, callId })}`;
}

/** A test client: every message it receives, and how its socket closed. */
export interface TestClient {
  readonly socket: WebSocket;
  readonly received: (string | Buffer)[];
  /** Resolves with the first received message matching `accept` (already received ones count). */
  waitFor(accept: (message: string | Buffer) => boolean): Promise<string | Buffer>;
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
}

/** Opens a real WebSocket to `ws://127.0.0.1:port/path` (by default with a fresh stream token) and resolves once it is open. */
export async function connectClient(port: number, path = tokenPath()): Promise<TestClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  const received: (string | Buffer)[] = [];
  const waiters: { accept: (message: string | Buffer) => boolean; resolve: (m: string | Buffer) => void }[] =
    [];
  socket.on('message', (data, isBinary) => {
    const message = isBinary ? (data as Buffer) : (data as Buffer).toString('utf8');
    received.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.accept(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  socket.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    received,
    closed,
    waitFor(accept) {
      const found = received.find(accept);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ accept, resolve }));
    },
    send(message) {
      socket.send(
        typeof message === 'string' || message instanceof Uint8Array ? message : JSON.stringify(message),
      );
    },
  };
}

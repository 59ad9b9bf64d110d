import { WebSocket } from 'ws';

/** One message a test socket received. */
export interface ReceivedMessage {
  readonly binary: boolean;
  readonly data: Buffer;
}

/** A real `ws` client for tests, recording what it receives. */
export interface TestSocket {
  readonly socket: WebSocket;
  /** Every message received so far, in order (a live array). */
  readonly messages: ReceivedMessage[];
  /** The text messages received so far, in order (a live array). */
  readonly received: string[];
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
}

/** Opens a WebSocket to `url` and resolves once it is open (rejects if it cannot connect). */
export function openTestSocket(url: string): Promise<TestSocket> {
  const socket = new WebSocket(url);
  const messages: ReceivedMessage[] = [];
  const received: string[] = [];
  socket.on('message', (data, isBinary) => {
    const bytes = data as Buffer;
    messages.push({ binary: isBinary, data: bytes });
    if (!isBinary) received.push(bytes.toString('utf8'));
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages, received, closed }));
    socket.once('error', reject);
  });
}

/** Polls `condition` every 10 ms; throws naming `what` after `limitMs` (a deadlock guard, not a timing assertion). */
export async function waitUntil(condition: () => boolean, what: string, limitMs = 5000): Promise<void> {
  for (let waitedMs = 0; !condition(); waitedMs += 10) {
    if (waitedMs > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

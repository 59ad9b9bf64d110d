import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { openTestSocket, waitUntil } from './test-socket.js';

describe('openTestSocket', () => {
  it('records text and binary messages in order and resolves closed with the code', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    server.on('connection', (peer) => {
      peer.send('hello');
      peer.send(Buffer.from([1, 2, 3]));
      peer.close(4001, 'bye');
    });
    try {
      const { port } = server.address() as { port: number };
      const client = await openTestSocket(`ws://127.0.0.1:${port}`);
      expect(await client.closed).toBe(4001);
      expect(client.received).toEqual(['hello']);
      expect(client.messages.map((message) => [message.binary, [...message.data]])).toEqual([
        [false, [104, 101, 108, 108, 111]],
        [true, [1, 2, 3]],
      ]);
    } finally {
      server.close();
    }
  });

  it('rejects when nothing listens', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    await expect(openTestSocket(`ws://127.0.0.1:${port}`)).rejects.toThrow();
  });
});

describe('waitUntil', () => {
  it('resolves once the condition holds and throws naming what it waited for', async () => {
    let ready = false;
    setTimeout(() => {
      ready = true;
    }, 30);
    await waitUntil(() => ready, 'ready');
    expect(ready).toBe(true);
    await expect(waitUntil(() => false, 'the impossible', 50)).rejects.toThrow(
      'timed out waiting for the impossible',
    );
  });
});

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { StreamDeframer } from '@callwire/core';

/**
 * What the server needs of a media connection: the part of a `ws` WebSocket it uses, so a framed TCP
 * stream (`framedSocket`) can carry a call the same way. `readyState` uses WebSocket's numbers.
 */
export interface MediaSocket {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes queued for sending. */
  readonly bufferedAmount: number;
  send(data: string | Uint8Array, options: { binary: boolean }, callback: (error?: Error) => void): void;
  /** Closes the connection (`code` and `reason` are WebSocket's; a TCP stream just ends). */
  close(code?: number, reason?: string): void;
  terminate(): void;
  pause(): void;
  resume(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'close', listener: (...args: unknown[]) => void): this;
}

type Listener = Parameters<EventEmitter['on']>[1];

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * A TCP connection as a `MediaSocket`: `deframer` cuts what it reads into whole messages (each emitted
 * as one binary message, in order); what is sent is written as it is (the carrier's messages carry
 * their own framing; text has no place on such a stream and is dropped). When the stream cannot be
 * deframed, `onProblem` hears why and the connection is destroyed.
 */
export function framedSocket(
  socket: Socket,
  deframer: StreamDeframer,
  onProblem: (problem: string) => void,
): MediaSocket {
  const events = new EventEmitter();
  let state = OPEN;
  socket.on('data', (chunk: Buffer) => {
    if (state !== OPEN) return;
    const result = deframer.push(chunk);
    if ('problem' in result) {
      state = CLOSING;
      onProblem(result.problem);
      socket.destroy();
      return;
    }
    for (const message of result.messages) {
      const bytes =
        typeof message === 'string'
          ? Buffer.from(message)
          : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
      events.emit('message', bytes, true);
    }
  });
  socket.on('error', (error) => events.emit('error', error));
  socket.on('close', () => {
    state = CLOSED;
    events.emit('close');
  });
  const media: MediaSocket = {
    get readyState() {
      return state;
    },
    get bufferedAmount() {
      return socket.writableLength;
    },
    send(data, _options, callback) {
      if (typeof data === 'string' || state !== OPEN) {
        callback(
          new Error(typeof data === 'string' ? 'a byte stream carries no text' : 'connection closing'),
        );
        return;
      }
      socket.write(data, (error) => callback(error ?? undefined));
    },
    close() {
      if (state !== OPEN) return;
      state = CLOSING;
      socket.end();
    },
    terminate() {
      socket.destroy();
    },
    pause() {
      socket.pause();
    },
    resume() {
      socket.resume();
    },
    on(event: string, listener: Listener) {
      events.on(event, listener);
      return media;
    },
    once(event: string, listener: Listener) {
      events.once(event, listener);
      return media;
    },
  } as MediaSocket;
  return media;
}

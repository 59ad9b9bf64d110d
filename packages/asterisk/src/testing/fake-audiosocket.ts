import { connect, type Socket } from 'node:net';
import { audioSocketAudioFrame, audioSocketFrame, audioSocketUuidFrame } from './audiosocket-harness.js';

/** Options of `connectFakeAudioSocket`. */
export interface FakeAudioSocketOptions {
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The call's UUID (8-4-4-4-12). */
  readonly uuid: string;
  /** Rate of the audio Asterisk sends, Hz (8000: the `AudioSocket()` application). @default 8000 */
  readonly sampleRate?: number;
  /** Write every byte on its own (TCP_NODELAY, a tick apart), so each read is split anywhere. */
  readonly byteByByte?: boolean;
}

/** A message Asterisk received. */
export interface ReceivedAudioSocketMessage {
  readonly kind: number;
  readonly payload: Uint8Array;
}

/** A fake Asterisk AudioSocket client on a real TCP connection. */
export interface FakeAudioSocket {
  /** Resolves once connected and the UUID went out. */
  readonly opened: Promise<void>;
  /** Sends `pcm` as 20 ms audio messages, one every 20 ms: the caller talking. */
  talk(pcm: Int16Array): Promise<void>;
  /** The caller presses `digit` (kind 0x03). */
  press(digit: string): Promise<void>;
  /** Sends raw bytes (a test's garbage). */
  write(bytes: Uint8Array): Promise<void>;
  /** The caller hangs up: a hang-up message, then the connection ends. */
  hangUp(): Promise<void>;
  /** Every message received, in order, reassembled from the byte stream. */
  readonly received: readonly ReceivedAudioSocketMessage[];
  /** PCM of every audio message received, in order. */
  played(): Int16Array;
  until(predicate: () => boolean): Promise<void>;
  /** Resolves when the connection has closed. */
  readonly closed: Promise<void>;
}

/** Connects a fake AudioSocket client (Asterisk's side) to a server's TCP listener. */
export function connectFakeAudioSocket(options: FakeAudioSocketOptions): FakeAudioSocket {
  const sampleRate = options.sampleRate ?? 8000;
  const socket: Socket = connect({ port: options.port, host: options.host ?? '127.0.0.1' });
  socket.setNoDelay(true);
  const received: ReceivedAudioSocketMessage[] = [];
  let pending = Buffer.alloc(0);
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  let ended = false;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 3) {
      const length = pending.readUInt16BE(1);
      if (pending.length < 3 + length) break;
      received.push({ kind: pending[0] as number, payload: new Uint8Array(pending.subarray(3, 3 + length)) });
      pending = pending.subarray(3 + length);
    }
    wake();
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      ended = true;
      wake();
      resolve();
    }),
  );

  async function write(bytes: Uint8Array): Promise<void> {
    if (ended) return;
    if (!options.byteByByte) {
      socket.write(bytes);
      return;
    }
    for (const byte of bytes) {
      if (ended) return;
      socket.write(Uint8Array.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const opened = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      void write(audioSocketUuidFrame(options.uuid)).then(resolve);
    });
    socket.once('error', reject);
  });

  return {
    opened,
    async talk(pcm) {
      const samples = sampleRate / 50;
      for (let offset = 0; offset < pcm.length && !ended; offset += samples) {
        const started = Date.now();
        await write(audioSocketAudioFrame(pcm.subarray(offset, offset + samples), sampleRate));
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20 - (Date.now() - started))));
      }
    },
    press: (digit) => write(audioSocketFrame(0x03, new TextEncoder().encode(digit))),
    write,
    async hangUp() {
      await write(audioSocketFrame(0x00));
      socket.end();
    },
    received,
    played() {
      const parts = received
        .filter((message) => message.kind >= 0x10 && message.kind <= 0x18)
        .map((message) => {
          const view = new DataView(
            message.payload.buffer,
            message.payload.byteOffset,
            message.payload.byteLength,
          );
          return Int16Array.from({ length: message.payload.length >> 1 }, (_, i) =>
            view.getInt16(2 * i, true),
          );
        });
      const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
      }
      return out;
    },
    until(predicate) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (predicate() || ended) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      });
    },
    closed,
  };
}

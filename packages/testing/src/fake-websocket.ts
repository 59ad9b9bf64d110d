import { EventEmitter } from 'node:events';

/** One message a `FakeWebSocket` sent: text as the string given, binary as a copy of its bytes. */
export interface SentMessage {
  readonly data: string | Buffer;
  readonly isBinary: boolean;
  /** `Date.now()` at `send()`. */
  readonly atMs: number;
}

/** Options of `FakeWebSocket.pair()`. */
export interface FakeWebSocketPairOptions {
  /**
   * Start both ends in `CONNECTING` and open them (emitting `'open'`) on the next turn of the event
   * loop, as a `ws` client does. Default `false`: both ends are `OPEN` at once, as a `ws` server's
   * sockets are.
   */
  readonly connecting?: boolean;
}

type BinaryType = 'nodebuffer' | 'arraybuffer' | 'fragments';
type SendCallback = (error?: Error) => void;

const stateNames = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

// RFC 6455 section 7.4: codes an endpoint may put in a close frame (ws accepts the same set).
function isValidCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
      (code >= 3000 && code <= 4999))
  );
}

function toBuffer(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return Buffer.from(data);
  if (data instanceof ArrayBuffer) return Buffer.from(new Uint8Array(data.slice(0)));
  if (ArrayBuffer.isView(data)) {
    return Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  if (Array.isArray(data)) return Buffer.concat(data.map(toBuffer));
  return Buffer.from(String(data), 'utf8');
}

/**
 * An in-memory WebSocket that behaves like a `ws` `WebSocket` for the parts servers use:
 * `send(data, options?, cb?)` delivers to the peer asynchronously and in order, the peer's
 * `'message'` listener gets `(data: Buffer, isBinary)` exactly as with `ws` 8 (text arrives as a
 * Buffer with `isBinary` false), `close(code?, reason?)` runs a closing handshake and both ends
 * emit `'close'` with `(code, reason: Buffer)`, and `terminate()` drops what is in flight and
 * closes both ends with 1006. Every message sent is kept in `sent`, every one received in `received`.
 */
export class FakeWebSocket extends EventEmitter {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  /** `ws` state: `CONNECTING` (0), `OPEN` (1), `CLOSING` (2) or `CLOSED` (3). */
  readyState: 0 | 1 | 2 | 3;
  /** Bytes sent but not yet delivered to the peer. */
  bufferedAmount = 0;
  /** How binary messages are handed to `'message'` listeners, as in `ws`. */
  binaryType: BinaryType = 'nodebuffer';
  readonly protocol = '';
  readonly extensions = '';
  readonly url: string;
  /** Everything this end sent, in order. */
  readonly sent: SentMessage[] = [];
  /** Everything this end received, in order (text as strings). */
  readonly received: SentMessage[] = [];
  /** The close code and reason this end received (or 1006 on an abrupt end), once closed. */
  closeCode: number | undefined;
  closeReason: string | undefined;

  private peer: FakeWebSocket | undefined;
  private readonly inFlight = new Set<NodeJS.Immediate>();
  private closeFrameSent = false;
  private closeFrameReceived = false;

  private constructor(url: string, state: 0 | 1) {
    super();
    this.url = url;
    this.readyState = state;
  }

  /** Two connected ends: what one sends, the other receives. */
  static pair(options: FakeWebSocketPairOptions = {}): [FakeWebSocket, FakeWebSocket] {
    const state = options.connecting ? FakeWebSocket.CONNECTING : FakeWebSocket.OPEN;
    const a = new FakeWebSocket('ws://fake/a', state);
    const b = new FakeWebSocket('ws://fake/b', state);
    a.peer = b;
    b.peer = a;
    if (options.connecting) {
      setImmediate(() => {
        for (const end of [a, b]) {
          if (end.readyState !== FakeWebSocket.CONNECTING) continue;
          end.readyState = FakeWebSocket.OPEN;
          end.emit('open');
        }
      });
    }
    return [a, b];
  }

  /**
   * Sends a text (string) or binary (Buffer, typed array, ArrayBuffer) message; `options.binary`
   * overrides the kind. Throws while `CONNECTING`, like `ws`; after close, passes an error to `cb`.
   */
  send(
    data: unknown,
    optionsOrCallback?: { binary?: boolean } | SendCallback,
    callback?: SendCallback,
  ): void {
    const cb = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback;
    const options = typeof optionsOrCallback === 'object' ? optionsOrCallback : {};
    if (this.readyState === FakeWebSocket.CONNECTING) {
      throw new Error('WebSocket is not open: readyState 0 (CONNECTING)');
    }
    if (this.readyState !== FakeWebSocket.OPEN || this.closeFrameSent) {
      if (cb) {
        const error = new Error(
          `WebSocket is not open: readyState ${this.readyState} (${stateNames[this.readyState]})`,
        );
        setImmediate(() => cb(error));
      }
      return;
    }
    const isBinary = options.binary ?? typeof data !== 'string';
    const bytes = toBuffer(data);
    this.sent.push({
      data: typeof data === 'string' && !isBinary ? data : Buffer.from(bytes),
      isBinary,
      atMs: Date.now(),
    });
    this.bufferedAmount += bytes.length;
    this.deliver(() => {
      this.bufferedAmount -= bytes.length;
      this.peer?.receiveMessage(bytes, isBinary);
      cb?.();
    });
  }

  /** Starts the closing handshake; both ends emit `'close'` once it completes. */
  close(code?: number, reason?: string | Buffer): void {
    if (code !== undefined && !isValidCloseCode(code)) {
      throw new TypeError('First argument must be a valid error code number');
    }
    const reasonBytes = toBuffer(reason ?? '');
    if (reasonBytes.length > 123) {
      throw new RangeError('The message must not be greater than 123 bytes');
    }
    if (this.readyState === FakeWebSocket.CLOSED) return;
    if (this.readyState === FakeWebSocket.CONNECTING) {
      this.readyState = FakeWebSocket.CLOSING;
      setImmediate(() => {
        this.emit('error', new Error('WebSocket was closed before the connection was established'));
        this.abort();
      });
      return;
    }
    if (this.closeFrameSent) return;
    this.sendCloseFrame(code ?? 1005, reasonBytes);
  }

  /** Ends the connection at once: undelivered messages are lost and both ends close with 1006. */
  terminate(): void {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSING;
    this.dropInFlight();
    setImmediate(() => this.abort());
  }

  /** Emits `'error'` on this end, then ends the connection abruptly, as a socket error does in `ws`. */
  fail(error: Error): void {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSING;
    setImmediate(() => {
      this.emit('error', error);
      this.abort();
    });
  }

  /** `ws` API compatibility; pings are not modelled. */
  ping(_data?: unknown, _mask?: boolean, cb?: SendCallback): void {
    cb?.();
  }

  /** `ws` API compatibility; pongs are not modelled. */
  pong(_data?: unknown, _mask?: boolean, cb?: SendCallback): void {
    cb?.();
  }

  private deliver(action: () => void): void {
    const immediate = setImmediate(() => {
      this.inFlight.delete(immediate);
      action();
    });
    this.inFlight.add(immediate);
  }

  private receiveMessage(bytes: Buffer, isBinary: boolean): void {
    if (this.readyState === FakeWebSocket.CLOSED || this.closeFrameReceived) return;
    this.received.push({
      data: isBinary ? Buffer.from(bytes) : bytes.toString('utf8'),
      isBinary,
      atMs: Date.now(),
    });
    let data: Buffer | ArrayBuffer | Buffer[] = bytes;
    if (isBinary && this.binaryType === 'arraybuffer') {
      data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    } else if (isBinary && this.binaryType === 'fragments') {
      data = [bytes];
    }
    this.emit('message', data, isBinary);
  }

  private sendCloseFrame(code: number, reason: Buffer): void {
    this.closeFrameSent = true;
    this.readyState = FakeWebSocket.CLOSING;
    this.deliver(() => this.peer?.receiveCloseFrame(code, reason));
  }

  private receiveCloseFrame(code: number, reason: Buffer): void {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.closeFrameReceived = true;
    // Echo the peer's code, as ws does, then finish once both frames have crossed.
    if (!this.closeFrameSent) this.sendCloseFrame(code === 1005 ? 1005 : code, reason);
    this.finish(code, reason);
  }

  private dropInFlight(): void {
    for (const immediate of this.inFlight) clearImmediate(immediate);
    this.inFlight.clear();
    this.bufferedAmount = 0;
  }

  private abort(): void {
    this.dropInFlight();
    this.finish(1006, Buffer.alloc(0));
    const peer = this.peer;
    if (peer && peer.readyState !== FakeWebSocket.CLOSED) {
      peer.dropInFlight();
      peer.finish(1006, Buffer.alloc(0));
    }
  }

  private finish(code: number, reason: Buffer): void {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSED;
    this.closeCode = code;
    this.closeReason = reason.toString('utf8');
    this.emit('close', code, reason);
  }
}

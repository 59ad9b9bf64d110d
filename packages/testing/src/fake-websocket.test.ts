import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeWebSocket } from './fake-websocket.js';

function collect(socket: FakeWebSocket): Array<{ data: unknown; isBinary: boolean }> {
  const messages: Array<{ data: unknown; isBinary: boolean }> = [];
  socket.on('message', (data: unknown, isBinary: boolean) => messages.push({ data, isBinary }));
  return messages;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FakeWebSocket', () => {
  it('uses the ws readyState constants', () => {
    expect([
      FakeWebSocket.CONNECTING,
      FakeWebSocket.OPEN,
      FakeWebSocket.CLOSING,
      FakeWebSocket.CLOSED,
    ]).toEqual([WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED]);
    const [a] = FakeWebSocket.pair();
    expect(a.readyState).toBe(WebSocket.OPEN);
    expect(a.OPEN).toBe(1);
  });

  it('delivers asynchronously, in order, text as a Buffer with isBinary false like ws', async () => {
    const [a, b] = FakeWebSocket.pair();
    const messages = collect(b);
    a.send('hello');
    a.send('wörld');
    expect(messages).toEqual([]);
    expect(a.bufferedAmount).toBe(5 + 6);
    await tick();
    await tick();
    expect(a.bufferedAmount).toBe(0);
    expect(messages.map((m) => [Buffer.isBuffer(m.data), String(m.data), m.isBinary])).toEqual([
      [true, 'hello', false],
      [true, 'wörld', false],
    ]);
    expect(b.received.map((m) => m.data)).toEqual(['hello', 'wörld']);
  });

  it('keeps binary binary and copies it at send time', async () => {
    const [a, b] = FakeWebSocket.pair();
    const messages = collect(b);
    const bytes = new Uint8Array([1, 2, 3, 255]);
    a.send(bytes);
    a.send(Buffer.from([9]));
    a.send(new Int16Array([-1]));
    bytes[0] = 42; // mutating after send must not change what was sent
    await tick();
    await tick();
    await tick();
    expect(messages.every((m) => m.isBinary && Buffer.isBuffer(m.data))).toBe(true);
    expect(messages.map((m) => [...(m.data as Buffer)])).toEqual([[1, 2, 3, 255], [9], [255, 255]]);
    expect(a.sent.map((m) => [...(m.data as Buffer)])).toEqual([[1, 2, 3, 255], [9], [255, 255]]);
    expect(a.sent.every((m) => m.isBinary)).toBe(true);
  });

  it('honours options.binary and binaryType arraybuffer', async () => {
    const [a, b] = FakeWebSocket.pair();
    b.binaryType = 'arraybuffer';
    const messages = collect(b);
    a.send('as-binary', { binary: true });
    a.send(new Uint8Array([7]), { binary: false });
    await tick();
    await tick();
    expect(messages[0]?.isBinary).toBe(true);
    expect(messages[0]?.data).toBeInstanceOf(ArrayBuffer);
    expect(messages[1]).toEqual({ data: Buffer.from([7]), isBinary: false });
  });

  it('calls the send callback after delivery', async () => {
    const [a, b] = FakeWebSocket.pair();
    const order: string[] = [];
    b.on('message', () => order.push('delivered'));
    await new Promise<void>((resolve) =>
      a.send('x', (error) => {
        order.push(`cb:${String(error)}`);
        resolve();
      }),
    );
    expect(order).toEqual(['delivered', 'cb:undefined']);
  });

  it('closes both ends with the code and reason after in-flight messages', async () => {
    const [a, b] = FakeWebSocket.pair();
    const events: string[] = [];
    b.on('message', (data) => events.push(`b:message:${String(data)}`));
    a.on('close', (code: number, reason: Buffer) => events.push(`a:close:${code}:${reason.toString()}`));
    b.on('close', (code: number, reason: Buffer) => events.push(`b:close:${code}:${reason.toString()}`));
    a.send('last words');
    a.close(4000, 'bye');
    expect(a.readyState).toBe(FakeWebSocket.CLOSING);
    await Promise.all([once(a, 'close'), once(b, 'close')]);
    expect(events).toEqual(['b:message:last words', 'b:close:4000:bye', 'a:close:4000:bye']);
    expect([a.readyState, b.readyState]).toEqual([FakeWebSocket.CLOSED, FakeWebSocket.CLOSED]);
    expect([a.closeCode, b.closeCode]).toEqual([4000, 4000]);
  });

  it('reports 1005 when closed without a code, and ignores a second close', async () => {
    const [a, b] = FakeWebSocket.pair();
    a.close();
    a.close(1000);
    const [code] = await once(b, 'close');
    expect(code).toBe(1005);
  });

  it('refuses invalid close codes and long reasons like ws', () => {
    const [a] = FakeWebSocket.pair();
    expect(() => a.close(1006)).toThrow(TypeError);
    expect(() => a.close(999)).toThrow(TypeError);
    expect(() => a.close(1000, 'x'.repeat(124))).toThrow(RangeError);
    expect(a.readyState).toBe(FakeWebSocket.OPEN);
  });

  it('drops sends after close and reports them to the callback', async () => {
    const [a, b] = FakeWebSocket.pair();
    const messages = collect(b);
    a.close(1000);
    const error = await new Promise<Error | undefined>((resolve) => a.send('late', resolve));
    expect(error?.message).toMatch(/not open/);
    expect(messages).toEqual([]);
    expect(a.sent).toEqual([]);
  });

  it('terminate() drops in-flight messages and closes both ends with 1006', async () => {
    const [a, b] = FakeWebSocket.pair();
    const messages = collect(b);
    a.send('never arrives');
    a.terminate();
    const [[codeA], [codeB]] = await Promise.all([once(a, 'close'), once(b, 'close')]);
    expect([codeA, codeB]).toEqual([1006, 1006]);
    expect(messages).toEqual([]);
    expect(a.bufferedAmount).toBe(0);
  });

  it('fail() emits error then closes abruptly', async () => {
    const [a, b] = FakeWebSocket.pair();
    const events: string[] = [];
    a.on('error', (error: Error) => events.push(`error:${error.message}`));
    a.on('close', (code: number) => events.push(`close:${code}`));
    a.fail(new Error('ECONNRESET'));
    await once(b, 'close');
    expect(events).toEqual(['error:ECONNRESET', 'close:1006']);
  });

  it('opens connecting pairs on the next turn with an open event, refusing sends before', async () => {
    const [a, b] = FakeWebSocket.pair({ connecting: true });
    expect(a.readyState).toBe(FakeWebSocket.CONNECTING);
    expect(() => a.send('too early')).toThrow(/CONNECTING/);
    await Promise.all([once(a, 'open'), once(b, 'open')]);
    expect([a.readyState, b.readyState]).toEqual([FakeWebSocket.OPEN, FakeWebSocket.OPEN]);
  });

  it('sends both ways independently', async () => {
    const [a, b] = FakeWebSocket.pair();
    const fromA = collect(b);
    const fromB = collect(a);
    a.send('ping');
    b.send('pong');
    await tick();
    expect(fromA.map((m) => String(m.data))).toEqual(['ping']);
    expect(fromB.map((m) => String(m.data))).toEqual(['pong']);
  });
});

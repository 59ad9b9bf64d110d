import { WebSocket } from 'ws';

/** A Plivo-like media-stream client over a real WebSocket, for tests. */
export interface PlivoLikeClient {
  readonly socket: WebSocket;
  /** Every JSON message received. */
  readonly received: Record<string, unknown>[];
  sendStart(): void;
  /** Sends `chunks` media messages of 20 ms mu-law (160 bytes each) filled with `byte`. */
  sendMedia(chunks: number, byte?: number): void;
  sendDtmf(digit: string): void;
  sendPlayed(name: string): void;
  /** Resolves with the first received message that matches (already received ones count). */
  waitFor(accept: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Connects to `url` as Plivo would for call `callId`, stream `streamId`. */
export async function connectPlivoLike(
  url: string,
  callId: string,
  streamId: string,
): Promise<PlivoLikeClient> {
  const socket = new WebSocket(url);
  const received: Record<string, unknown>[] = [];
  const waiters: {
    accept: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
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
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let sequenceNumber = 0;
  const send = (message: Record<string, unknown>) => {
    sequenceNumber += 1;
    socket.send(JSON.stringify({ sequenceNumber, ...message }));
  };
  return {
    socket,
    received,
    closed,
    sendStart: () =>
      send({
        event: 'start',
        start: {
          callId,
          streamId,
          accountId: 'MATESTACCOUNT',
          tracks: ['inbound'],
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 },
        },
        extra_headers: '{}',
      }),
    sendMedia(chunks, byte = 0x7f) {
      const payload = Buffer.alloc(160, byte).toString('base64');
      for (let chunk = 0; chunk < chunks; chunk += 1) {
        send({
          event: 'media',
          streamId,
          media: { track: 'inbound', timestamp: String(chunk * 20), chunk, payload },
        });
      }
    },
    sendDtmf: (digit) => send({ event: 'dtmf', streamId, dtmf: { digit, track: 'inbound' } }),
    sendPlayed: (name) => send({ event: 'playedStream', streamId, name }),
    waitFor(accept) {
      const found = received.find(accept);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ accept, resolve }));
    },
  };
}

import { WebSocket } from 'ws';
import type { AsteriskControlFormat } from '../websocket/events.js';
import { ASTERISK_QUEUE_FRAMES } from '../websocket/media-flow.js';
import {
  asteriskFrameBytes,
  asteriskMediaStart,
  decodeAsteriskMedia,
  encodeAsteriskMedia,
  readAsteriskCommand,
} from './websocket-harness.js';

type Format = 'ulaw' | 'alaw' | 'slin16';

/** Options of `connectFakeAsterisk`. */
export interface FakeAsteriskOptions {
  /** The server's WebSocket URL. */
  readonly url: string;
  /** @default 'ulaw' */
  readonly format?: Format;
  /** @default 'json' */
  readonly controlFormat?: AsteriskControlFormat;
  /** The channel's variables, sent in MEDIA_START (JSON only). */
  readonly channelVariables?: Readonly<Record<string, string>>;
  /** The channel's unique id. @default '1722960000.1' */
  readonly channelId?: string;
  /** How often the fake plays one queued frame, ms: 20 is Asterisk's real pace. @default 20 */
  readonly playEveryMs?: number;
  /**
   * The `username` and `password` of the `websocket_client.conf` connection: HTTP basic auth on the
   * upgrade. Absent: the upgrade carries none.
   */
  readonly wsAuth?: { readonly username: string; readonly password: string };
}

/** A fake Asterisk channel on a real WebSocket, modelled on chan_websocket. */
export interface FakeAsterisk {
  /** Resolves once the socket is open and MEDIA_START went out. */
  readonly opened: Promise<void>;
  /** Sends `pcm` (at the format's rate) as 20 ms binary frames, one every 20 ms: the caller talking. */
  talk(pcm: Int16Array): Promise<void>;
  /** The caller presses `digit` (DTMF_END). */
  press(digit: string): void;
  /** The caller hangs up: the socket closes (chan_websocket has no hang-up event). */
  hangUp(): void;
  /** PCM played to the caller so far, in order. */
  played(): Int16Array;
  /** Every command received, in order. */
  readonly commands: readonly { readonly command: string; readonly correlationId?: string }[];
  /** Correlation ids of marks played (MEDIA_MARK_PROCESSED sent), in order. */
  readonly marksPlayed: readonly string[];
  /** Frames queued now (Asterisk's outbound queue). */
  queueLength(): number;
  /** Binary messages dropped because the queue was full when they arrived (Asterisk drops them whole). */
  droppedMessages(): number;
  /** How many times the queue sent MEDIA_XOFF. */
  xoffs(): number;
  /** Resolves when `predicate` holds (checked after every received message and played frame). */
  until(predicate: () => boolean): Promise<void>;
  /** Resolves with the close code once the socket is closed. */
  readonly closed: Promise<number>;
}

interface Queued {
  readonly frame?: Uint8Array;
  readonly mark?: string;
}

/**
 * Connects a fake chan_websocket channel to `url`: it sends MEDIA_START, answers commands as
 * chan_websocket does (ANSWER, HANGUP, FLUSH_MEDIA, MARK_MEDIA, GET_STATUS, ...), keeps an outbound
 * queue of 1000 frames played one every `playEveryMs`, sends MEDIA_XOFF at 900 and MEDIA_XON below 800,
 * and drops a binary message that arrives while the queue is full, as Asterisk does.
 */
export function connectFakeAsterisk(options: FakeAsteriskOptions): FakeAsterisk {
  const format = options.format ?? 'ulaw';
  const controlFormat = options.controlFormat ?? 'json';
  const channelId = options.channelId ?? '1722960000.1';
  const frameBytes = asteriskFrameBytes(format);
  const headers: Record<string, string> = {};
  if (options.wsAuth) {
    const { username, password } = options.wsAuth;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const socket = new WebSocket(options.url, { headers });
  // A refused upgrade is reported through `opened` (rejected) and `closed`, not as an unhandled error.
  socket.on('error', () => {});
  const queue: Queued[] = [];
  let queueFrames = 0;
  let queueFull = false;
  let dropped = 0;
  let xoffCount = 0;
  const played: Int16Array[] = [];
  const commands: { command: string; correlationId?: string }[] = [];
  const marksPlayed: string[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };

  const event = (
    name: string,
    fields: Record<string, string | number | boolean> = {},
    correlationId?: string,
  ) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (controlFormat === 'plain-text') {
      if (correlationId !== undefined) return socket.send(`${name} ${correlationId}`);
      const pairs = Object.entries({ ...fields, channel_id: channelId }).map(
        ([key, value]) => `${key}:${value}`,
      );
      return socket.send([name, ...pairs].join(' '));
    }
    socket.send(
      JSON.stringify({
        event: name,
        channel_id: channelId,
        ...fields,
        ...(correlationId !== undefined ? { correlation_id: correlationId } : {}),
      }),
    );
  };

  const player = setInterval(() => {
    if (queueFull && queueFrames < ASTERISK_QUEUE_FRAMES.xon) {
      queueFull = false;
      event('MEDIA_XON');
    }
    // Marks are control frames: processed at once, using no media time slot.
    while (queue[0]?.mark !== undefined) {
      const mark = (queue.shift() as Queued).mark as string;
      marksPlayed.push(mark);
      event('MEDIA_MARK_PROCESSED', {}, mark);
    }
    const next = queue.shift();
    if (next?.frame) {
      queueFrames -= 1;
      played.push(decodeAsteriskMedia(format, next.frame));
    }
    wake();
  }, options.playEveryMs ?? 20);

  function receive(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      if (queueFrames >= ASTERISK_QUEUE_FRAMES.max) {
        dropped += 1;
        return;
      }
      // Whole frames are queued; a partial one is dropped (outside bulk buffering).
      for (let offset = 0; offset + frameBytes <= data.length; offset += frameBytes) {
        queue.push({ frame: new Uint8Array(data.subarray(offset, offset + frameBytes)) });
        queueFrames += 1;
        if (!queueFull && queueFrames >= ASTERISK_QUEUE_FRAMES.xoff) {
          queueFull = true;
          xoffCount += 1;
          event('MEDIA_XOFF');
        }
      }
      return;
    }
    const text = data.toString('utf8');
    if (Buffer.byteLength(text) > 128) return;
    const parsed = readAsteriskCommand(controlFormat, text);
    if (!parsed) {
      event('ERROR', { error_text: 'Unable to parse JSON command' });
      return;
    }
    commands.push(parsed);
    switch (parsed.command) {
      case 'HANGUP':
        socket.close(1000);
        break;
      case 'FLUSH_MEDIA':
        queue.length = 0;
        queueFrames = 0;
        break;
      case 'MARK_MEDIA':
        queue.push({ mark: parsed.correlationId ?? '' });
        break;
      case 'GET_STATUS':
        event('STATUS', {
          queue_length: queueFrames,
          xon_level: ASTERISK_QUEUE_FRAMES.xon,
          xoff_level: ASTERISK_QUEUE_FRAMES.xoff,
          queue_full: queueFull,
          bulk_media: false,
          media_paused: false,
        });
        break;
      default:
        break;
    }
  }

  socket.on('message', (data: Buffer, isBinary) => {
    receive(data, isBinary);
    wake();
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      socket.send(
        asteriskMediaStart(
          {
            streamId: `connection-${channelId}`,
            callId: channelId,
            ...(options.channelVariables
              ? { metadata: { customParameters: options.channelVariables, raw: undefined } }
              : {}),
          },
          format,
          controlFormat,
        ),
      );
      resolve();
    });
    socket.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => {
    socket.once('close', (code) => {
      clearInterval(player);
      wake();
      resolve(code);
    });
  });

  return {
    opened,
    async talk(pcm) {
      const samples = frameBytes / (format === 'slin16' ? 2 : 1);
      for (let offset = 0; offset < pcm.length; offset += samples) {
        if (socket.readyState !== WebSocket.OPEN) return;
        socket.send(encodeAsteriskMedia(format, pcm.subarray(offset, offset + samples)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    press(digit) {
      event('DTMF_END', { digit });
    },
    hangUp() {
      socket.close(1000);
    },
    played() {
      const total = played.reduce((sum, part) => sum + part.length, 0);
      const out = new Int16Array(total);
      let offset = 0;
      for (const part of played) {
        out.set(part, offset);
        offset += part.length;
      }
      return out;
    },
    commands,
    marksPlayed,
    queueLength: () => queueFrames,
    droppedMessages: () => dropped,
    xoffs: () => xoffCount,
    until(predicate) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (predicate() || socket.readyState === WebSocket.CLOSED) {
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

import type { CallMetadata, WireMessage } from '@callwire/core';
import { WebSocket } from 'ws';
import { GENESYS_OFFERS, genesysClientMessage, genesysOpenParameters } from './client-messages.js';

/** A message the fake client received: the parsed JSON of a text message, or the bytes of a binary one. */
export type ReceivedGenesysMessage =
  | {
      readonly binary: false;
      readonly json: {
        type: string;
        seq: number;
        clientseq: number;
        id: string;
        parameters: Record<string, unknown>;
      };
    }
  | { readonly binary: true; readonly bytes: Buffer };

/**
 * Genesys Cloud's side of an AudioHook / Audio Connector session over a real WebSocket: it numbers
 * its messages (`seq`, `serverseq` = the last server seq it saw, `position` from the audio it sent),
 * records what the server sends, and can break the protocol on purpose.
 */
export interface FakeGenesysClient {
  readonly socket: WebSocket;
  /** The session id every message carries. */
  readonly sessionId: string;
  /** Everything received, in order (a live array). */
  readonly received: ReceivedGenesysMessage[];
  /** The text messages received, parsed (a live array). */
  readonly messages: Extract<ReceivedGenesysMessage, { binary: false }>['json'][];
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  /** Sends `type` with `parameters`, numbered; `override` replaces envelope fields (to break the protocol). */
  send(type: string, parameters?: Record<string, unknown>, override?: Record<string, unknown>): void;
  /** Sends `open` offering `media` (default: Audio Connector's mono PCMU). */
  open(options?: {
    media?: readonly unknown[];
    metadata?: CallMetadata;
    conversationId?: string;
    organizationId?: string;
  }): void;
  /** Sends binary audio (advancing the position by its duration at 8 kHz). */
  sendAudio(bytes: Uint8Array, bytesPerSecond?: number): void;
  /** Sends raw text or bytes as is. */
  sendRaw(message: WireMessage): void;
  /** Resolves with the first received text message of `type` after `from` (an index in `messages`). */
  next(type: string, from?: number): Promise<Extract<ReceivedGenesysMessage, { binary: false }>['json']>;
  close(): void;
}

/** Connects to `url` as Genesys would (with `headers`, for a signed upgrade) and resolves once open. */
export function openFakeGenesysClient(
  url: string,
  options: { sessionId?: string; headers?: Record<string, string> } = {},
): Promise<FakeGenesysClient> {
  const sessionId = options.sessionId ?? crypto.randomUUID();
  const socket = new WebSocket(url, { headers: options.headers ?? {} });
  const received: ReceivedGenesysMessage[] = [];
  const messages: FakeGenesysClient['messages'] = [];
  const waiters: (() => void)[] = [];
  let seq = 0;
  let serverseq = 0;
  let positionS = 0;
  socket.on('message', (data, isBinary) => {
    const bytes = data as Buffer;
    if (isBinary) {
      received.push({ binary: true, bytes });
    } else {
      const json = JSON.parse(bytes.toString('utf8'));
      if (typeof json.seq === 'number') serverseq = json.seq;
      received.push({ binary: false, json });
      messages.push(json);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const client: FakeGenesysClient = {
    socket,
    sessionId,
    received,
    messages,
    closed,
    send(type, parameters = {}, override = {}) {
      seq += 1;
      const text = genesysClientMessage({ id: sessionId, seq, serverseq, positionS }, type, parameters);
      socket.send(JSON.stringify({ ...JSON.parse(text), ...override }));
    },
    open(openOptions = {}) {
      client.send(
        'open',
        genesysOpenParameters({
          conversationId: openOptions.conversationId ?? crypto.randomUUID(),
          media: openOptions.media ?? GENESYS_OFFERS.monoPcmu,
          metadata: openOptions.metadata,
          ...(openOptions.organizationId ? { organizationId: openOptions.organizationId } : {}),
        }),
      );
    },
    sendAudio(bytes, bytesPerSecond = 8000) {
      positionS += bytes.length / bytesPerSecond;
      socket.send(bytes, { binary: true });
    },
    sendRaw(message) {
      socket.send(message, { binary: typeof message !== 'string' });
    },
    async next(type, from = 0) {
      for (;;) {
        const found = messages.slice(from).find((message) => message.type === type);
        if (found) return found;
        await new Promise<void>((resolve, reject) => {
          waiters.push(resolve);
          closed.then(() => reject(new Error(`socket closed before a "${type}" arrived`)));
        });
      }
    },
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}

// A fake OpenAI Realtime API on 127.0.0.1, over a real `ws` server, for tests of agents on calls
// without the network. It speaks the GA event names @openai/agents-realtime 0.20 parses (its
// `openaiRealtimeEvents`), for what the transport uses: it answers `session.update` with
// `session.updated`, `response.cancel` with a cancelled `response.done`, `conversation.item.truncate`
// with `conversation.item.truncated`, and records every client event; the test drives the model's
// side (audio responses, speech start, tool calls) with its methods.
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * Server events sent per event-loop turn. With 50 ms deltas, a response's two opening events and its
 * first 300 ms of audio arrive in one turn: a burst, much faster than real time, as from the real API.
 */
const EVENTS_PER_TURN = 8;

/** A client event as received (parsed JSON). */
export interface ClientEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** A running fake Realtime API. */
export interface FakeRealtimeServer {
  /** `ws://127.0.0.1:<port>/v1/realtime`. */
  readonly url: string;
  /** Client events received, in order, over every connection. */
  readonly events: ClientEvent[];
  /** Handshake headers of each connection. */
  readonly handshakes: IncomingHttpHeaders[];
  /** Bytes of every `input_audio_buffer.append`, concatenated (base64-decoded). */
  inputAudio(): Uint8Array;
  /** Resolves with the first event (already received or later) that `match` accepts. */
  waitForEvent(match: (event: ClientEvent) => boolean): Promise<ClientEvent>;
  /** Resolves once at least `byteLength` bytes of input audio arrived. */
  waitForInputAudio(byteLength: number): Promise<void>;
  /** Resolves once a client is connected. */
  connected(): Promise<void>;
  /**
   * The model speaks `audio` (bytes in the session's output format) as one assistant item, in chunks of
   * `chunkBytes`, much faster than real time, as the real API sends (a few events per event-loop turn,
   * as network reads bring them). With `done: false` the response stays open (a barge-in can still
   * cancel it).
   */
  speak(
    audio: Uint8Array,
    options: { responseId: string; itemId: string; chunkBytes: number; done?: boolean },
  ): void;
  /** Voice activity detection heard the caller start speaking. */
  speechStarted(): void;
  /** The model calls the function `name` with `args` in a response of its own. */
  callFunction(
    name: string,
    args: Record<string, unknown>,
    ids: { responseId: string; callId: string },
  ): void;
  close(): Promise<void>;
}

/** Starts a fake Realtime API on 127.0.0.1, port 0 (`url` ends in `/v1/realtime`). */
export async function startFakeRealtimeServer(): Promise<FakeRealtimeServer> {
  let sequence = 0;
  const eventId = () => `event_${++sequence}`;
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v1/realtime' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const events: ClientEvent[] = [];
  const handshakes: IncomingHttpHeaders[] = [];
  const audioParts: Buffer[] = [];
  let audioBytes = 0;
  const waiters = new Set<() => void>();
  let socket: WebSocket | undefined;
  let session: Record<string, unknown> = { type: 'realtime', id: 'sess_fake', object: 'realtime.session' };
  let activeResponseId: string | undefined;

  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      if (ready()) return resolve();
      const waiter = () => {
        if (!ready()) return;
        waiters.delete(waiter);
        resolve();
      };
      waiters.add(waiter);
    });
  /**
   * Server events wait here and go out in order, at most `EVENTS_PER_TURN` per event-loop turn, as they
   * would arrive in network reads (the real API streams deltas as the model makes them). Sent all in
   * one turn, a long response holds the event loop a simulated carrier in the same process reads from:
   * that carrier starts playing only after the client processed the whole response, a delay no real
   * carrier sees (the first audio leaves the server at once), which a carrier with no marks (Genesys)
   * would count as heard.
   */
  const outbox: { readonly to: WebSocket; readonly text: string }[] = [];
  let draining: NodeJS.Immediate | undefined;
  const drain = () => {
    draining = undefined;
    for (const next of outbox.splice(0, EVENTS_PER_TURN)) next.to.send(next.text);
    if (outbox.length > 0) draining = setImmediate(drain);
  };
  const send = (event: Record<string, unknown>) => {
    if (!socket) return;
    outbox.push({ to: socket, text: JSON.stringify({ event_id: eventId(), ...event }) });
    draining ??= setImmediate(drain);
  };
  const responseDone = (id: string, status: string, output: unknown[] = []) =>
    send({
      type: 'response.done',
      response: {
        id,
        object: 'realtime.response',
        status,
        output,
        usage: { input_tokens: 12, output_tokens: 34 },
      },
    });

  server.on('connection', (ws, request) => {
    socket = ws;
    handshakes.push(request.headers);
    send({ type: 'session.created', session });
    wake();
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as ClientEvent;
      events.push(event);
      if (event.type === 'input_audio_buffer.append' && typeof event.audio === 'string') {
        const bytes = Buffer.from(event.audio, 'base64');
        audioParts.push(bytes);
        audioBytes += bytes.length;
      } else if (event.type === 'session.update') {
        session = { ...session, ...(event.session as Record<string, unknown>) };
        send({ type: 'session.updated', session });
      } else if (event.type === 'response.cancel' && activeResponseId !== undefined) {
        responseDone(activeResponseId, 'cancelled');
        activeResponseId = undefined;
      } else if (event.type === 'conversation.item.truncate') {
        send({
          type: 'conversation.item.truncated',
          item_id: event.item_id,
          content_index: event.content_index,
          audio_end_ms: event.audio_end_ms,
        });
      }
      wake();
    });
  });

  return {
    url: `ws://127.0.0.1:${port}/v1/realtime`,
    events,
    handshakes,
    inputAudio: () => new Uint8Array(Buffer.concat(audioParts)),
    async waitForEvent(match) {
      await until(() => events.some(match));
      return events.find(match) as ClientEvent;
    },
    waitForInputAudio: (byteLength) => until(() => audioBytes >= byteLength),
    connected: () => until(() => socket !== undefined),
    speak(audio, { responseId, itemId, chunkBytes, done = true }) {
      activeResponseId = responseId;
      send({
        type: 'response.created',
        response: { id: responseId, object: 'realtime.response', status: 'in_progress' },
      });
      const item = { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] };
      send({ type: 'response.output_item.added', response_id: responseId, output_index: 0, item });
      for (let offset = 0; offset < audio.length; offset += chunkBytes) {
        send({
          type: 'response.output_audio.delta',
          response_id: responseId,
          item_id: itemId,
          output_index: 0,
          content_index: 0,
          delta: Buffer.from(audio.subarray(offset, offset + chunkBytes)).toString('base64'),
        });
      }
      if (!done) return;
      const position = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
      send({ type: 'response.output_audio.done', ...position });
      responseDone(responseId, 'completed', [{ ...item, status: 'completed' }]);
      activeResponseId = undefined;
    },
    speechStarted() {
      send({ type: 'input_audio_buffer.speech_started', item_id: 'item_caller', audio_start_ms: 0 });
    },
    callFunction(name, args, { responseId, callId }) {
      activeResponseId = responseId;
      send({
        type: 'response.created',
        response: { id: responseId, object: 'realtime.response', status: 'in_progress' },
      });
      const item = {
        id: `item_${callId}`,
        type: 'function_call',
        status: 'completed',
        name,
        call_id: callId,
        arguments: JSON.stringify(args),
      };
      send({ type: 'response.output_item.done', response_id: responseId, output_index: 0, item });
      responseDone(responseId, 'completed', [item]);
      activeResponseId = undefined;
    },
    async close() {
      outbox.length = 0;
      if (draining) clearImmediate(draining);
      draining = undefined;
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

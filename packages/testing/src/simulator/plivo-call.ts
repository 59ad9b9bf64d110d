import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  createStreamResampler,
  l16LeToPcm,
  mulawDecode,
  mulawEncode,
  type StreamResampler,
} from '@callwire/codec';
import { WebSocket } from 'ws';
import { concatPcm } from '../audio/pcm.js';

/** Plivo's media stream rate (Hz) and frame length: 20 ms of 8 kHz mu-law. */
const WIRE_RATE = 8000;
const FRAME_MS = 20;
const FRAME_SAMPLES = (WIRE_RATE * FRAME_MS) / 1000;

/** A DTMF key the simulated caller presses. */
export interface SimulatedDtmf {
  readonly digit: string;
  /** Position on the call's media timeline (ms from the first media frame); sent before the frame at that time. */
  readonly atMs?: number;
  /** Sent when the server next sends a message with this `event` (e.g. `'playAudio'`, `'checkpoint'`). */
  readonly afterEvent?: string;
  /** Extra wait (ms) after `afterEvent`. */
  readonly delayMs?: number;
}

/** Something that happened during a simulated call, with a line fit for a demo's log. */
export interface SimulatorEvent {
  readonly kind: 'open' | 'sent' | 'received' | 'close' | 'error';
  /** ms since the socket opened (`performance.now()` based). */
  readonly atMs: number;
  /** The Plivo event name of the message, when there is one. */
  readonly event?: string;
  /** The raw message (sent or received); absent for media frames sent, to keep logs small. */
  readonly data?: string;
  /** A readable one-line description: `→ media #12 (20 ms)`, `← playAudio 160 samples`. */
  readonly text: string;
}

/** Options of `simulatePlivoCall`. */
export interface SimulatePlivoCallOptions {
  /** The server's WebSocket URL (`ws://127.0.0.1:port/path`). */
  readonly url: string;
  /** Handshake headers (e.g. `X-Plivo-Signature-V3`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default: a random UUID. */
  readonly callId?: string;
  /** Default: a random UUID. */
  readonly streamId?: string;
  /** Default `MAXXXXXXXXXXXXXXXXXX`. */
  readonly accountId?: string;
  /** `extra_headers` of the start and media messages. */
  readonly extraHeaders?: string;
  /** What the caller says: 16-bit PCM at 8 kHz, sent as 20 ms mu-law `media` frames (the last one padded). */
  readonly audio?: Int16Array;
  /** Pace media frames in real time, 20 ms apart, drift-corrected (default `true`); `false` sends them at once. */
  readonly realTime?: boolean;
  readonly dtmf?: readonly SimulatedDtmf[];
  /**
   * When the caller hangs up (closes with 1000) if the server has not closed first, in ms after the socket
   * opened. Default: `tailMs` after the last media frame and timed DTMF.
   */
  readonly durationMs?: number;
  /** Wait (ms) after the last media frame before hanging up, when `durationMs` is not given. Default 1000. */
  readonly tailMs?: number;
  /**
   * How playback is modelled for `checkpoint` acknowledgements: `'real-time'` acks when the audio queued
   * before the checkpoint would have finished playing; `'instant'` acks at once. Default: `'real-time'` when
   * `realTime`, else `'instant'`. A `clearAudio` drops queued audio and the checkpoints waiting on it
   * (Plivo acknowledges a checkpoint only when the audio before it played).
   */
  readonly playback?: 'real-time' | 'instant';
  /** Called for every event, in order. */
  readonly onEvent?: (event: SimulatorEvent) => void;
  /** Aborting hangs the call up (close 1000) at once. */
  readonly signal?: AbortSignal;
}

/** A checkpoint the server asked for. */
export interface SimulatedCheckpoint {
  readonly name: string;
  /** ms since open when the `checkpoint` arrived. */
  readonly receivedAtMs: number;
  /** ms since open when `playedStream` was sent; absent when it was dropped by a clear or the call ended. */
  ackedAtMs?: number;
}

/** One `playAudio` the server sent. */
export interface PlayAudioRecord {
  /** ms since open. */
  readonly atMs: number;
  readonly contentType: string;
  /** Hz, as the message declared. */
  readonly sampleRate: number;
  /** Samples decoded (at `sampleRate`). */
  readonly samples: number;
}

/** What a simulated call saw. */
export interface SimulatedCallSummary {
  readonly callId: string;
  readonly streamId: string;
  /** Messages sent, by kind. */
  readonly sent: { media: number; dtmf: number; acks: number; total: number };
  /** Messages received, by Plivo event name (`'invalid'` for messages that are not JSON objects). */
  readonly received: Record<string, number>;
  /** Every message the server sent, raw, in order. */
  readonly messages: readonly (string | Buffer)[];
  /** Audio the server played, decoded to 16-bit PCM at 8 kHz. */
  readonly receivedAudio: Int16Array;
  readonly checkpoints: readonly SimulatedCheckpoint[];
  /** `clearAudio` messages received (each acknowledged with `clearedAudio`). */
  readonly cleared: number;
  /** Digits of `sendDTMF` messages received. */
  readonly outputDtmf: readonly string[];
  /** Transport-level problems: malformed messages, undecodable audio. */
  readonly errors: readonly string[];
  /** Close code and reason, and who closed first. */
  readonly closeCode: number;
  readonly closeReason: string;
  readonly closedBy: 'server' | 'simulator';
  /** Per-frame timings for load tests: when each media frame was sent and each playAudio arrived (ms since open). */
  readonly timings: {
    readonly startSentAtMs: number;
    readonly mediaSentAtMs: readonly number[];
    readonly playAudio: readonly PlayAudioRecord[];
  };
  /** ms from open to close. */
  readonly durationMs: number;
}

/** A running simulated call. */
export interface SimulatedPlivoCall {
  readonly callId: string;
  readonly streamId: string;
  /** Resolves when the socket closes (by either side); rejects only when it never opened. */
  readonly done: Promise<SimulatedCallSummary>;
  /** Presses a key now. */
  sendDtmf(digit: string): void;
  /** Sends a raw message (to test a server with odd input). */
  sendRaw(data: string | Uint8Array): void;
  /** Hangs up now (close 1000). */
  hangUp(): void;
  /**
   * The call's events as an async iterator that ends when the socket closes. Only events after the
   * first call are buffered, so call it right after `startSimulatedPlivoCall`.
   */
  events(): AsyncIterableIterator<SimulatorEvent>;
}

function messageEvent(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const event = (json as { event?: unknown }).event;
  return typeof event === 'string' ? event : undefined;
}

function framesOf(audio: Int16Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < audio.length; offset += FRAME_SAMPLES) {
    const frame = new Int16Array(FRAME_SAMPLES);
    frame.set(audio.subarray(offset, offset + FRAME_SAMPLES));
    frames.push(mulawEncode(frame));
  }
  return frames;
}

/**
 * Starts a call that behaves like Plivo's media stream against a real server: sends `start`, then
 * 20 ms mu-law `media` frames of `audio` (real time or at once), DTMF keys at given times or after
 * given server events, acknowledges `checkpoint` with `playedStream` and `clearAudio` with
 * `clearedAudio`, and decodes every `playAudio` (mu-law or L16) into PCM at 8 kHz.
 */
export function startSimulatedPlivoCall(options: SimulatePlivoCallOptions): SimulatedPlivoCall {
  const callId = options.callId ?? randomUUID();
  const streamId = options.streamId ?? randomUUID();
  const realTime = options.realTime ?? true;
  const playback = options.playback ?? (realTime ? 'real-time' : 'instant');
  const frames = framesOf(options.audio ?? new Int16Array(0));
  const timers = new Set<NodeJS.Timeout>();
  const origin = performance.now();
  const now = () => performance.now() - origin;
  const epochAtStart = Date.now();

  let sequenceNumber = 0;
  const sent = { media: 0, dtmf: 0, acks: 0, total: 0 };
  const received: Record<string, number> = {};
  const messages: (string | Buffer)[] = [];
  const audioParts: Int16Array[] = [];
  const checkpoints: SimulatedCheckpoint[] = [];
  const pendingAcks = new Map<SimulatedCheckpoint, NodeJS.Timeout>();
  const outputDtmf: string[] = [];
  const errors: string[] = [];
  const mediaSentAtMs: number[] = [];
  const playAudio: PlayAudioRecord[] = [];
  let startSentAtMs = Number.NaN;
  let cleared = 0;
  let playbackEndsAtMs = 0;
  let closedBySimulator = false;
  let closed = false;
  let l16Resampler: StreamResampler | undefined;
  const waitingForEvent = (options.dtmf ?? []).filter((press) => press.afterEvent !== undefined);
  const timedDtmf = (options.dtmf ?? [])
    .filter((press) => press.afterEvent === undefined)
    .map((press) => ({ digit: press.digit, atMs: press.atMs ?? 0 }))
    .sort((a, b) => a.atMs - b.atMs);

  // Async-iterator subscribers: buffered events and a waiting reader, ended by the close event.
  const subscribers: Array<{ queue: SimulatorEvent[]; wake?: () => void; ended: boolean }> = [];
  const emit = (event: SimulatorEvent) => {
    for (const subscriber of subscribers) {
      subscriber.queue.push(event);
      if (event.kind === 'close') subscriber.ended = true;
      subscriber.wake?.();
    }
    try {
      options.onEvent?.(event);
    } catch {
      // A throwing observer must not break the call.
    }
  };
  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        action();
      },
      Math.max(0, ms),
    );
    timers.add(timer);
    return timer;
  };

  const socket = new WebSocket(options.url, { headers: { ...options.headers } });
  const open = () => socket.readyState === WebSocket.OPEN;
  const send = (payload: Record<string, unknown>, describe: string, logData = true) => {
    if (!open()) return false;
    const data = JSON.stringify(payload);
    socket.send(data);
    sent.total += 1;
    emit({
      kind: 'sent',
      atMs: now(),
      event: String(payload.event),
      ...(logData ? { data } : {}),
      text: `→ ${describe}`,
    });
    return true;
  };

  const sendDtmf = (digit: string) => {
    sequenceNumber += 1;
    const timestamp = String(Date.now());
    if (
      send(
        { event: 'dtmf', sequenceNumber, streamId, dtmf: { track: 'inbound', digit, timestamp } },
        `dtmf ${JSON.stringify(digit)}`,
      )
    ) {
      sent.dtmf += 1;
    }
  };

  const hangUp = () => {
    if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return;
    closedBySimulator = true;
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close(1000, 'caller hung up');
  };

  const sendStart = () => {
    sequenceNumber += 1;
    startSentAtMs = now();
    send(
      {
        event: 'start',
        sequenceNumber,
        start: {
          callId,
          streamId,
          accountId: options.accountId ?? 'MAXXXXXXXXXXXXXXXXXX',
          tracks: ['inbound'],
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: WIRE_RATE },
        },
        ...(options.extraHeaders !== undefined ? { extra_headers: options.extraHeaders } : {}),
      },
      `start call ${callId} stream ${streamId}`,
    );
  };

  const sendMedia = (index: number) => {
    const frame = frames[index];
    if (!frame) return;
    sequenceNumber += 1;
    const ok = send(
      {
        event: 'media',
        sequenceNumber,
        streamId,
        media: {
          track: 'inbound',
          timestamp: String(epochAtStart + index * FRAME_MS),
          chunk: index + 1,
          payload: Buffer.from(frame).toString('base64'),
        },
        ...(options.extraHeaders !== undefined ? { extra_headers: options.extraHeaders } : {}),
      },
      `media #${index + 1} (${FRAME_MS} ms)`,
      false,
    );
    if (ok) {
      sent.media += 1;
      mediaSentAtMs.push(now());
    }
  };

  // Media and timed DTMF on one timeline; in real time each step waits for its slot (drift-corrected
  // against the start, so late timers do not accumulate).
  const runTimeline = async () => {
    const mediaStartMs = now();
    let dtmfIndex = 0;
    const pressDueKeys = (timelineMs: number) => {
      while (dtmfIndex < timedDtmf.length && (timedDtmf[dtmfIndex]?.atMs ?? 0) <= timelineMs) {
        sendDtmf(timedDtmf[dtmfIndex]?.digit ?? '');
        dtmfIndex += 1;
      }
    };
    const waitUntil = (timelineMs: number) =>
      new Promise<void>((resolve) => later(mediaStartMs + timelineMs - now(), resolve));
    for (let index = 0; index < frames.length && open(); index += 1) {
      const timelineMs = index * FRAME_MS;
      if (realTime && index > 0) await waitUntil(timelineMs);
      pressDueKeys(timelineMs);
      sendMedia(index);
    }
    while (dtmfIndex < timedDtmf.length && open()) {
      const next = timedDtmf[dtmfIndex]?.atMs ?? 0;
      if (realTime) await waitUntil(next);
      pressDueKeys(next);
    }
    if (options.durationMs === undefined && open()) later(options.tailMs ?? 1000, hangUp);
  };

  const decodePlayAudio = (json: Record<string, unknown>) => {
    const media = json.media as
      | { contentType?: unknown; sampleRate?: unknown; payload?: unknown }
      | undefined;
    if (!media || typeof media.payload !== 'string') {
      errors.push('playAudio without media.payload');
      return;
    }
    const bytes = new Uint8Array(Buffer.from(media.payload, 'base64'));
    const contentType = String(media.contentType ?? 'audio/x-mulaw');
    const sampleRate = Number(media.sampleRate ?? WIRE_RATE);
    let pcm: Int16Array;
    if (contentType === 'audio/x-mulaw') {
      pcm = mulawDecode(bytes);
    } else if (contentType === 'audio/x-l16' && bytes.length % 2 === 0) {
      pcm = l16LeToPcm(bytes);
    } else {
      errors.push(`playAudio with ${contentType} and ${bytes.length} bytes cannot be decoded`);
      return;
    }
    playAudio.push({ atMs: now(), contentType, sampleRate, samples: pcm.length });
    if (sampleRate !== WIRE_RATE) {
      if (!l16Resampler || l16Resampler.inRate !== sampleRate) {
        l16Resampler = createStreamResampler(sampleRate, WIRE_RATE);
      }
      audioParts.push(l16Resampler.process(pcm));
    } else {
      audioParts.push(pcm);
    }
    const durationMs = (pcm.length * 1000) / (sampleRate || WIRE_RATE);
    playbackEndsAtMs = Math.max(playbackEndsAtMs, now()) + durationMs;
    return pcm.length;
  };

  const ackCheckpoint = (checkpoint: SimulatedCheckpoint) => {
    pendingAcks.delete(checkpoint);
    sequenceNumber += 1;
    if (
      send(
        { event: 'playedStream', sequenceNumber, streamId, name: checkpoint.name },
        `playedStream ${JSON.stringify(checkpoint.name)}`,
      )
    ) {
      checkpoint.ackedAtMs = now();
      sent.acks += 1;
    }
  };

  const onServerMessage = (raw: Buffer, isBinary: boolean) => {
    const data = isBinary ? raw : raw.toString('utf8');
    messages.push(data);
    let json: Record<string, unknown> | undefined;
    if (typeof data === 'string') {
      try {
        const parsed: unknown = JSON.parse(data);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          json = parsed as Record<string, unknown>;
        }
      } catch {
        // counted as invalid below
      }
    }
    const event = messageEvent(json) ?? 'invalid';
    received[event] = (received[event] ?? 0) + 1;
    let text = `← ${event}`;
    switch (event) {
      case 'playAudio': {
        const samples = decodePlayAudio(json ?? {});
        if (samples !== undefined) text += ` ${samples} samples`;
        break;
      }
      case 'checkpoint': {
        const name = typeof json?.name === 'string' ? json.name : '';
        const checkpoint: SimulatedCheckpoint = { name, receivedAtMs: now() };
        checkpoints.push(checkpoint);
        text += ` ${JSON.stringify(name)}`;
        if (playback === 'instant') queueMicrotask(() => ackCheckpoint(checkpoint));
        else
          pendingAcks.set(
            checkpoint,
            later(playbackEndsAtMs - now(), () => ackCheckpoint(checkpoint)),
          );
        break;
      }
      case 'clearAudio': {
        cleared += 1;
        playbackEndsAtMs = now();
        for (const timer of pendingAcks.values()) clearTimeout(timer);
        pendingAcks.clear();
        l16Resampler?.reset();
        queueMicrotask(() => {
          sequenceNumber += 1;
          if (send({ sequenceNumber, event: 'clearedAudio', streamId }, 'clearedAudio')) sent.acks += 1;
        });
        break;
      }
      case 'sendDTMF': {
        const digits = typeof json?.dtmf === 'string' ? json.dtmf : '';
        outputDtmf.push(digits);
        text += ` ${JSON.stringify(digits)}`;
        break;
      }
      case 'invalid':
        errors.push(
          `not a JSON object: ${typeof data === 'string' ? data.slice(0, 80) : `<${data.length} bytes>`}`,
        );
        break;
    }
    emit({
      kind: 'received',
      atMs: now(),
      ...(event !== 'invalid' ? { event } : {}),
      data: typeof data === 'string' ? data : `<${data.length} bytes>`,
      text,
    });
    for (const press of waitingForEvent.filter((candidate) => candidate.afterEvent === event)) {
      waitingForEvent.splice(waitingForEvent.indexOf(press), 1);
      if (press.delayMs) later(press.delayMs, () => sendDtmf(press.digit));
      else sendDtmf(press.digit);
    }
  };

  const done = new Promise<SimulatedCallSummary>((resolve, reject) => {
    let opened = false;
    socket.on('open', () => {
      opened = true;
      emit({ kind: 'open', atMs: now(), text: `connected to ${options.url}` });
      if (options.durationMs !== undefined) later(options.durationMs, hangUp);
      sendStart();
      void runTimeline();
    });
    socket.on('message', onServerMessage);
    socket.on('error', (error) => {
      emit({ kind: 'error', atMs: now(), text: `socket error: ${error.message}` });
      if (!opened) reject(error);
    });
    socket.on('close', (code, reason) => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      options.signal?.removeEventListener('abort', hangUp);
      const tail = l16Resampler?.flush();
      if (tail && tail.length > 0) audioParts.push(tail);
      const closedBy = closedBySimulator ? 'simulator' : 'server';
      emit({
        kind: 'close',
        atMs: now(),
        text: `closed by ${closedBy}: ${code} ${reason.toString()}`.trim(),
      });
      if (!opened) {
        reject(new Error(`the socket closed before it opened (${code})`));
        return;
      }
      resolve({
        callId,
        streamId,
        sent,
        received,
        messages,
        receivedAudio: concatPcm(audioParts),
        checkpoints,
        cleared,
        outputDtmf,
        errors,
        closeCode: code,
        closeReason: reason.toString('utf8'),
        closedBy,
        timings: { startSentAtMs, mediaSentAtMs, playAudio },
        durationMs: now(),
      });
    });
  });
  if (options.signal?.aborted) hangUp();
  else options.signal?.addEventListener('abort', hangUp, { once: true });

  return {
    callId,
    streamId,
    done,
    sendDtmf,
    sendRaw: (data) => {
      if (open()) socket.send(data);
    },
    hangUp,
    events: () => {
      const subscriber: { queue: SimulatorEvent[]; wake?: () => void; ended: boolean } = {
        queue: [],
        ended: closed,
      };
      subscribers.push(subscriber);
      const iterator: AsyncIterableIterator<SimulatorEvent> = {
        [Symbol.asyncIterator]: () => iterator,
        next: async () => {
          while (subscriber.queue.length === 0 && !subscriber.ended) {
            await new Promise<void>((resolve) => {
              subscriber.wake = resolve;
            });
            subscriber.wake = undefined;
          }
          const value = subscriber.queue.shift();
          return value === undefined ? { done: true, value: undefined } : { done: false, value };
        },
        return: async () => {
          subscriber.ended = true;
          subscriber.queue.length = 0;
          subscribers.splice(subscribers.indexOf(subscriber), 1);
          return { done: true, value: undefined };
        },
      };
      return iterator;
    },
  };
}

/** Runs a simulated Plivo call (see `startSimulatedPlivoCall`) and resolves with what it saw. */
export function simulatePlivoCall(options: SimulatePlivoCallOptions): Promise<SimulatedCallSummary> {
  return startSimulatedPlivoCall(options).done;
}

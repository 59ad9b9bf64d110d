import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CallInfo, CallMetadata, WireMessage } from '@callwire/core';
import { WebSocket } from 'ws';
import { concatPcm } from '../audio/pcm.js';
import type { CarrierHarness } from '../harness.js';

/** Media frames are 20 ms long, as every carrier streams them. */
const FRAME_MS = 20;

/** What the simulated carrier sent: its opening, media, DTMF, acknowledgements, its stop, raw input. */
export type SentKind = 'start' | 'media' | 'dtmf' | 'checkpoint-reached' | 'cleared' | 'stop' | 'raw';
/**
 * What the server sent, as the harness reads it: audio to play, a checkpoint, a clear, output DTMF,
 * anything else the carrier accepts (`other`), or a message the carrier would refuse (`invalid`).
 */
export type ReceivedKind = 'audio' | 'checkpoint' | 'clear' | 'output-dtmf' | 'other' | 'invalid';

/** A DTMF key the simulated caller presses. */
export interface SimulatedDtmf {
  readonly digit: string;
  /** Position on the call's media timeline (ms from the first media frame); sent before the frame at that time. */
  readonly atMs?: number;
  /** Sent when the server next sends a message of this kind (e.g. `'audio'`, `'checkpoint'`). */
  readonly afterReceived?: ReceivedKind;
  /** Extra wait (ms) after `afterReceived`. */
  readonly delayMs?: number;
}

/** Something that happened during a simulated call, with a line fit for a demo's log. */
export interface SimulatorEvent {
  readonly kind: 'open' | 'sent' | 'received' | 'close' | 'error';
  /** ms since the simulator started (`performance.now()` based). */
  readonly atMs: number;
  /** What was sent or received. */
  readonly event?: SentKind | ReceivedKind;
  /** The message (binary ones as `<N bytes>`); absent for media frames sent, to keep logs small. */
  readonly data?: string;
  /** A readable one-line description: `→ media #12 (20 ms)`, `← audio 160 samples`. */
  readonly text: string;
}

/** Options of `simulateCall`. */
export interface SimulateCallOptions {
  /** The server's WebSocket URL (`ws://127.0.0.1:port/path`). */
  readonly url: string;
  /** The carrier to behave as: its wire builders send, its readers classify what the server sends. */
  readonly harness: CarrierHarness<unknown, unknown>;
  /** Builders that replace the harness's (a custom opening with extra fields, odd media). */
  readonly wire?: Partial<CarrierHarness<unknown, unknown>['wire']>;
  /** Handshake headers (a carrier's signature, a bearer token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default: a random UUID. */
  readonly callId?: string;
  /** Default: a random UUID. */
  readonly streamId?: string;
  /** What the opening message says of the call (from, to, custom parameters), where the carrier can carry it. */
  readonly metadata?: CallMetadata;
  /** What the caller says: 16-bit PCM at the harness's `wireSampleRate`, sent as 20 ms frames (the last one padded). */
  readonly audio?: Int16Array;
  /** Pace media frames in real time, 20 ms apart, drift-corrected (default `true`); `false` sends them at once. */
  readonly realTime?: boolean;
  readonly dtmf?: readonly SimulatedDtmf[];
  /**
   * When the carrier acknowledges a checkpoint: `'when-played'` once the audio queued before it would
   * have finished playing, `'at-once'`, or `'never'`. A clear drops queued audio and the checkpoints
   * waiting on it (carriers acknowledge a checkpoint only when the audio before it played).
   * Default `'when-played'` when `realTime`, else `'at-once'`.
   */
  readonly checkpoints?: 'when-played' | 'at-once' | 'never';
  /**
   * When the caller hangs up (the harness's `stop`, then close 1000) if the server has not closed
   * first, in ms after the start. Default: `tailMs` after the last media frame and timed DTMF.
   */
  readonly durationMs?: number;
  /** Wait (ms) after the last media frame before hanging up, when `durationMs` is not given. Default 1000. */
  readonly tailMs?: number;
  /** Called for every event, in order. */
  readonly onEvent?: (event: SimulatorEvent) => void;
  /** Aborting hangs the call up at once. */
  readonly signal?: AbortSignal;
}

/** A checkpoint the server asked for. */
export interface SimulatedCheckpoint {
  readonly name: string;
  /** ms since the start when it arrived. */
  readonly receivedAtMs: number;
  /** ms since the start when it was acknowledged; absent when a clear dropped it or the call ended first. */
  ackedAtMs?: number;
}

/** The simulated carrier's playback clock (see `SimulatedCallSummary.playback`). */
export interface SimulatedPlayback {
  /** ms of the server's audio the caller heard by the time the socket closed. */
  readonly heardMs: number;
  /** Each clear, in order: when it arrived (ms since the start) and how many ms had been heard by then. */
  readonly clears: readonly { readonly atMs: number; readonly heardMs: number }[];
}

/** What a simulated call saw. */
export interface SimulatedCallSummary {
  readonly callId: string;
  readonly streamId: string;
  /** Messages sent, by kind (`acks`: checkpoint and clear acknowledgements). */
  readonly sent: { start: number; media: number; dtmf: number; acks: number; total: number };
  /** Messages received, by kind. */
  readonly received: Readonly<Partial<Record<ReceivedKind, number>>>;
  /** Every message the server sent, in order. */
  readonly messages: readonly WireMessage[];
  /** Audio the server played, decoded by the harness: 16-bit PCM at `sampleRate`. */
  readonly receivedAudio: Int16Array;
  /** The harness's wire rate (Hz): the rate of `receivedAudio`. */
  readonly sampleRate: number;
  readonly checkpoints: readonly SimulatedCheckpoint[];
  /** Clears received (each acknowledged when the harness has a `cleared` message). */
  readonly cleared: number;
  /**
   * What the caller heard, on the simulated carrier's playback clock: it plays the server's audio back
   * to back in real time from when each message arrives, and a clear drops what has not played yet.
   */
  readonly playback: SimulatedPlayback;
  /** Digits of output DTMF messages received. */
  readonly outputDtmf: readonly string[];
  /** Messages the carrier would refuse (the harness's `read.problem`), and socket errors. */
  readonly errors: readonly string[];
  readonly closeCode: number;
  readonly closeReason: string;
  readonly closedBy: 'server' | 'simulator';
  /** When the start and each media frame went out and each audio message arrived (ms since the start), for load tests. */
  readonly timings: {
    readonly startSentAtMs: number;
    readonly mediaSentAtMs: readonly number[];
    readonly audio: readonly { readonly atMs: number; readonly samples: number }[];
  };
  /** ms from the start to the close. */
  readonly durationMs: number;
}

/** A running simulated call. */
export interface SimulatedCall {
  readonly callId: string;
  readonly streamId: string;
  /** Resolves when the socket closes (by either side); rejects only when it never opened. */
  readonly done: Promise<SimulatedCallSummary>;
  /** Presses a key now. */
  sendDtmf(digit: string): void;
  /** Sends a raw message (to test a server with odd input). */
  sendRaw(data: WireMessage): void;
  /** Hangs up now: the harness's `stop` message when it has one, then close 1000. */
  hangUp(): void;
  /**
   * The call's events as an async iterator that ends when the socket closes. Only events after the
   * first call are buffered, so call it right after `startSimulatedCall`.
   */
  events(): AsyncIterableIterator<SimulatorEvent>;
}

function frameSamples(sampleRate: number): number {
  return Math.round((sampleRate * FRAME_MS) / 1000);
}

function framesOf(audio: Int16Array, samples: number): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let offset = 0; offset < audio.length; offset += samples) {
    const frame = new Int16Array(samples);
    frame.set(audio.subarray(offset, offset + samples));
    frames.push(frame);
  }
  return frames;
}

function describeData(data: WireMessage): string {
  return typeof data === 'string' ? data : `<${data.length} bytes>`;
}

/**
 * Starts a call that behaves like `harness`'s carrier against a real server, over a real `ws` socket:
 * sends its opening, then 20 ms media frames of `audio` (real time or at once), DTMF keys at given times
 * or after given server messages; acknowledges checkpoints (when the audio before them would have
 * played) and clears as the carrier does; and decodes every audio message the server sends.
 */
export function startSimulatedCall(options: SimulateCallOptions): SimulatedCall {
  const { harness } = options;
  const wire = { ...harness.wire, ...options.wire };
  const read = harness.read;
  const callId = options.callId ?? randomUUID();
  const streamId = options.streamId ?? randomUUID();
  const wireRate = harness.wireSampleRate;
  const called = harness.call({ callId, streamId, sampleRate: wireRate, autoHangUp: false });
  const info: CallInfo = options.metadata ? { ...called, metadata: options.metadata } : called;
  const realTime = options.realTime ?? true;
  const ackMode = options.checkpoints ?? (realTime ? 'when-played' : 'at-once');
  const frames = framesOf(options.audio ?? new Int16Array(0), frameSamples(wireRate));
  const timers = new Set<NodeJS.Timeout>();
  const origin = performance.now();
  const now = () => performance.now() - origin;

  const sent = { start: 0, media: 0, dtmf: 0, acks: 0, total: 0 };
  const received: Partial<Record<ReceivedKind, number>> = {};
  const messages: WireMessage[] = [];
  const audioParts: Int16Array[] = [];
  const checkpoints: SimulatedCheckpoint[] = [];
  const pendingAcks = new Map<SimulatedCheckpoint, NodeJS.Timeout>();
  const outputDtmf: string[] = [];
  const errors: string[] = [];
  const mediaSentAtMs: number[] = [];
  const audioTimings: { atMs: number; samples: number }[] = [];
  let startSentAtMs = Number.NaN;
  let cleared = 0;
  let playbackEndsAtMs = 0;
  /** ms of audio received and not dropped by a clear: heard once `playbackEndsAtMs` has passed. */
  let playableMs = 0;
  const clears: { atMs: number; heardMs: number }[] = [];
  let closedBySimulator = false;
  let closed = false;
  const waitingForMessage = (options.dtmf ?? []).filter((press) => press.afterReceived !== undefined);
  const timedDtmf = (options.dtmf ?? [])
    .filter((press) => press.afterReceived === undefined)
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
  const send = (data: WireMessage, event: SentKind, describe: string, logData = true) => {
    if (!open()) return false;
    socket.send(data);
    sent.total += 1;
    emit({
      kind: 'sent',
      atMs: now(),
      event,
      ...(logData ? { data: describeData(data) } : {}),
      text: `→ ${describe}`,
    });
    return true;
  };

  const sendDtmf = (digit: string) => {
    if (!wire.dtmf) {
      errors.push(`the ${harness.plugin.name} harness cannot send DTMF`);
      return;
    }
    if (send(wire.dtmf(info, digit), 'dtmf', `dtmf ${JSON.stringify(digit)}`)) sent.dtmf += 1;
  };

  const hangUp = () => {
    if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return;
    closedBySimulator = true;
    if (socket.readyState === WebSocket.CONNECTING) {
      socket.terminate();
      return;
    }
    if (wire.stop) send(wire.stop(info), 'stop', 'stop');
    socket.close(1000, 'caller hung up');
  };

  const sendStart = () => {
    startSentAtMs = now();
    for (const message of wire.start?.(info) ?? []) {
      if (send(message, 'start', `start call ${callId} stream ${streamId}`)) sent.start += 1;
    }
  };

  const sendMedia = (index: number) => {
    const frame = frames[index];
    if (!frame) return;
    if (send(wire.media(info, frame), 'media', `media #${index + 1} (${FRAME_MS} ms)`, false)) {
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

  const ackCheckpoint = (checkpoint: SimulatedCheckpoint) => {
    pendingAcks.delete(checkpoint);
    if (!wire.checkpointReached) return;
    const ack = wire.checkpointReached(info, checkpoint.name);
    if (send(ack, 'checkpoint-reached', `checkpoint reached ${JSON.stringify(checkpoint.name)}`)) {
      checkpoint.ackedAtMs = now();
      sent.acks += 1;
    }
  };

  /** What the server's message is, as the carrier would read it, with a line for the log. */
  const classify = (data: WireMessage): { kind: ReceivedKind; text: string } => {
    const problem = read.problem?.(data);
    if (problem !== undefined) {
      errors.push(`${problem}: ${describeData(data).slice(0, 80)}`);
      return { kind: 'invalid', text: `← invalid (${problem})` };
    }
    const pcm = read.audio(data);
    if (pcm !== undefined) {
      audioParts.push(pcm);
      audioTimings.push({ atMs: now(), samples: pcm.length });
      playbackEndsAtMs = Math.max(playbackEndsAtMs, now()) + (pcm.length * 1000) / wireRate;
      playableMs += (pcm.length * 1000) / wireRate;
      return { kind: 'audio', text: `← audio ${pcm.length} samples` };
    }
    if (read.isClear(data)) {
      cleared += 1;
      const atMs = now();
      playableMs -= Math.max(0, playbackEndsAtMs - atMs);
      clears.push({ atMs, heardMs: playableMs });
      playbackEndsAtMs = atMs;
      for (const timer of pendingAcks.values()) clearTimeout(timer);
      pendingAcks.clear();
      const ack = wire.cleared;
      if (ack) {
        queueMicrotask(() => {
          if (send(ack(info), 'cleared', 'cleared')) sent.acks += 1;
        });
      }
      return { kind: 'clear', text: '← clear' };
    }
    const name = read.checkpointName?.(data);
    if (name !== undefined) {
      const checkpoint: SimulatedCheckpoint = { name, receivedAtMs: now() };
      checkpoints.push(checkpoint);
      if (ackMode === 'at-once') queueMicrotask(() => ackCheckpoint(checkpoint));
      else if (ackMode === 'when-played') {
        pendingAcks.set(
          checkpoint,
          later(playbackEndsAtMs - now(), () => ackCheckpoint(checkpoint)),
        );
      }
      return { kind: 'checkpoint', text: `← checkpoint ${JSON.stringify(name)}` };
    }
    const digits = read.outputDtmf?.(data);
    if (digits !== undefined) {
      outputDtmf.push(digits);
      return { kind: 'output-dtmf', text: `← output DTMF ${JSON.stringify(digits)}` };
    }
    return { kind: 'other', text: `← ${describeData(data).slice(0, 80)}` };
  };

  const onServerMessage = (raw: Buffer, isBinary: boolean) => {
    const data: WireMessage = isBinary
      ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
      : raw.toString('utf8');
    messages.push(data);
    let kind: ReceivedKind;
    let text: string;
    try {
      ({ kind, text } = classify(data));
    } catch (error) {
      // A harness reader that throws is the harness's bug, not the server's: record it, keep the call.
      errors.push(`reading a message threw: ${error instanceof Error ? error.message : String(error)}`);
      ({ kind, text } = { kind: 'invalid', text: '← unreadable' });
    }
    received[kind] = (received[kind] ?? 0) + 1;
    emit({ kind: 'received', atMs: now(), event: kind, data: describeData(data), text });
    for (const press of waitingForMessage.filter((candidate) => candidate.afterReceived === kind)) {
      waitingForMessage.splice(waitingForMessage.indexOf(press), 1);
      if (press.delayMs) later(press.delayMs, () => sendDtmf(press.digit));
      else sendDtmf(press.digit);
    }
  };

  const done = new Promise<SimulatedCallSummary>((resolve, reject) => {
    let opened = false;
    socket.on('open', () => {
      opened = true;
      emit({ kind: 'open', atMs: now(), text: `connected to ${options.url} as ${harness.plugin.name}` });
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
        sampleRate: wireRate,
        checkpoints,
        cleared,
        playback: { heardMs: playableMs - Math.max(0, playbackEndsAtMs - now()), clears },
        outputDtmf,
        errors,
        closeCode: code,
        closeReason: reason.toString('utf8'),
        closedBy,
        timings: { startSentAtMs, mediaSentAtMs, audio: audioTimings },
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
      if (open()) send(data, 'raw', `raw ${describeData(data).slice(0, 80)}`);
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

/** Runs a simulated call (see `startSimulatedCall`) and resolves with what it saw. */
export function simulateCall(options: SimulateCallOptions): Promise<SimulatedCallSummary> {
  return startSimulatedCall(options).done;
}

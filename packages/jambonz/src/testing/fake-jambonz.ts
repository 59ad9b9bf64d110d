import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import {
  decodeL16Le,
  encodeL16Le,
  jambonzCommandOf,
  jambonzDtmfEvent,
  jambonzMarkEvent,
  jambonzOpening,
  jambonzOutboundProblem,
} from './harness.js';

/** The WebSocket subprotocol jambonz asks for on a listen stream (docs.jambonz.org/docs/webhooks/listen). */
export const JAMBONZ_SUBPROTOCOL = 'audio.jambonz.org';

/** jambonz sends (and plays out) audio in 20 ms packets. */
const PACKET_MS = 20;

/** Options of `startFakeJambonz`: what a listen verb would say, and what the caller does. */
export interface FakeJambonzOptions {
  /** The application's WebSocket URL: the listen verb's `url`. */
  readonly url: string;
  /** The listen verb's `sampleRate` (Hz): the rate of the caller audio. @default 8000 */
  readonly sampleRate?: number;
  /** `bidirectionalAudio.sampleRate` (Hz): the rate the application's audio is read at. @default sampleRate */
  readonly bidirectionalSampleRate?: number;
  /** @default 'mono' */
  readonly mixType?: 'mono' | 'mixed' | 'stereo';
  /** The listen verb's `passDtmf`: without it, keypresses are not sent. @default true */
  readonly passDtmf?: boolean;
  /** The listen verb's `wsAuth`: HTTP basic auth on the upgrade request. */
  readonly wsAuth?: { readonly username: string; readonly password: string };
  /** @default a random UUID */
  readonly callSid?: string;
  readonly from?: string;
  readonly to?: string;
  readonly direction?: string;
  /** The `tag` verb's data (`customerData` in the opening). */
  readonly customerData?: Readonly<Record<string, unknown>>;
  /** The listen verb's `metadata`, merged into the opening. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * What the caller says: 16-bit PCM at `sampleRate` (for `stereo`, interleaved with what they hear),
   * sent as binary 20 ms packets (the last one padded).
   */
  readonly audio?: Int16Array;
  /** Keys the caller presses, at ms on the media timeline. */
  readonly dtmf?: readonly { readonly digit: string; readonly atMs: number }[];
  /** Pace media and playout in real time (default `true`); `false` sends media at once and plays out at once. */
  readonly realTime?: boolean;
}

/** What a fake jambonz saw of a listen stream. */
export interface FakeJambonzSummary {
  readonly callSid: string;
  /** The subprotocol the server agreed to. */
  readonly protocol: string;
  readonly mediaPacketsSent: number;
  readonly dtmfSent: number;
  /** Audio the caller heard: 16-bit PCM at `bidirectionalSampleRate`, in the order it played. */
  readonly played: Int16Array;
  /** Mark names, in the order their `playout` (or `cleared`) event went out. */
  readonly marksPlayed: readonly string[];
  readonly marksCleared: readonly string[];
  readonly killAudio: number;
  readonly clearMarks: number;
  /** True when the application sent `disconnect` (jambonz then closes the socket). */
  readonly disconnected: boolean;
  /** Other JSON text the application sent. */
  readonly otherText: readonly string[];
  /** Messages jambonz would refuse or mangle (`jambonzOutboundProblem`). */
  readonly problems: readonly string[];
  readonly closedBy: 'jambonz' | 'application';
  readonly closeCode: number;
}

/** A running fake listen stream. */
export interface FakeJambonzCall {
  readonly callSid: string;
  /** Resolves when the socket has closed; rejects when it never opened (the upgrade was refused). */
  readonly done: Promise<FakeJambonzSummary>;
  /** Resolves once a `playout` mark event named `name` went out. */
  markPlayed(name: string): Promise<void>;
  /** Presses a key now (sent only with `passDtmf`). */
  pressKey(digit: string): void;
  /** The caller hangs up: jambonz stops the listen verb and closes the socket. */
  hangUp(): void;
}

type Queued =
  | { readonly kind: 'audio'; samples: Int16Array }
  | { readonly kind: 'mark'; readonly name: string };

/**
 * A fake jambonz running a listen verb with `bidirectionalAudio: {enabled: true, streaming: true}`
 * against `options.url`, over a real `ws` socket with the `audio.jambonz.org` subprotocol: it sends
 * the opening text frame, the caller's audio as binary 20 ms packets at real pace, and DTMF; it plays
 * the application's binary audio out 20 ms at a time, and handles marks as `mod_audio_fork` does
 * (jambonz/freeswitch-modules `lws_glue.cpp`): a mark waits in an inventory until the next audio
 * arrives and then sits in the playout buffer before it, firing `playout` when playback reaches it,
 * or at once when nothing is left to play; `killAudio` empties the buffer and answers `cleared` for
 * every pending mark; `clearMarks` drops them silently; `disconnect` closes the socket.
 */
export function startFakeJambonz(options: FakeJambonzOptions): FakeJambonzCall {
  const callSid = options.callSid ?? randomUUID();
  const sampleRate = options.sampleRate ?? 8000;
  const playRate = options.bidirectionalSampleRate ?? sampleRate;
  const realTime = options.realTime ?? true;
  const passDtmf = options.passDtmf ?? true;
  const channels = options.mixType === 'stereo' ? 2 : 1;
  const packetSamples = Math.round((sampleRate * PACKET_MS) / 1000) * channels;
  const playSamplesPerPacket = Math.round((playRate * PACKET_MS) / 1000);

  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        action();
      },
      Math.max(0, ms),
    );
    timers.add(timer);
  };

  const headers: Record<string, string> = {};
  if (options.wsAuth) {
    const { username, password } = options.wsAuth;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const socket = new WebSocket(options.url, JAMBONZ_SUBPROTOCOL, { headers });
  const open = () => socket.readyState === WebSocket.OPEN;

  let mediaPacketsSent = 0;
  let dtmfSent = 0;
  let killAudio = 0;
  let clearMarks = 0;
  let disconnected = false;
  let closedByJambonz = false;
  const played: Int16Array[] = [];
  const marksPlayed: string[] = [];
  const marksCleared: string[] = [];
  const otherText: string[] = [];
  const problems: string[] = [];
  const playoutWaiters = new Map<string, Array<() => void>>();
  /** The playout buffer: audio and the marks placed in it. */
  const buffer: Queued[] = [];
  /** Marks that arrived after the last audio: they enter the buffer ahead of the next audio. */
  let inventory: string[] = [];

  const send = (data: string | Uint8Array) => {
    if (open()) socket.send(data);
  };
  const markEvent = (name: string, event: 'playout' | 'cleared') => {
    send(jambonzMarkEvent(name, event));
    if (event === 'cleared') {
      marksCleared.push(name);
      return;
    }
    marksPlayed.push(name);
    for (const wake of playoutWaiters.get(name) ?? []) wake();
    playoutWaiters.delete(name);
  };

  /** Plays up to `samples` samples of the buffer, firing the marks reached on the way. */
  const playOut = (samples: number) => {
    let left = samples;
    if (buffer.length === 0 && inventory.length > 0) {
      // Nothing to play: one inventory mark fires per packet (`dub_speech_frame`).
      markEvent(inventory.shift() as string, 'playout');
      return;
    }
    while (buffer.length > 0 && left > 0) {
      const head = buffer[0] as Queued;
      if (head.kind === 'mark') {
        buffer.shift();
        markEvent(head.name, 'playout');
        continue;
      }
      const taken = head.samples.subarray(0, left);
      played.push(taken.slice());
      left -= taken.length;
      head.samples = head.samples.subarray(taken.length);
      if (head.samples.length === 0) buffer.shift();
    }
  };
  const playAll = () => {
    while (buffer.length > 0 || inventory.length > 0) playOut(Number.MAX_SAFE_INTEGER);
  };

  const onAudio = (bytes: Uint8Array) => {
    for (const name of inventory) buffer.push({ kind: 'mark', name });
    inventory = [];
    buffer.push({ kind: 'audio', samples: decodeL16Le(bytes) });
    if (!realTime) playAll();
  };

  const onText = (text: string) => {
    const command = jambonzCommandOf(text);
    switch (command?.type) {
      case 'killAudio': {
        killAudio += 1;
        const pending = [
          ...buffer.flatMap((item) => (item.kind === 'mark' ? [item.name] : [])),
          ...inventory,
        ];
        buffer.length = 0;
        inventory = [];
        for (const name of pending) markEvent(name, 'cleared');
        return;
      }
      case 'mark':
        inventory.push(command.data.name);
        if (!realTime) playAll();
        return;
      case 'clearMarks': {
        clearMarks += 1;
        const audio = buffer.filter((item) => item.kind === 'audio');
        buffer.length = 0;
        buffer.push(...audio);
        inventory = [];
        return;
      }
      case 'disconnect':
        // The listen task is killed: forkAudioStop closes the socket, the app's next verb runs.
        disconnected = true;
        closedByJambonz = true;
        socket.close(1000);
        return;
      default:
        otherText.push(text);
    }
  };

  const origin = Date.now();
  const runMedia = () => {
    const audio = options.audio ?? new Int16Array(0);
    const presses = [...(options.dtmf ?? [])].sort((a, b) => a.atMs - b.atMs);
    let pressed = 0;
    const step = (index: number) => {
      if (!open()) return;
      const atMs = index * PACKET_MS;
      while (pressed < presses.length && (presses[pressed]?.atMs ?? 0) <= atMs) {
        pressKey(presses[pressed]?.digit ?? '');
        pressed += 1;
      }
      const offset = index * packetSamples;
      if (offset < audio.length) {
        const packet = new Int16Array(packetSamples);
        packet.set(audio.subarray(offset, offset + packetSamples));
        send(encodeL16Le(packet));
        mediaPacketsSent += 1;
      } else if (pressed >= presses.length) {
        return;
      }
      if (realTime) later(origin + (index + 1) * PACKET_MS - Date.now(), () => step(index + 1));
      else step(index + 1);
    };
    step(0);
  };

  const pressKey = (digit: string) => {
    if (!passDtmf || !open()) return;
    send(jambonzDtmfEvent(digit));
    dtmfSent += 1;
  };

  const done = new Promise<FakeJambonzSummary>((resolve, reject) => {
    let opened = false;
    socket.binaryType = 'nodebuffer';
    socket.on('open', () => {
      opened = true;
      send(
        jambonzOpening({
          callSid,
          sampleRate,
          ...(options.mixType !== undefined ? { mixType: options.mixType } : {}),
          ...(options.from !== undefined ? { from: options.from } : {}),
          ...(options.to !== undefined ? { to: options.to } : {}),
          ...(options.direction !== undefined ? { direction: options.direction } : {}),
          ...(options.customerData !== undefined ? { customerData: options.customerData } : {}),
          ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
        }),
      );
      if (realTime) {
        const playoutStart = Date.now();
        let playedPackets = 0;
        const tick = () => {
          if (!open()) return;
          const due = Math.floor((Date.now() - playoutStart) / PACKET_MS);
          for (; playedPackets < due; playedPackets++) playOut(playSamplesPerPacket);
          later(PACKET_MS, tick);
        };
        later(PACKET_MS, tick);
      }
      runMedia();
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const message = isBinary
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : data.toString('utf8');
      const problem = jambonzOutboundProblem(message);
      if (problem !== undefined) problems.push(problem);
      if (typeof message === 'string') onText(message);
      else onAudio(message);
    });
    socket.on('error', (error) => {
      if (!opened) reject(error);
      else problems.push(`socket error: ${error.message}`);
    });
    socket.on('close', (code) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (!opened) return;
      const length = played.reduce((sum, part) => sum + part.length, 0);
      const all = new Int16Array(length);
      let at = 0;
      for (const part of played) {
        all.set(part, at);
        at += part.length;
      }
      resolve({
        callSid,
        protocol: socket.protocol,
        mediaPacketsSent,
        dtmfSent,
        played: all,
        marksPlayed,
        marksCleared,
        killAudio,
        clearMarks,
        disconnected,
        otherText,
        problems,
        closedBy: closedByJambonz ? 'jambonz' : 'application',
        closeCode: code,
      });
    });
  });

  return {
    callSid,
    done,
    markPlayed: (name) =>
      marksPlayed.includes(name)
        ? Promise.resolve()
        : new Promise((resolve) => playoutWaiters.set(name, [...(playoutWaiters.get(name) ?? []), resolve])),
    pressKey,
    hangUp: () => {
      if (socket.readyState === WebSocket.CONNECTING) return socket.terminate();
      closedByJambonz = true;
      socket.close(1000);
    },
  };
}

import {
  CallwireError,
  checkpointFrame,
  type Frame,
  interruptionFrame,
  type Logger,
  type OutputAudioFrame,
  outputAudioFrame,
} from '@callwire/core';

/**
 * Checkpoint names the playback layer sends start with this. The runtime keeps their
 * acknowledgements out of `call.frames`; a handler's own checkpoints must not use it.
 * The rest of the name is a counter, so every carrier's mark can carry it (`[a-z0-9.]`).
 */
export const PLAYBACK_MARK_PREFIX = 'callwire.play.';

/**
 * At most this much audio (ms) goes out between two marks, so a carrier that acknowledges marks pins
 * what was heard to within one interval even when audio is sent much faster than real time.
 */
export const PLAYBACK_MARK_INTERVAL_MS = 100;

/**
 * How long (ms) past its estimated end an item waits for the carrier's acknowledgement before it is
 * resolved from the wall-clock estimate (`exact: false`): covers network and jitter-buffer delay.
 */
const ACK_GRACE_MS = 1000;

/**
 * On a carrier whose marks flush audio its serializer held back, the end mark of a `play` waits while
 * the carrier has more than this (ms) queued, in case more audio of the same item follows (a streamed
 * response): every such mark pads the carrier's frame grid with silence. Covers what a framer may hold
 * back (Exotel: up to 200 ms) plus network delay, so the carrier never runs dry waiting for it.
 */
const DEFERRED_END_MARK_MARGIN_MS = 300;

/** Positions closer than this (ms) are the same position (sums of float durations). */
const EPSILON_MS = 1e-6;

/** Options of `call.play`. */
export interface PlayOptions {
  /**
   * Names the item in `interrupt()`'s report. Audio played in several calls with the same id (a
   * streamed response) is reported as one item. Default: a fresh `play-N`.
   */
  readonly id?: string;
}

/** What the caller heard of one `call.play`. */
export interface PlayedResult {
  /** ms of the audio the caller heard: all of it once played; the part before the cut after an interruption. */
  readonly heardMs: number;
  /**
   * True when the carrier's acknowledgements back the figure (a mark at least every 100 ms of audio,
   * or at the end of each item on a carrier that holds audio back until a mark; between marks, wall
   * time since the last acknowledgement). False when it is estimated from
   * wall-clock pacing alone: the carrier cannot mark, has not acknowledged one yet on this call, or
   * stopped acknowledging.
   */
  readonly exact: boolean;
}

/** A queued `call.play`. */
export interface PlaybackHandle {
  /** `options.id`, or a fresh `play-N`. */
  readonly id: string;
  /** Resolves once the carrier played the audio (or an interruption or the call's end cut it). Never rejects. */
  readonly played: Promise<PlayedResult>;
}

/** How much of one item was heard before an interruption. */
export interface HeardItem {
  /** The `id` given to `call.play` (or the one it made up). */
  readonly id: string;
  /** ms of the item heard, over every `call.play` with this id (including parts played before). */
  readonly heardMs: number;
}

/** What `call.interrupt()` resolves to. */
export interface InterruptResult {
  /** Each item that was still queued (fully or partly unheard), in play order. */
  readonly items: readonly HeardItem[];
  /** As `PlayedResult.exact`; false too when the carrier has no clear message (nothing could be cut). */
  readonly exact: boolean;
}

/** One call's playback: what went out, what the carrier acknowledged, what was heard. */
export interface Playback {
  play(audio: Int16Array | OutputAudioFrame, options?: PlayOptions): PlaybackHandle;
  /** Clears the carrier's buffer and reports what of each queued item was heard. */
  interrupt(): Promise<InterruptResult>;
  /** Total ms heard so far on this call (audio sent with `call.send` too). */
  readonly playedMs: number;
  /** Audio the handler sent with `call.send`: it occupies the carrier's buffer like played audio. Call when sent. */
  sentOutside(frame: OutputAudioFrame): void;
  /** The carrier acknowledged the mark `name` (one that starts with `PLAYBACK_MARK_PREFIX`). */
  acknowledged(name: string): void;
  /** The call ended: settles every item with what was heard by now. */
  close(): void;
}

/** What the playback layer needs from the call's runtime. */
export interface PlaybackIo {
  /** Pipeline rate (Hz) of `Int16Array` audio. */
  readonly sampleRate: number;
  /** Serializes `frame` and puts its messages on the wire now; returns how many there were. */
  emit(frame: Frame): number;
  /** Runs `job` after every outbound frame queued before it (the runtime's send order). */
  enqueue(job: () => void): Promise<void>;
  /** True once the call is ending: nothing more goes out. */
  ended(): boolean;
  /** ms, monotonic. @default performance.now */
  now?: () => number;
  logger: Logger;
}

interface Entry {
  readonly id: string;
  /** Position (ms on the call's playback timeline) of its first and after its last sample. */
  readonly startMs: number;
  readonly endMs: number;
  readonly resolve: (result: PlayedResult) => void;
}

interface Mark {
  readonly name: string;
  readonly positionMs: number;
}

function durationMs(frame: OutputAudioFrame): number {
  return (frame.audio.length / frame.numChannels / frame.sampleRate) * 1000;
}

/**
 * The playback layer of one call. Audio goes out at once (as fast as it is given), cut into slices
 * of at most `PLAYBACK_MARK_INTERVAL_MS`, each followed by a mark (only the last one, on a carrier
 * whose serializer holds audio back until a mark). What was heard is the position of
 * the last acknowledged mark plus the wall time since, capped at the next mark's position; before
 * the carrier acknowledges anything (or when it cannot mark), wall time since the audio started
 * playing, assuming the carrier plays what it gets back to back in real time.
 */
export function createPlayback(io: PlaybackIo): Playback {
  const now = io.now ?? (() => performance.now());
  let sentMs = 0;
  let anchor = { positionMs: 0, atMs: now() };
  let ackedMs = 0;
  let marks: Mark[] = [];
  let markCount = 0;
  let playCount = 0;
  /** Learned from the first mark: undefined until then. */
  let canMark: boolean | undefined;
  /**
   * Learned from the first mark: true when it brought audio the carrier's serializer held back (a
   * carrier that frames its stream, like Exotel's 320-byte grid). Each mark there cuts the stream
   * (resampler flushed, last chunk padded), so it is marked only at the end of each item.
   */
  let holdsBack: boolean | undefined;
  /** True once the carrier acknowledged a mark on this call. */
  let acknowledging = false;
  let entries: Entry[] = [];
  /** Heard ms of settled parts of items that may still get more audio (the last id played). */
  const settledById = new Map<string, number>();
  let lastId: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  /** What was heard when the call ended. */
  let finalMs = 0;
  let warnedNoClear = false;
  /**
   * True once a mark brought audio the carrier's serializer held back (any framer, even at an item's
   * end): each such mark cuts the stream there (padded chunk, flushed resampler).
   */
  let marksFlush = false;
  /** The end mark of the last item played, while it waits for more audio of that item. */
  let deferredEndMark: { readonly id: string; readonly timer: NodeJS.Timeout | undefined } | undefined;
  /** `play` calls per id whose audio has not gone out yet. */
  const queuedPlays = new Map<string, number>();

  /** Where playback would be at `atMs` if the carrier plays what it got back to back in real time. */
  function estimate(atMs: number): number {
    return Math.min(sentMs, anchor.positionMs + Math.max(0, atMs - anchor.atMs));
  }

  function heard(atMs: number): number {
    const estimated = estimate(atMs);
    if (!acknowledging) return estimated;
    const cap = marks[0]?.positionMs ?? sentMs;
    return Math.max(ackedMs, Math.min(estimated, cap));
  }

  function exactNow(): boolean {
    return canMark === true && acknowledging;
  }

  function settle(entry: Entry, heardMs: number, exact: boolean): void {
    // More audio of this item may follow: keep what was heard of it for `interrupt()`'s report.
    if (entry.id === lastId || entries.some((other) => other.id === entry.id)) {
      settledById.set(entry.id, (settledById.get(entry.id) ?? 0) + heardMs);
    }
    entry.resolve({ heardMs: Math.round(heardMs), exact });
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const first = entries[0];
    if (!first || closed) return;
    const graceMs = canMark === false ? 0 : ACK_GRACE_MS;
    const dueAtMs = anchor.atMs + (first.endMs - anchor.positionMs) + graceMs;
    timer = setTimeout(onTimer, Math.max(0, dueAtMs - now()));
    timer.unref?.();
  }

  /** Items the wall-clock estimate says have played, and whose acknowledgement is overdue (or impossible). */
  function onTimer(): void {
    timer = undefined;
    const graceMs = canMark === false ? 0 : ACK_GRACE_MS;
    const position = estimate(now() - graceMs);
    const done = entries.filter((entry) => entry.endMs <= position + EPSILON_MS);
    if (done.length > 0) {
      if (canMark !== false) {
        io.logger.debug({ overdueMs: graceMs }, 'playback: no acknowledgement from the carrier; estimating');
      }
      entries = entries.filter((entry) => !done.includes(entry));
      for (const entry of done) settle(entry, entry.endMs - entry.startMs, false);
    }
    schedule();
  }

  function noteSent(ms: number): void {
    const atMs = now();
    // The carrier was idle: this audio starts playing now, not when the last audio ended.
    if (estimate(atMs) >= sentMs - EPSILON_MS) anchor = { positionMs: sentMs, atMs };
    sentMs += ms;
  }

  /** Sends a mark at the end of what was sent; `midItem`: after a whole slice, the mark that tells `holdsBack`. */
  function mark(midItem: boolean): void {
    if (canMark === false) return;
    const name = `${PLAYBACK_MARK_PREFIX}${++markCount}`;
    const sent = io.emit(checkpointFrame(name));
    if (canMark === undefined) canMark = sent > 0;
    // Only a mark after a whole slice tells: an item's end may leave a framer a partial chunk anywhere.
    if (holdsBack === undefined && midItem && sent > 0) holdsBack = sent > 1;
    if (sent > 1) marksFlush = true;
    if (sent > 0) marks.push({ name, positionMs: sentMs });
  }

  /** Drops the deferred end mark; sends it first when `send` (audio of another item follows). */
  function settleDeferredEndMark(send: boolean): void {
    if (!deferredEndMark) return;
    if (deferredEndMark.timer) clearTimeout(deferredEndMark.timer);
    deferredEndMark = undefined;
    if (send) mark(false);
  }

  /**
   * Marks the end of an item's audio now, or, where marks flush held-back audio and the carrier has
   * enough queued, later: a next `play` of the same id takes the mark over (a streamed item gets one
   * cut, at its end, not one per chunk); a `play` of another id sends it first.
   */
  function endMark(id: string): void {
    if (marksFlush && (queuedPlays.get(id) ?? 0) > 0) {
      // More of this item is already queued: its last part marks the end.
      deferredEndMark = { id, timer: undefined };
      return;
    }
    const queuedMs = sentMs - heard(now());
    if (!marksFlush || queuedMs <= DEFERRED_END_MARK_MARGIN_MS) {
      mark(false);
      return;
    }
    const timer = setTimeout(() => {
      const waiting = deferredEndMark;
      void io.enqueue(() => {
        if (deferredEndMark !== waiting || closed || io.ended()) return;
        settleDeferredEndMark(true);
      });
    }, queuedMs - DEFERRED_END_MARK_MARGIN_MS);
    timer.unref?.();
    deferredEndMark = { id, timer };
  }

  function play(audio: Int16Array | OutputAudioFrame, options: PlayOptions = {}): PlaybackHandle {
    const frame = audio instanceof Int16Array ? outputAudioFrame(audio, io.sampleRate) : audio;
    if (frame?.type !== 'output-audio') {
      throw new CallwireError('INVALID_FRAME', 'call.play takes an Int16Array or an output-audio frame');
    }
    playCount += 1;
    const id = options.id ?? `play-${playCount}`;
    let resolve: (result: PlayedResult) => void = () => {};
    const played = new Promise<PlayedResult>((done) => {
      resolve = done;
    });
    queuedPlays.set(id, (queuedPlays.get(id) ?? 0) + 1);
    void io.enqueue(() => {
      const queued = (queuedPlays.get(id) ?? 1) - 1;
      if (queued > 0) queuedPlays.set(id, queued);
      else queuedPlays.delete(id);
      if (closed || io.ended()) {
        resolve({ heardMs: 0, exact: false });
        return;
      }
      if (id !== lastId) {
        for (const key of settledById.keys()) {
          if (!entries.some((entry) => entry.id === key)) settledById.delete(key);
        }
        lastId = id;
      }
      const totalMs = durationMs(frame);
      if (totalMs > 0) settleDeferredEndMark(deferredEndMark?.id !== id);
      if (totalMs === 0) {
        resolve({ heardMs: 0, exact: exactNow() });
        return;
      }
      const startMs = sentMs;
      const sliceFrames = Math.max(1, Math.round((frame.sampleRate * PLAYBACK_MARK_INTERVAL_MS) / 1000));
      const channels = frame.numChannels;
      const frames = frame.audio.length / channels;
      for (let first = 0; first < frames; first += sliceFrames) {
        const last = Math.min(frames, first + sliceFrames);
        const slice = outputAudioFrame(
          frame.audio.subarray(first * channels, last * channels),
          frame.sampleRate,
          channels,
        );
        io.emit(slice);
        noteSent(durationMs(slice));
        if (last === frames) endMark(id);
        else if (holdsBack !== true) mark(true);
      }
      entries.push({ id, startMs, endMs: sentMs, resolve });
      schedule();
    });
    return { id, played };
  }

  function cut(): InterruptResult {
    const endMarkWaiting = deferredEndMark !== undefined;
    settleDeferredEndMark(false);
    const atMs = now();
    const position = heard(atMs);
    const exact = exactNow();
    const cleared = io.emit(interruptionFrame()) > 0;
    const items: HeardItem[] = [];
    const report = (id: string, heardMs: number) => {
      const item = items.find((candidate) => candidate.id === id);
      if (item) items[items.indexOf(item)] = { id, heardMs: item.heardMs + heardMs };
      else items.push({ id, heardMs: (settledById.get(id) ?? 0) + heardMs });
    };
    if (!cleared) {
      // Nothing can be cut: everything sent will be heard (what a framer holds too).
      if (endMarkWaiting) mark(false);
      if (!warnedNoClear) {
        warnedNoClear = true;
        io.logger.warn(
          'playback: the carrier has no clear message; interrupt() cannot cut audio already sent',
        );
      }
      for (const entry of entries) {
        report(entry.id, entry.endMs - entry.startMs);
        settle(entry, entry.endMs - entry.startMs, false);
      }
      entries = [];
      schedule();
      return { items: items.map(rounded), exact: false };
    }
    for (const entry of entries) {
      const heardMs = Math.min(entry.endMs, Math.max(entry.startMs, position)) - entry.startMs;
      report(entry.id, heardMs);
      entry.resolve({ heardMs: Math.round(heardMs), exact });
    }
    entries = [];
    settledById.clear();
    // The carrier dropped what it had not played; acknowledgements of the marks it held are stale.
    marks = [];
    sentMs = position;
    ackedMs = position;
    anchor = { positionMs: position, atMs };
    schedule();
    return { items: items.map(rounded), exact };
  }

  function interrupt(): Promise<InterruptResult> {
    let result: InterruptResult = { items: [], exact: false };
    return io
      .enqueue(() => {
        if (!closed && !io.ended()) result = cut();
      })
      .then(() => result);
  }

  function acknowledged(name: string): void {
    const index = marks.findIndex((candidate) => candidate.name === name);
    const reached = marks[index];
    if (!reached) return;
    // Acknowledgements come in order: one for a later mark means the earlier ones played too.
    marks = marks.slice(index + 1);
    acknowledging = true;
    ackedMs = reached.positionMs;
    anchor = { positionMs: reached.positionMs, atMs: now() };
    const done = entries.filter((entry) => entry.endMs <= ackedMs + EPSILON_MS);
    if (done.length > 0) {
      entries = entries.filter((entry) => !done.includes(entry));
      for (const entry of done) settle(entry, entry.endMs - entry.startMs, true);
    }
    schedule();
  }

  function close(): void {
    if (closed) return;
    const position = heard(now());
    const exact = exactNow();
    closed = true;
    settleDeferredEndMark(false);
    finalMs = position;
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const entry of entries) {
      const heardMs = Math.min(entry.endMs, Math.max(entry.startMs, position)) - entry.startMs;
      entry.resolve({ heardMs: Math.round(heardMs), exact });
    }
    entries = [];
    marks = [];
    settledById.clear();
  }

  return {
    play,
    interrupt,
    get playedMs() {
      return Math.round(closed ? finalMs : heard(now()));
    },
    sentOutside(frame) {
      if (!closed) noteSent(durationMs(frame));
    },
    acknowledged,
    close,
  };
}

function rounded(item: HeardItem): HeardItem {
  return { id: item.id, heardMs: Math.round(item.heardMs) };
}

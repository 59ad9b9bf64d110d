import {
  type CallAudioFormat,
  type CallControl,
  type CallMetadata,
  callMetadata,
  createWarnOnce,
  DTMF_SEQUENCE,
  endFrame,
  type Frame,
  type Logger,
  type OutputAudioFrame,
  outputDtmfFrame,
  type SendDtmfResult,
  type TransferResult,
  type TransferTarget,
  transferCall,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import type { CallEndReason } from './call-end-reason.js';
import { createFrameQueue } from './frame-queue.js';
import { describeError, withFields } from './log.js';
import type { MediaSocket } from './media-socket.js';
import type { CallMeter } from './metrics.js';
import {
  createPlayback,
  type InterruptResult,
  PLAYBACK_MARK_PREFIX,
  type PlaybackHandle,
  type PlayOptions,
} from './playback.js';

/** How a call ended, as `Call.closed` reports it. */
export interface CallClosed {
  readonly reason: CallEndReason;
  /** Inbound frames dropped because the handler fell behind. */
  readonly droppedInboundFrames: number;
  /** Outbound audio messages dropped because the socket's send buffer was full. */
  readonly droppedOutboundMessages: number;
}

/** One live call, as a handler sees it. */
export interface Call {
  /** The carrier's name, e.g. `'acme'`. */
  readonly carrier: string;
  /** The carrier's call id (needed to hang up), when it sent one. */
  readonly callId: string | undefined;
  /** The carrier's media stream id. */
  readonly streamId: string;
  /**
   * What the carrier said of the call when its stream started: `from`, `to`, `direction` where it
   * says them, `customParameters`, and its opening message as `raw`.
   */
  readonly info: CallMetadata;
  /**
   * How the call's audio is coded on the carrier's wire and the pipeline rate of `frames`' audio, where
   * the carrier's serializer says (every kit carrier does).
   */
  readonly audioFormat: CallAudioFormat | undefined;
  /**
   * Inbound frames at the pipeline rate; the last one is always `end`. One reader at a time.
   * Acknowledgements of the playback layer's own marks (`call.play`) are not among them.
   */
  readonly frames: AsyncIterable<Frame>;
  /**
   * Serializes `frame` and sends it (binary stays binary). Never rejects: failures are logged.
   * Sending `end` or `cancel` is `hangUp()`. Outbound audio is dropped (logged once) while the
   * socket's send buffer holds more than `maxBufferedBytes`.
   */
  send(frame: Frame): Promise<void>;
  /** Ends the call: sends `end`'s messages, hangs up through the carrier (once), and closes the socket. */
  hangUp(): Promise<void>;
  /**
   * Queues audio for the caller (an `Int16Array` at the pipeline rate, or an `output-audio` frame) and
   * marks it on the carrier at least every 100 ms; `played` resolves when the carrier acknowledges the
   * end of it, or with the part heard when an interruption or the call's end cuts it.
   */
  play(audio: Int16Array | OutputAudioFrame, options?: PlayOptions): PlaybackHandle;
  /** Clears the carrier's buffer (barge-in) and resolves to how many ms of each queued item were heard. */
  interrupt(): Promise<InterruptResult>;
  /** Total ms of audio the caller has heard so far (played with `play` or sent with `send`). */
  readonly playedMs: number;
  /**
   * Plays keypad tones (`digits`: 1-64 of 0-9 * # A-D) to the other party: through the carrier's REST
   * API where it has one (Telnyx `send_dtmf`, Vonage `PUT …/dtmf`), else on the media stream (Plivo's
   * `sendDTMF` message, or in-band tones queued behind the audio already sent). Never rejects.
   */
  sendDtmf(digits: string): Promise<SendDtmfResult>;
  /**
   * Hands the caller over to `target` through the carrier's REST API. On `transferred` the call ends
   * (reason `'transferred'`) without a hang-up; `unsupported` and `failed` leave it running. A second
   * call while one is in flight, or after a transfer, gets the first one's result. Never rejects.
   */
  transfer(target: TransferTarget): Promise<TransferResult>;
  /** Resolves once the call has ended (hang-up done, socket closing). Never rejects. */
  readonly closed: Promise<CallClosed>;
  /** A logger whose lines carry this call's carrier, call id and stream id. */
  readonly logger: Logger;
}

/** Runs once per call; when it returns or throws, the call ends. */
export type CallHandler = (call: Call) => void | Promise<void>;

/** The server's side of a call. */
export interface CallRuntime {
  readonly call: Call;
  /**
   * Hands an inbound wire message to the serializer, sends its protocol replies, and queues its frames,
   * synchronously (a serializer's error is logged, not thrown).
   */
  receive(message: WireMessage): void;
  /** Ends the call for `reason` (once); resolves when `end` went out and the hang-up settled. */
  finish(reason: CallEndReason): Promise<void>;
  /** Resolves when the handler has returned or thrown. */
  readonly handlerSettled: Promise<void>;
  /** Starts the handler; call once, after the opening messages were received. */
  start(handler: CallHandler): void;
}

/** `readyState` values (WebSocket's numbers, which `MediaSocket` uses too). */
const CONNECTING = 0;
const OPEN = 1;

/** `ws` send options, shared by every send (ws copies them). */
const textSend = { binary: false } as const;
const binarySend = { binary: true } as const;

/** What `send` returns: every frame is on the socket (or dropped) when it returns. */
const sent: Promise<void> = Promise.resolve();

const closeCodes: Record<CallEndReason, number> = {
  'handler-returned': 1000,
  'handler-failed': 1011,
  'hung-up': 1000,
  'remote-closed': 1000,
  'server-closed': 1001,
  transferred: 1000,
};

/** Creates the runtime of one call on an open socket. */
export function createCallRuntime(options: {
  socket: MediaSocket;
  serializer: WireSerializer;
  /** Hangs the call up through the carrier's `CallControl`, once (core's `hangUpOnceFor`). */
  hangUpOnce: () => Promise<unknown>;
  carrier: string;
  callId: string | undefined;
  streamId: string;
  /** @default callMetadata() (nothing known) */
  info?: CallMetadata | undefined;
  /** Pipeline rate (Hz): the rate of `call.play`'s `Int16Array` audio. @default 16000 */
  sampleRate?: number | undefined;
  logger: Logger;
  inboundQueueFrames: number;
  maxBufferedBytes: number;
  onFinished: (closed: CallClosed) => void;
  /** Per-frame metrics, when the server has them on. */
  meter?: CallMeter | undefined;
  /** The carrier's `CallControl`, for `transfer` and REST DTMF (absent: transfer is `unsupported`). */
  control?: CallControl | undefined;
  /** The server's public answer URL, for carriers that fetch a transfer's dial document (Plivo). */
  answerUrl?: string | undefined;
}): CallRuntime {
  const { socket, serializer, meter } = options;
  const logger = withFields(options.logger, {
    carrier: options.carrier,
    callId: options.callId,
    streamId: options.streamId,
  });
  const warnOnce = createWarnOnce(logger);
  let droppedInbound = 0;
  let droppedOutbound = 0;
  const queue = createFrameQueue(options.inboundQueueFrames, (kind) => {
    droppedInbound += 1;
    meter?.inboundDropped();
    warnOnce('inbound-drop', 'handler is not keeping up: dropping inbound frames', { kind });
  });
  let finishing: Promise<void> | undefined;
  let resolveClosed: (closed: CallClosed) => void = () => {};
  const closed = new Promise<CallClosed>((resolve) => {
    resolveClosed = resolve;
  });
  let resolveHandler: () => void = () => {};
  const handlerSettled = new Promise<void>((resolve) => {
    resolveHandler = resolve;
  });

  /** One callback for every send of this call (not a closure per message). */
  const onSent = (error?: Error): void => {
    if (error) logger.debug({ error: describeError(error) }, 'send failed');
  };

  function transmit(message: WireMessage, droppable: boolean): void {
    if (socket.readyState !== OPEN) return;
    if (droppable && socket.bufferedAmount > options.maxBufferedBytes) {
      droppedOutbound += 1;
      meter?.outboundDropped();
      warnOnce('outbound-backpressure', 'socket send buffer is full: dropping outbound audio', {
        bufferedBytes: socket.bufferedAmount,
      });
      return;
    }
    try {
      socket.send(message, typeof message === 'string' ? textSend : binarySend, onSent);
    } catch (error) {
      logger.debug({ error: describeError(error) }, 'send failed');
    }
  }

  /** Every message `frame` puts on the wire. */
  function serialize(frame: Frame): WireMessage[] {
    try {
      return serializer.serialize(frame);
    } catch (error) {
      warnOnce(`serialize-${frame.type}`, 'could not serialize an outbound frame', {
        frameType: frame.type,
        error: describeError(error),
      });
      return [];
    }
  }

  /** Serializes `frame` and puts its messages on the wire now; returns how many there were. */
  function emit(frame: Frame): number {
    const startedAt = meter ? performance.now() : 0;
    const messages = serialize(frame);
    if (meter) {
      meter.serialized((performance.now() - startedAt) / 1000);
      meter.frameOut();
    }
    for (const message of messages) transmit(message, frame.type === 'output-audio');
    return messages.length;
  }

  /**
   * Runs `job` after every outbound frame sent before it. Sends are synchronous (a frame goes out at
   * once, in call order), so that is now; a job that throws is logged and later frames still go out.
   */
  function enqueue(job: () => void): Promise<void> {
    try {
      job();
    } catch (error) {
      logger.error({ error: describeError(error) }, 'outbound job failed');
    }
    return sent;
  }

  const playback = createPlayback({
    sampleRate: options.sampleRate ?? 16_000,
    emit,
    enqueue,
    ended: () => finishing !== undefined,
    logger,
  });

  function send(frame: Frame): Promise<void> {
    if (frame.type === 'end' || frame.type === 'cancel') return hangUp();
    if (finishing) {
      logger.debug({ frameType: frame.type }, 'frame sent after the call ended: ignored');
      return Promise.resolve();
    }
    // An interruption cuts what `play` queued too, so it goes through the playback layer.
    if (frame.type === 'interruption') return playback.interrupt().then(() => undefined);
    if (frame.type === 'checkpoint' && frame.name.startsWith(PLAYBACK_MARK_PREFIX)) {
      warnOnce('reserved-checkpoint', 'checkpoint names starting with the playback prefix are reserved', {
        prefix: PLAYBACK_MARK_PREFIX,
      });
    }
    // Serializing and handing to the socket are synchronous: a frame goes out at once, in call order,
    // with no promise per frame (a chain of them cost three allocations per outbound frame).
    emit(frame);
    if (frame.type === 'output-audio') playback.sentOutside(frame);
    return sent;
  }

  function finish(requested: CallEndReason): Promise<void> {
    if (finishing) return finishing;
    queue.end();
    playback.close();
    finishing = sent.then(async () => {
      // A carrier may close the stream before its transfer request is answered (Twilio stops the
      // stream as soon as the call has new TwiML): wait for the answer, and never hang up a call that
      // was handed over.
      const transferred = requested === 'transferred' || (await transferring)?.outcome === 'transferred';
      const reason: CallEndReason = transferred ? 'transferred' : requested;
      try {
        if (!transferred) {
          for (const message of serialize(endFrame())) transmit(message, false);
          await options.hangUpOnce();
        }
        if (socket.readyState === OPEN || socket.readyState === CONNECTING) {
          socket.close(closeCodes[reason], reason);
        }
      } catch (error) {
        logger.debug({ error: describeError(error) }, 'closing the socket failed');
      }
      const result: CallClosed = {
        reason,
        droppedInboundFrames: droppedInbound,
        droppedOutboundMessages: droppedOutbound,
      };
      logger.info({ reason, droppedInbound, droppedOutbound }, 'call ended');
      resolveClosed(result);
      options.onFinished(result);
    });
    return finishing;
  }

  function hangUp(): Promise<void> {
    return finish('hung-up');
  }

  let transferring: Promise<TransferResult> | undefined;

  function transfer(target: TransferTarget): Promise<TransferResult> {
    if (transferring) return transferring;
    if (finishing) return Promise.resolve({ outcome: 'failed', reason: 'the call has already ended' });
    const withUrl =
      target?.answerUrl === undefined && options.answerUrl !== undefined
        ? { ...target, answerUrl: options.answerUrl }
        : target;
    const attempt = transferCall(options.control, options.callId, withUrl).then((result) => {
      if (result.outcome === 'transferred') {
        logger.info({ to: target.to }, 'call transferred');
        void finish('transferred');
      } else {
        logger.warn({ outcome: result.outcome, reason: result.reason }, 'transfer did not happen');
        // Another target may be tried.
        if (transferring === attempt) transferring = undefined;
      }
      return result;
    });
    transferring = attempt;
    return attempt;
  }

  async function sendDtmf(digits: string): Promise<SendDtmfResult> {
    if (typeof digits !== 'string' || !DTMF_SEQUENCE.test(digits)) {
      return { outcome: 'failed', reason: 'DTMF digits must be 1-64 of 0-9 * # A-D' };
    }
    if (finishing) return { outcome: 'failed', reason: 'the call has already ended' };
    const { control, callId } = options;
    if (control?.sendDtmf && callId !== undefined) {
      try {
        const result = await control.sendDtmf(callId, digits);
        // `unsupported` (say, no credentials for it): the media stream can still carry the keys.
        if (result.outcome !== 'unsupported') return result;
      } catch (error) {
        return { outcome: 'failed', reason: `sendDtmf threw: ${describeError(error)}` };
      }
    }
    await send(outputDtmfFrame(digits));
    return { outcome: 'sent' };
  }

  function receive(message: WireMessage): void {
    if (finishing) return;
    let frames: Frame[];
    const startedAt = meter ? performance.now() : 0;
    try {
      // Protocol replies (a handshake's answer, a pong) go out at once, whatever the handler is doing.
      frames = serializer.deserialize(message, (reply) => transmit(reply, false));
      meter?.deserialized((performance.now() - startedAt) / 1000);
    } catch (error) {
      warnOnce('deserialize-threw', 'serializer threw on an inbound message', {
        error: describeError(error),
      });
      return;
    }
    for (const frame of frames) {
      if (frame.type === 'end' || frame.type === 'cancel') {
        void finish('remote-closed');
        return;
      }
      meter?.frameIn();
      // The playback layer's marks are its own: handlers see only their checkpoints.
      if (frame.type === 'checkpoint-reached' && frame.name.startsWith(PLAYBACK_MARK_PREFIX)) {
        playback.acknowledged(frame.name);
        continue;
      }
      queue.push(frame);
    }
  }

  const call: Call = {
    carrier: options.carrier,
    callId: options.callId,
    streamId: options.streamId,
    info: options.info ?? callMetadata(),
    get audioFormat() {
      return serializer.audioFormat;
    },
    frames: queue.frames,
    send,
    hangUp,
    play: playback.play,
    interrupt: playback.interrupt,
    get playedMs() {
      return playback.playedMs;
    },
    sendDtmf,
    transfer,
    closed,
    logger,
  };

  function start(handler: CallHandler): void {
    logger.info('call started');
    Promise.resolve()
      .then(() => handler(call))
      .then(
        () => finish('handler-returned'),
        (error: unknown) => {
          logger.error({ error: describeError(error) }, 'call handler failed');
          return finish('handler-failed');
        },
      )
      .finally(resolveHandler);
  }

  return { call, receive, finish, handlerSettled, start };
}

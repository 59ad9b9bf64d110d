import type { DtmfDigit } from '@callwire/core';
import type { Call } from '@callwire/server';
import {
  OpenAIRealtimeWebSocket,
  type RealtimeSessionConfig,
  type RealtimeTransportLayer,
  type RealtimeTransportLayerConnectOptions,
  type TransportLayerAudio,
} from '@openai/agents-realtime';
import { dtmfMessage } from './dtmf-message.js';
import {
  chooseModelAudio,
  createModelInput,
  createModelOutput,
  type ModelAudioChoice,
  type ModelAudioEncoding,
  type ModelInput,
  type ModelOutput,
} from './model-audio.js';
import { describeRealtimeError } from './redact.js';
import { withCallAudio } from './session-config.js';

/** Options of `createRealtimeTransport`. */
export interface RealtimeTransportOptions {
  /**
   * How audio is coded to and from the model. `'auto'`: G.711 mu-law passed through when the carrier
   * sends 8 kHz mu-law and the pipeline runs at 8 kHz (no transcoding, no resampling), else PCM16 at
   * 24 kHz through streaming resamplers. @default 'auto'
   */
  readonly audioFormat?: ModelAudioChoice;
  /** The Realtime WebSocket endpoint. @default the SDK's (`wss://api.openai.com/v1/realtime?model=…`) */
  readonly url?: string;
  /** The model. @default the SDK's */
  readonly model?: string;
  /**
   * Each DTMF key also becomes a user message naming it (and asks for a response), so the agent can
   * act on it. `false`: only the `callwire_dtmf` transport event. @default true
   */
  readonly dtmfMessages?: boolean;
  /**
   * Keys pressed less than this apart (ms) are told to the model as one message (`"1", "2", "3"`), so a
   * number typed on the keypad gets one answer, not one per key. 0: a message per key. @default 0
   */
  readonly dtmfGapMs?: number;
  /** Hang the call up when the model's connection is lost after it was connected. @default true */
  readonly hangUpOnDisconnect?: boolean;
}

/** The transport event a DTMF key becomes (`session.on('transport_event', …)`). */
export interface CallwireDtmfEvent {
  readonly type: 'callwire_dtmf';
  readonly digit: DtmfDigit;
}

/** What `createRealtimeTransport` returns: the SDK's transport interface, plus the call's audio state. */
export interface CallRealtimeTransport extends RealtimeTransportLayer {
  /** The call this transport puts on the model. */
  readonly call: Call;
  /** How audio goes to and from the model on this call. */
  readonly modelAudio: ModelAudioEncoding;
  /** Resolves once every piece of the model's audio queued so far has been heard (or cut). */
  playedOut(): Promise<void>;
  /** Asks the model to respond now (`response.create`), e.g. to greet the caller first. */
  requestResponse(response?: Parameters<NonNullable<RealtimeTransportLayer['requestResponse']>>[0]): void;
}

/**
 * Play ids name the model's item and content part, so `call.interrupt()`'s report says what to
 * truncate: `<contentIndex>:<itemId>` (the item id may hold any character; the index never has a colon).
 */
function playId(itemId: string, contentIndex: number): string {
  return `${contentIndex}:${itemId}`;
}

function parsePlayId(id: string): { itemId: string; contentIndex: number } | undefined {
  const colon = id.indexOf(':');
  const contentIndex = Number(id.slice(0, colon));
  if (colon < 1 || !Number.isInteger(contentIndex)) return undefined;
  return { itemId: id.slice(colon + 1), contentIndex };
}

/** `data` as bytes, without a copy when it already is an exact ArrayBuffer. */
function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return bytes.buffer as ArrayBuffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

interface AudioMetadata {
  readonly responseId: string;
  readonly itemId: string;
  readonly contentIndex: number;
}

/**
 * The SDK's way to make a transport is to extend `OpenAIRealtimeWebSocket`: `RealtimeSession` calls
 * protected hooks (`_onAudio`, `_interrupt`, `_cancelResponse`, `_afterAudioDoneEvent`) that only a
 * subclass can override, and its own `TwilioRealtimeTransportLayer` does the same. The house avoids
 * classes otherwise; this one is private and `createRealtimeTransport` is the public entry.
 */
class CallwireRealtimeTransport extends OpenAIRealtimeWebSocket implements CallRealtimeTransport {
  readonly call: Call;
  readonly modelAudio: ModelAudioEncoding;
  readonly #input: ModelInput;
  readonly #output: ModelOutput;
  readonly #options: RealtimeTransportOptions;
  #nextAudioMetadata: AudioMetadata | undefined;
  #activeResponseId: string | undefined;
  /** Responses cut by an interruption: audio still arriving for them is not played. */
  readonly #discardedResponseIds = new Set<string>();
  /** `played` of every `call.play` not yet settled. */
  readonly #pendingPlays = new Set<Promise<unknown>>();
  #lastAudioResponseId: string | undefined;
  #wasConnected = false;
  #callEnded = false;
  readonly #usage = { responses: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  #dtmfDigits: DtmfDigit[] = [];
  #dtmfTimer: NodeJS.Timeout | undefined;

  constructor(call: Call, options: RealtimeTransportOptions) {
    super({
      ...(options.url !== undefined ? { url: options.url } : {}),
      ...(options.model !== undefined ? { model: options.model } : {}),
    });
    this.call = call;
    this.#options = options;
    this.modelAudio = chooseModelAudio(options.audioFormat ?? 'auto', call.audioFormat);
    this.#input = createModelInput(this.modelAudio);
    this.#output = createModelOutput(this.modelAudio);
    this.#observe();
    void this.#readFrames();
    void call.closed.then(() => this.#onCallEnded());
  }

  #observe(): void {
    const { logger } = this.call;
    this.on('connection_change', (status) => {
      logger.info({ status, modelAudio: this.modelAudio }, `openai: connection ${status}`);
      if (status === 'connected') this.#wasConnected = true;
      if (status !== 'disconnected' || !this.#wasConnected || this.#callEnded) return;
      if (this.#options.hangUpOnDisconnect ?? true) {
        logger.warn('openai: the model connection closed during the call; hanging up');
        void this.call.hangUp();
      }
    });
    this.on('error', (event) => {
      logger.error({ error: describeRealtimeError(event.error) }, 'openai: error');
    });
    this.on('usage_update', (usage) => {
      this.#usage.responses += 1;
      this.#usage.inputTokens += usage.inputTokens;
      this.#usage.outputTokens += usage.outputTokens;
      this.#usage.totalTokens += usage.totalTokens;
      logger.debug(
        { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens },
        'openai: response usage',
      );
    });
    // Emitted (by the base class) before `_onAudio` for the same message: says which content part it is.
    this.on('response.output_audio.delta', (event) => {
      this.#nextAudioMetadata = {
        responseId: event.response_id,
        itemId: event.item_id,
        contentIndex: event.content_index,
      };
    });
    this.on('response.output_audio.done', () => this.#output.reset());
    this.on('response.created', (event) => {
      if (typeof event.response.id === 'string') this.#activeResponseId = event.response.id;
    });
    this.on('response.done', (event) => {
      const id = event.response.id;
      if (typeof id !== 'string') return;
      this.#discardedResponseIds.delete(id);
      if (this.#activeResponseId === id) this.#activeResponseId = undefined;
    });
  }

  /** The transport is the call's one reader of `call.frames`: caller audio to the model, keys to the agent. */
  async #readFrames(): Promise<void> {
    for await (const frame of this.call.frames) {
      if (frame.type === 'input-audio') {
        if (this.status !== 'connected') continue;
        const bytes = this.#input.convert(frame);
        if (bytes.length > 0) this.sendAudio(arrayBufferOf(bytes));
      } else if (frame.type === 'input-dtmf') {
        this.#onDtmf(frame.digit);
      }
    }
  }

  #onDtmf(digit: DtmfDigit): void {
    // Keys can be a PIN or a card number: the log says a key was pressed, never which.
    this.call.logger.debug('openai: DTMF key to the agent');
    const event: CallwireDtmfEvent = { type: 'callwire_dtmf', digit };
    this.emit('*', event);
    if (this.#options.dtmfMessages === false) return;
    this.#dtmfDigits.push(digit);
    const gapMs = this.#options.dtmfGapMs ?? 0;
    if (this.#dtmfTimer) clearTimeout(this.#dtmfTimer);
    if (gapMs <= 0) {
      this.#flushDtmf();
      return;
    }
    this.#dtmfTimer = setTimeout(() => this.#flushDtmf(), gapMs);
    this.#dtmfTimer.unref?.();
  }

  #flushDtmf(): void {
    this.#dtmfTimer = undefined;
    const digits = this.#dtmfDigits;
    this.#dtmfDigits = [];
    if (digits.length === 0 || this.status !== 'connected') return;
    this.sendMessage(dtmfMessage(digits), {});
  }

  #onCallEnded(): void {
    this.#callEnded = true;
    if (this.#dtmfTimer) clearTimeout(this.#dtmfTimer);
    this.call.logger.info({ usage: { ...this.#usage } }, 'openai: session usage');
    if (this.status !== 'disconnected') this.close();
  }

  /**
   * Once the call has ended the model's connection is closed, and what the session still sends (a
   * tool's output after `hang_up`, a response request) has nowhere to go: dropped, not thrown.
   */
  override sendEvent(event: Parameters<OpenAIRealtimeWebSocket['sendEvent']>[0]): void {
    if (this.#callEnded && this.status === 'disconnected') {
      this.call.logger.debug({ type: event.type }, 'openai: the call has ended; event not sent');
      return;
    }
    super.sendEvent(event);
  }

  override requestResponse(response?: Parameters<OpenAIRealtimeWebSocket['requestResponse']>[0]): void {
    if (this.#callEnded && this.status === 'disconnected') return;
    super.requestResponse(response);
  }

  override async connect(options: RealtimeTransportLayerConnectOptions): Promise<void> {
    await super.connect({
      ...options,
      initialSessionConfig: withCallAudio(options.initialSessionConfig, this.modelAudio),
    });
  }

  override updateSessionConfig(config: Partial<RealtimeSessionConfig>): void {
    super.updateSessionConfig(withCallAudio(config, this.modelAudio));
  }

  /** The model's audio goes to the caller through `call.play`, one play id per item and content part. */
  protected override _onAudio(audioEvent: TransportLayerAudio): void {
    const metadata = this.#nextAudioMetadata;
    this.#nextAudioMetadata = undefined;
    if (this.#discardedResponseIds.has(audioEvent.responseId) || this.#callEnded) return;
    const itemId = metadata?.itemId ?? this.currentItemId;
    if (itemId === undefined) {
      this.call.logger.debug('openai: audio without an item id; not played');
      this.emit('audio', audioEvent);
      return;
    }
    const contentIndex = metadata?.responseId === audioEvent.responseId ? metadata.contentIndex : 0;
    const frame = this.#output.convert(new Uint8Array(audioEvent.data));
    if (frame) {
      this.#lastAudioResponseId = audioEvent.responseId;
      const { played } = this.call.play(frame, { id: playId(itemId, contentIndex) });
      this.#pendingPlays.add(played);
      void played.then(() => this.#pendingPlays.delete(played));
    }
    this.emit('audio', audioEvent);
  }

  playedOut(): Promise<void> {
    return Promise.all([...this.#pendingPlays]).then(() => undefined);
  }

  /**
   * Barge-in: clears the carrier's buffer, cancels the response, and truncates each assistant item
   * the caller had not heard to the end at what they heard, as the playback layer measured it (marks
   * acknowledged by the carrier, and wall time since the last one).
   */
  #interruptPlayback(cancelOngoingResponse: boolean): void {
    if (this.status !== 'connected') return;
    if (this.#activeResponseId === undefined && this.#pendingPlays.size === 0) return;
    for (const id of [this.#activeResponseId, this.#lastAudioResponseId]) {
      if (id !== undefined) this.#discardedResponseIds.add(id);
    }
    this.#activeResponseId = undefined;
    this.#output.reset();
    if (cancelOngoingResponse) this._cancelResponse();
    this.emit('audio_interrupted');
    super._afterAudioDoneEvent();
    void this.call.interrupt().then((result) => {
      for (const item of result.items) {
        const parsed = parsePlayId(item.id);
        if (!parsed || this.status !== 'connected') continue;
        this.call.logger.debug(
          { heardMs: item.heardMs, exact: result.exact },
          'openai: truncating the interrupted item at what the caller heard',
        );
        this.sendEvent({
          type: 'conversation.item.truncate',
          item_id: parsed.itemId,
          content_index: parsed.contentIndex,
          audio_end_ms: Math.max(0, Math.floor(item.heardMs)),
        });
      }
    });
  }

  override interrupt(cancelOngoingResponse = true): void {
    this.#interruptPlayback(cancelOngoingResponse);
  }

  override _interrupt(_elapsedTime: number, cancelOngoingResponse = true): void {
    this.#interruptPlayback(cancelOngoingResponse);
  }
}

/**
 * A `RealtimeTransportLayer` that puts `call` on OpenAI's Realtime API:
 * `new RealtimeSession(agent, { transport: createRealtimeTransport(call) })`. It reads `call.frames`
 * (caller audio to the model, DTMF keys to the agent), plays the model's audio with `call.play`, and
 * on barge-in clears the carrier and truncates the model's item at what the caller heard. The model
 * connection closes when the call ends.
 */
export function createRealtimeTransport(
  call: Call,
  options: RealtimeTransportOptions = {},
): CallRealtimeTransport {
  return new CallwireRealtimeTransport(call, options);
}

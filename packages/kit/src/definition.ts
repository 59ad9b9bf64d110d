import type {
  AnswerRequest,
  CallControl,
  CallDetection,
  Frame,
  Logger,
  StreamAuthKind,
  StreamCredentials,
  StreamFraming,
  WebhookRequest,
  WebhookResponse,
  WebhookVerdict,
  WireMessage,
} from '@callwire/core';
import type { z } from 'zod/v4';
import type { Framer } from './framer.js';
import type { WireFormat } from './wire-format.js';

/** The per-call params every carrier has (from the kit's option fragments). */
export interface KitCallParams {
  /** Pipeline rate, Hz; by default the start frame's `audioInSampleRate`. */
  readonly sampleRate?: number | undefined;
  readonly autoHangUp: boolean;
}

/** What a carrier's `session` factory knows of the call it is made for. */
export interface SessionCall<Params, Resolved> {
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: Params;
  readonly options: Resolved;
  /** Warns once per `kind` (then at debug level), prefixed with the carrier: `[acme] …`. */
  warn(kind: string, message: string): void;
  readonly logger: Logger;
}

/** What a carrier's inbound code knows of its call, and the kit's guards it may use. */
export interface InboundCall<Params, Session = undefined> {
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: Params;
  /** The call's protocol state from the carrier's `session` factory (the same object `outbound` gets). */
  readonly session: Session;
  readonly logger: Logger;
  /** The format of the audio the carrier sends now. */
  readonly wireFormat: WireFormat;
  /** Warns once per `kind` (then at debug level), prefixed with the carrier: `[acme] …`. */
  warn(kind: string, message: string): void;
  /** An `input-audio` frame from base64 wire audio, or `undefined` (with a warning when it is bad). */
  audioFromBase64(payload: string): Frame | undefined;
  /** An `input-audio` frame from raw wire audio, or `undefined` (with a warning when it is bad). */
  audioFromBytes(bytes: Uint8Array): Frame | undefined;
  /** An `input-dtmf` frame, or `undefined` with a warning when `digit` is not one of 0-9 * # A-D. */
  dtmf(digit: unknown): Frame | undefined;
  /**
   * The carrier announced another wire format mid-call: decode what it sends as `format` from now
   * on, and send it `format` too when `direction` is `'both'`.
   */
  setWireFormat(format: WireFormat, direction: 'inbound' | 'both'): void;
  /** Sends a protocol reply (a handshake's answer, a pong) ahead of anything else. */
  reply(message: WireMessage): void;
}

/** What a carrier's outbound builders know of their call. */
export interface OutboundCall<Params, Session = undefined> {
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: Params;
  /** The call's protocol state from the carrier's `session` factory (the same object inbound code gets). */
  readonly session: Session;
  /** The format of the audio sent to the carrier now. */
  readonly wireFormat: WireFormat;
}

/** How a carrier's messages come in: validation at the edge, then its own mapping to frames. */
export interface InboundDefinition<Event, Params, Session = undefined> {
  /** The names in `eventKey` the carrier sends; anything else is warned about as unknown. */
  readonly events: ReadonlySet<string>;
  /** The zod schema of every inbound message (a discriminated union on `eventKey`). */
  readonly schema: z.ZodType<Event>;
  /** @default 'event' */
  readonly eventKey?: string;
  /**
   * A hand-written check of the commonest message that gives exactly what `schema` gives, or
   * `undefined` to let `schema` decide (proved by `describeMediaFastPath` from `@callwire/testing`).
   */
  readonly fastPath?: (json: unknown) => Event | undefined;
  /** Rewrites parsed JSON before validation (an older message shape). */
  readonly normalize?: (json: unknown) => unknown;
  /**
   * Reads a text message that is not JSON (a carrier's plain-text dialect) into the object its JSON
   * form would parse to, or `undefined`. Must not throw.
   */
  readonly plainText?: (text: string) => unknown;
  /** The stream id a message names, if any: another call's id is warned about once and decoded anyway. */
  readonly streamIdOf?: (event: Event) => string | undefined;
  /**
   * What a binary message is: raw wire audio or JSON text sent as bytes.
   * @default 'text'
   */
  readonly binary?: 'audio' | 'text';
  /**
   * Longest text message parsed at all, in characters (Genesys refuses text over 65,535).
   * @default MAX_TEXT_MESSAGE_CHARS
   */
  readonly maxTextChars?: number;
  /**
   * The frames one binary audio message yields, where the carrier does more than decode it (picks a
   * channel of interleaved stereo, tracks protocol state). The kit's size limit applies first.
   * @default call.audioFromBytes(bytes)
   */
  readonly audio?: (
    bytes: Uint8Array,
    call: InboundCall<Params, Session>,
  ) => Frame | readonly Frame[] | undefined;
  /**
   * Called after the kit refused a text message (`kind` is the warning kind: `oversized`, `bad-json`,
   * `unknown-event`, `invalid-<event>`, …), for a protocol that must answer bad input in-protocol
   * (Genesys: `disconnect` with reason `error`). The warning has already been logged.
   */
  readonly refused?: (kind: string, call: InboundCall<Params, Session>) => void;
  /** The frames a validated message yields (`call` has the kit's audio and DTMF guards). */
  readonly toFrames: (
    event: Event,
    call: InboundCall<Params, Session>,
  ) => Frame | readonly Frame[] | undefined;
}

/**
 * One call's outbound message builders (made once per call, so they may precompute the text around
 * a payload). The kit does audio conversion, limits and ordering.
 */
export interface OutboundMessages {
  /**
   * The message carrying `bytes` of encoded wire audio. Without a `framer`, `bytes` is a scratch
   * buffer reused by the next frame (copy it to keep it); with one, it is the framer's own chunk.
   */
  readonly media: (bytes: Buffer) => WireMessage;
  /** The message that drops queued audio on `interruption` (absent: the carrier cannot). */
  readonly clear?: () => WireMessage;
  /** The message asking for an acknowledgement once everything sent so far has played. */
  readonly checkpoint?: (name: string) => WireMessage;
  /**
   * The message that plays keypad tones (`digits` already checked: 0-9 * # A-D). Absent: the kit sends
   * in-band tones (codec's `dtmfTones`, 100 ms a key and 100 ms apart) as ordinary outbound audio.
   */
  readonly dtmf?: (digits: string) => WireMessage;
  /** Messages that end the call in the protocol itself, after any held-back audio (Genesys `disconnect`). */
  readonly end?: () => readonly WireMessage[];
  /**
   * The messages an `output-transport-message` becomes, where the carrier's wire cannot carry bare
   * JSON (a protocol envelope with sequence numbers) or the message sets call state.
   * @default [JSON.stringify(message)]
   */
  readonly transportMessage?: (message: unknown) => readonly WireMessage[];
  /**
   * Flow control, for a carrier that tells the application to stop and resume sending (Asterisk's
   * `MEDIA_XOFF`/`MEDIA_XON`): gets every message one outbound frame produced, in order, and returns
   * those that go out now. It keeps the rest, in order, and releases them through `InboundCall.reply`
   * when the carrier allows. Absent: everything goes out at once.
   */
  readonly gate?: (messages: readonly WireMessage[], frame: Frame) => WireMessage[];
}

/** How a carrier ends calls: its `CallControl`, and what auto hang-up needs besides the call id. */
export interface HangUpDefinition<Resolved> {
  readonly control: (options: Resolved, logger: Logger) => CallControl;
  /** Fields auto hang-up needs, by name (credentials): a missing one is named in one `CONFIG` error. */
  readonly needs: (options: Resolved) => Readonly<Record<string, unknown>>;
}

/**
 * A carrier, declared: only what is its own. The kit turns it into a `CarrierPlugin` whose
 * serializer owns parsing, limits, PCM in and out, framing, warnings and the hang-up policy.
 */
export interface CarrierDefinition<
  Options,
  Resolved,
  Params extends KitCallParams,
  Event,
  Session = undefined,
> {
  /** Lower-case carrier name; scopes its tokens, prefixes its logs. */
  readonly name: string;
  /** Options for `registerCarrier` (build them with the kit's option fragments). */
  readonly options: z.ZodType<Resolved, Options>;
  /** Per-call params for `createSerializer` (with `pipelineSampleRateParam` and an auto hang-up fragment). */
  readonly params: z.ZodType<Params, unknown>;
  /** Option name -> the environment variable a deployment sets it with (read by `callwire serve`). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Its REST hang-up; absent when the carrier has none (its params must then refuse auto hang-up). */
  readonly hangUp?: HangUpDefinition<Resolved>;
  /** The audio format of a call with `params` until the carrier announces another. */
  readonly wireFormat: (params: Params, options: Resolved) => WireFormat;
  /**
   * The format the carrier sends, where a call's params let it differ from the one it is sent
   * (Telnyx: `inboundEncoding` and `outboundEncoding`).
   * @default wireFormat
   */
  readonly inboundWireFormat?: (params: Params, options: Resolved) => WireFormat;
  /** Recognises the carrier's opening message (JSON-parsed text, or raw bytes); never throws. */
  readonly detect: (message: unknown) => CallDetection;
  /** The carrier's answer document for its webhook. Never throws. */
  readonly answer?: (request: AnswerRequest, options: Resolved) => WebhookResponse | Promise<WebhookResponse>;
  /**
   * The call id an answer-webhook request names, the one the stream's opening message will carry
   * (`answerField(request, 'CallUUID')`): the server binds the stream token it puts in `streamUrl` to it.
   * Absent, or `undefined` for a request: the token binds the carrier only. Never throws.
   */
  readonly answerCallId?: (request: WebhookRequest) => string | undefined;
  /**
   * How the carrier's media streams authenticate; the server enforces it, per carrier:
   * - `'token'` (the default): a per-call token in the stream URL's path (`/stream/<token>`), minted when
   *   the server answers the carrier's webhook (`answer` gets the tokenised URL as `streamUrl`), or by the
   *   user's own answer handler with `mintStreamToken` from `@callwire/server`.
   * - `'signed-upgrade'`: the carrier signs its WebSocket upgrade; `verifyWebhook` gets the upgrade with
   *   a `ws(s)://` URL and must answer `'valid'` (Genesys AudioHook).
   * - `'basic'`: HTTP basic auth on the upgrade against `streamCredentials(options)` (Asterisk
   *   `websocket_client.conf`, jambonz `listen`).
   * - `'network'`: no authentication is possible (AudioSocket over TCP): the carrier's listener must be
   *   bound to a private address; WebSocket upgrades are never let in on this kind.
   * @default 'token'
   */
  readonly streamAuth?: StreamAuthKind;
  /**
   * For `streamAuth: 'basic'`: the user and password the upgrade must present, from the carrier's options
   * (give those options an `environment` entry so `callwire serve` reads them). `undefined`: its streams
   * are refused (logged at start-up).
   */
  readonly streamCredentials?: (options: Resolved) => StreamCredentials | undefined;
  /** Checks a webhook's signature with the carrier's credentials; never throws, never logs a secret. */
  readonly verifyWebhook?: (
    request: WebhookRequest,
    options: Resolved | undefined,
  ) => WebhookVerdict | Promise<WebhookVerdict>;
  /**
   * One call's protocol state (sequence counters, a negotiated format, a handshake's progress), made
   * once per call before anything else and handed to both `inbound` and `outbound` as `call.session`.
   * Absent: `call.session` is `undefined`.
   */
  readonly session?: (call: SessionCall<Params, Resolved>) => Session;
  readonly inbound: InboundDefinition<Event, Params, Session>;
  /** One call's outbound message builders. */
  readonly outbound: (call: OutboundCall<Params, Session>) => OutboundMessages;
  /**
   * Cuts the encoded outbound stream into the chunks the carrier accepts; audio it holds back is sent
   * before a checkpoint and at the end. Absent: each frame's audio is one message. `options` are the
   * carrier's registered options (a chunk size a deployment may tune).
   */
  readonly framer?: (format: WireFormat, params: Params, options: Resolved) => Framer;
  /**
   * For a carrier that streams over plain TCP instead of WebSocket: how its byte stream is framed
   * (the server then serves it on a TCP listener of its own).
   */
  readonly streamFraming?: StreamFraming;
}

import type {
  AnswerRequest,
  CallControl,
  CallDetection,
  Frame,
  Logger,
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

/** What a carrier's inbound code knows of its call, and the kit's guards it may use. */
export interface InboundCall<Params> {
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: Params;
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
export interface OutboundCall<Params> {
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: Params;
  /** The format of the audio sent to the carrier now. */
  readonly wireFormat: WireFormat;
}

/** How a carrier's messages come in: validation at the edge, then its own mapping to frames. */
export interface InboundDefinition<Event, Params> {
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
  /** The stream id a message names, if any: another call's id is warned about once and decoded anyway. */
  readonly streamIdOf?: (event: Event) => string | undefined;
  /**
   * What a binary message is: raw wire audio or JSON text sent as bytes.
   * @default 'text'
   */
  readonly binary?: 'audio' | 'text';
  /** The frames a validated message yields (`call` has the kit's audio and DTMF guards). */
  readonly toFrames: (event: Event, call: InboundCall<Params>) => Frame | readonly Frame[] | undefined;
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
  /** The message that plays keypad tones (`digits` already checked: 0-9 * # A-D). */
  readonly dtmf?: (digits: string) => WireMessage;
  /** Messages that end the call in the protocol itself, after any held-back audio (Genesys `disconnect`). */
  readonly end?: () => readonly WireMessage[];
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
export interface CarrierDefinition<Options, Resolved, Params extends KitCallParams, Event> {
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
  /** Checks a webhook's signature with the carrier's credentials; never throws, never logs a secret. */
  readonly verifyWebhook?: (
    request: WebhookRequest,
    options: Resolved | undefined,
  ) => WebhookVerdict | Promise<WebhookVerdict>;
  readonly inbound: InboundDefinition<Event, Params>;
  /** One call's outbound message builders. */
  readonly outbound: (call: OutboundCall<Params>) => OutboundMessages;
  /**
   * Cuts the encoded outbound stream into the chunks the carrier accepts; audio it holds back is sent
   * before a checkpoint and at the end. Absent: each frame's audio is one message. `options` are the
   * carrier's registered options (a chunk size a deployment may tune).
   */
  readonly framer?: (format: WireFormat, params: Params, options: Resolved) => Framer;
}

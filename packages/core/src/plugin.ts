import type { DependencyContainer } from 'tsyringe';
import type { z } from 'zod/v4';
import type { CallMetadata } from './call-metadata.js';
import type { StreamFraming } from './stream-framing.js';
import type { AnswerRequest, WebhookRequest, WebhookResponse, WebhookVerdict } from './webhook.js';

/**
 * How a carrier's media streams prove they were invited (declared by the carrier, checked by the server):
 * - `'token'`: the stream URL carries a per-call token the server minted when it answered the carrier's
 *   webhook (or the user's own answer handler minted with `mintStreamToken`). The default.
 * - `'signed-upgrade'`: the carrier signs the WebSocket upgrade itself; its `verifyWebhook` hook must
 *   answer `'valid'` for the `ws(s)://` URL (Genesys AudioHook).
 * - `'basic'`: HTTP basic auth on the upgrade, against the user and password `streamCredentials` gives
 *   (Asterisk `websocket_client.conf`, jambonz `listen`).
 * - `'network'`: the transport has no way to authenticate (AudioSocket over TCP): its listener must be
 *   bound to a private address; a WebSocket upgrade never passes on this kind alone.
 */
export type StreamAuthKind = 'token' | 'signed-upgrade' | 'basic' | 'network';

/** The user and password a `'basic'` carrier's upgrade must present. */
export interface StreamCredentials {
  readonly username: string;
  readonly password: string;
}

/** Who a call is, as the carrier names it. `params` are the carrier's per-call options. */
export interface CallInfo {
  /** The carrier's media stream id (`streamId`, `streamSid`, ...). */
  readonly streamId: string;
  /** The carrier's call id, needed to hang up. */
  readonly callId?: string;
  /** Carrier-specific per-call options, validated by the carrier. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** What the opening message says of the call (from, to, custom parameters, the message itself). */
  readonly metadata?: CallMetadata;
}

/**
 * What a carrier says of a socket's opening message: a call it recognises, `'need-more'`
 * when the message is its own but carries no ids yet (a `connected` handshake), or `undefined`.
 */
export type CallDetection = CallInfo | 'need-more' | undefined;

/**
 * A carrier, as a plugin: its options schema and how it registers its serializer factory
 * and `CallControl` in a container. `Options` is what users pass, `Resolved` what the schema
 * makes of it (defaults filled in).
 */
export interface CarrierPlugin<Options = unknown, Resolved = Options> {
  /** Lower-case carrier name; scopes its tokens, prefixes its logs. */
  readonly name: string;
  /** Validates the options given to `registerCarrier`. */
  readonly options: z.ZodType<Resolved, Options>;
  /**
   * Where a deployment sets this carrier's options: option name -> environment variable
   * (`{ authToken: 'PLIVO_AUTH_TOKEN' }`). `callwire serve` registers the carrier from these.
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** True when `options` hold everything a REST hang-up needs (absent: the carrier cannot hang up). */
  canHangUp?(options: Resolved): boolean;
  /**
   * How `call.hangUp()` ends this carrier's calls: `'rest'`, its REST API (once `canHangUp` says the
   * options allow it), or `'stream'`, the server closing the stream (after any goodbye the protocol has,
   * such as Genesys' `disconnect`). Start-up messages use it. @default 'rest'
   */
  readonly hangUpVia?: 'rest' | 'stream';
  /** Registers `serializerFactoryToken(name)` and `callControlToken(name)` in `container`. */
  register(container: DependencyContainer, options: Resolved): void;
  /**
   * Recognises this carrier's opening message (already JSON-parsed when it was text,
   * raw bytes otherwise). Never throws.
   */
  detect?(message: unknown): CallDetection;
  /**
   * The carrier's answer document for a webhook request (for example `<Stream>` XML pointing at
   * `request.streamUrl`). `container` is the one the carrier was registered in. Never throws.
   */
  answer?(request: AnswerRequest, container: DependencyContainer): WebhookResponse | Promise<WebhookResponse>;
  /**
   * The carrier's call id named by an answer-webhook request (Plivo `CallUUID`, Twilio `CallSid`), the
   * id its stream's opening message will carry: the server binds the stream token to it. Never throws.
   */
  answerCallId?(request: WebhookRequest): string | undefined;
  /**
   * How this carrier's media streams authenticate (see `StreamAuthKind`). @default 'token'
   */
  readonly streamAuth?: StreamAuthKind;
  /** For `streamAuth: 'basic'`: the user and password its upgrades must present, from its registered options. */
  streamCredentials?(container: DependencyContainer): StreamCredentials | undefined;
  /**
   * Present on a carrier that streams over a plain byte stream instead of WebSocket: how its messages
   * are framed. The server then serves it on a TCP listener of its own, never on the WebSocket path.
   */
  readonly streamFraming?: StreamFraming;
  /** Checks a webhook request's signature headers; never throws, never logs a secret. */
  verifyWebhook?(
    request: WebhookRequest,
    container: DependencyContainer,
  ): WebhookVerdict | Promise<WebhookVerdict>;
}

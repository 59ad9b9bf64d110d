import type { CallInfo, CarrierPlugin, WireMessage } from '@callwire/core';
import type { FakeCarrierApi, FakeFault } from './fake-api/types.js';

/** What a carrier can do; the suite skips, with a reason, what a carrier declares it cannot. */
export interface CarrierCapabilities {
  /** Inbound DTMF. */
  readonly dtmf: boolean;
  /** The DTMF keys the carrier can deliver (default: all sixteen). */
  readonly dtmfDigits?: readonly string[];
  /** A clear/flush message on `interruption`. */
  readonly clear: boolean;
  /** `checkpoint` out and `checkpoint-reached` back. */
  readonly checkpoint: boolean;
  /**
   * Playback acknowledgements, what `call.play` builds on: a checkpoint goes out after every sample of
   * the audio before it, an interruption drops audio held back, and the playback layer's mark names
   * (`callwire.play.<n>`) round-trip. Default: `checkpoint`.
   */
  readonly playback?: boolean;
  /** `output-dtmf` frames as the carrier's own stream message (`read.outputDtmf` reads it). */
  readonly outputDtmf: boolean;
  /**
   * `output-dtmf` frames as in-band tones in the outbound audio (the kit's default for a carrier with
   * no DTMF message): the suite hears them back with codec's `detectDtmf`.
   */
  readonly outputDtmfInBand?: boolean;
  /** Keypad tones over REST (`CallControl.sendDtmf`), made as `dtmfRequest` against the fake API. */
  readonly outputDtmfRest?: boolean;
  /** Transfer over REST (`CallControl.transfer`), made as `transferRequest` against the fake API. */
  readonly transfer?: boolean;
  /** Hang-up over REST on `end`/`cancel`. */
  readonly hangUp: boolean;
  /** `output-transport-message` passes through as JSON. */
  readonly transportMessage: boolean;
  /**
   * The `call.info` fields the carrier's opening message carries when `wire.start` is given
   * `call.metadata` (the suite checks each one arrives intact). Default: none.
   */
  readonly metadata?: readonly CallMetadataField[];
}

/** A field of `CallMetadata` a carrier's opening message can carry. */
export type CallMetadataField = 'from' | 'to' | 'direction' | 'customParameters';

/** How a carrier calls its answer webhook for one call (the simulator and the suite send exactly this). */
export interface AnswerWebhookCall {
  readonly method: 'GET' | 'POST';
  /** The query string, without `?` (`uuid=...` for a GET). */
  readonly query?: string;
  readonly contentType?: string;
  readonly body?: string;
  /** Headers the carrier adds (its signature, made with the harness's own test credentials). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Everything the carrier test kit (`describeCarrier`) and the call simulator (`simulateCall`) need to
 * drive one carrier: the one source of its wire fixtures. A carrier package keeps it in
 * `src/testing/harness.ts` and exports it from its `testing` subpath.
 */
export interface CarrierHarness<Options = unknown, Resolved = Options> {
  /** The plugin under test. */
  readonly plugin: CarrierPlugin<Options, Resolved>;
  /** Rate (Hz) of the audio on the wire for calls made by `call()`. */
  readonly wireSampleRate: number;
  /** Wire audio coding: the suite's SNR bar is 30 dB for G.711, 60 dB for linear PCM. */
  readonly wireCodec: 'mulaw' | 'alaw' | 'l16';
  readonly supports: CarrierCapabilities;
  /** Starts the carrier's fake REST API (credentials checked). Only called when `supports.hangUp`. */
  startApi?(): Promise<FakeCarrierApi>;
  /** Options for `registerCarrier`, with test credentials, pointing at `apiUrl`. */
  options(input: { apiUrl: string; hangUpTimeoutMs: number }): Options;
  /** The credential strings in `options()`: none may appear in any log line. */
  readonly secrets: readonly string[];
  /** A call's ids and per-call params (`sampleRate` is the pipeline rate, Hz). */
  call(input: { callId: string; streamId: string; sampleRate: number; autoHangUp: boolean }): CallInfo;
  /** Builds the carrier's inbound wire messages. */
  readonly wire: {
    /**
     * The opening message(s) the carrier sends before media, if any, carrying `call.metadata`'s
     * fields where the carrier can (see `supports.metadata`).
     */
    start?(call: CallInfo): WireMessage[];
    /** One media message carrying `pcm` (16-bit, `wireSampleRate` Hz), encoded as the carrier does. */
    media(call: CallInfo, pcm: Int16Array): WireMessage;
    dtmf?(call: CallInfo, digit: string): WireMessage;
    /** The carrier's acknowledgement that the checkpoint `name` was played. */
    checkpointReached?(call: CallInfo, name: string): WireMessage;
    /** The carrier's acknowledgement of a clear (a `cleared` event), if it sends one. */
    cleared?(call: CallInfo): WireMessage;
    /** The message the carrier sends when the caller hangs up, before it closes the socket, if any. */
    stop?(call: CallInfo): WireMessage;
  };
  /** Reads the carrier's outbound messages. */
  readonly read: {
    /** The PCM (16-bit, `wireSampleRate` Hz) carried by an outbound audio message, else `undefined`. */
    audio(message: WireMessage): Int16Array | undefined;
    /** True for the carrier's clear/flush message. */
    isClear(message: WireMessage): boolean;
    /** The checkpoint name of an outbound checkpoint message, else `undefined`. */
    checkpointName?(message: WireMessage): string | undefined;
    /** The digits of an outbound DTMF message, else `undefined`. */
    outputDtmf?(message: WireMessage): string | undefined;
    /**
     * Why the carrier would refuse an outbound message (a binary frame of the wrong size, a chunk off
     * its grid, text it cannot parse), else `undefined`. Every message the suite sees is checked.
     */
    problem?(message: WireMessage): string | undefined;
  };
  /**
   * The fake-API answer that means "this call is already over", for checks of the `already-ended`
   * outcome (some carriers answer 422 with an error code of their own, and a 404 is a real failure there).
   * @default { status: 404 }
   */
  readonly alreadyEndedFault?: FakeFault;
  /** The hang-up request the carrier must make, once per call. */
  readonly hangUpRequest?: { readonly method: string; path(callId: string): string };
  /**
   * The carrier's answer webhook, for carriers whose calls start there: the request it sends for a call,
   * and where its answer document names the stream URL. The simulator (`startAnsweredCall`) and the
   * suite's "stream auth" checks get the stream URL (with its per-call token) from it, as the carrier does.
   */
  readonly answer?: {
    /** The request for `callId` to `answerUrl` (the absolute URL called, which a signature covers). */
    request(callId: string, answerUrl: string): AnswerWebhookCall;
    /** The stream URL an answer document names (markup unescaped), else `undefined`. */
    streamUrl(document: string): string | undefined;
  };
  /** The request `CallControl.sendDtmf` makes (with `supports.outputDtmfRest`). */
  readonly dtmfRequest?: { readonly method: string; path(callId: string): string };
  /** The request `CallControl.transfer` makes (with `supports.transfer`). */
  readonly transferRequest?: { readonly method: string; path(callId: string): string };
  /** Carrier-specific malformed messages, added to the shared hostile corpus. */
  readonly hostileMessages?: readonly WireMessage[];
}

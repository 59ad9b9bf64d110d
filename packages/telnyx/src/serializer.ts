import {
  alawDecodeInto,
  alawEncodeInto,
  base64ByteLength,
  createStreamResampler,
  decodeBase64Into,
  mulawDecodeInto,
  mulawEncodeInto,
  type StreamResamplerOptions,
} from '@callwire/codec';
import {
  type CallControl,
  checkpointReachedFrame,
  createHangUpOnce,
  createInboundPcm,
  createOutputAudioConverter,
  createScratchBytes,
  createWarnOnce,
  type Frame,
  type FrameSerializer,
  type InboundMessageSpec,
  type InboundPcm,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  type Logger,
  type OutputAudioConverter,
  type OutputAudioFrame,
  type PcmDecodeInto,
  parseInboundMessage,
  passThroughAtEqualRates,
  previewValue,
  type StartFrame,
  type WireMessage,
} from '@callwire/core';
import {
  TELNYX_INBOUND_EVENTS,
  type TelnyxErrorEvent,
  TelnyxInbound,
  type TelnyxInboundEvent,
  type TelnyxOutboundMessage,
  type TelnyxStartEvent,
  telnyxEncodingOf,
} from './events.js';
import { telnyxMediaFastPath } from './media-fast-path.js';
import { type ResolvedTelnyxCallParams, TELNYX_SAMPLE_RATE, type TelnyxEncoding } from './options.js';

/** What one call's serializer is built from (see `telnyx`'s serializer factory). */
export interface TelnyxSerializerInit {
  /** The stream's `stream_id`. */
  readonly streamId: string;
  /** The call's `call_control_id`; needed when `params.autoHangUp` is on (the factory checks). */
  readonly callId?: string;
  readonly params: ResolvedTelnyxCallParams;
  readonly control: CallControl;
  readonly logger: Logger;
}

/**
 * Longest media payload accepted, in base64 characters (about 24 s of 8 kHz G.711). Telnyx sends 20 ms
 * chunks (a few hundred characters); anything near this is a peer trying to exhaust memory or CPU.
 */
const MAX_PAYLOAD_CHARS = 256 * 1024;
/** Longest message parsed at all, in characters (or bytes): the payload limit plus room for the rest. */
const MAX_MESSAGE_CHARS = MAX_PAYLOAD_CHARS + 16 * 1024;
/**
 * Resampler settings for G.711 calls, as `@callwire/plivo` uses them: G.711's own noise floor is about
 * 38 dB below full scale, so an 80 dB filter (instead of the codec's 100 dB default) changes nothing
 * audible and takes fewer multiply-adds.
 */
const G711_RESAMPLER: StreamResamplerOptions = { attenuationDb: 80 };
const createG711Resampler = (inRate: number, outRate: number) =>
  createStreamResampler(inRate, outRate, G711_RESAMPLER);

const decoders: Record<TelnyxEncoding, PcmDecodeInto> = {
  PCMU: mulawDecodeInto,
  PCMA: alawDecodeInto,
};
const encoders: Record<TelnyxEncoding, (pcm: Int16Array, out: Uint8Array) => number> = {
  PCMU: mulawEncodeInto,
  PCMA: alawEncodeInto,
};
/** Outbound `media` is built around its base64 payload, which never needs JSON escaping. */
const MEDIA_HEAD = '{"event":"media","media":{"payload":"';
const MEDIA_TAIL = '"}}';

/**
 * One Telnyx media stream: Telnyx's JSON to frames (caller audio decoded from `inboundEncoding` and
 * resampled to the pipeline rate, DTMF, `mark` echoes as `checkpoint-reached`; `error` frames are
 * logged as warnings) and frames to Telnyx's JSON (`media` in `outboundEncoding` at 8 kHz, `mark`,
 * `clear`, none carrying a stream id). Bad input is warned about once per kind and dropped.
 */
export class TelnyxFrameSerializer implements FrameSerializer {
  readonly carrier = 'telnyx';
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: ResolvedTelnyxCallParams;

  private readonly logger: Logger;
  private readonly warnOnce: ReturnType<typeof createWarnOnce>;
  private readonly hangUpOnce: () => Promise<unknown>;
  private readonly output: OutputAudioConverter;
  /** Coding of what Telnyx sends: the params', or what `start.media_format` announced. */
  private inboundEncoding: TelnyxEncoding;
  /** Pipeline rate, Hz; unknown until `setup`. */
  private pipelineRate: number | undefined;
  /** Caller audio from 8 kHz to the pipeline rate; made by `setup`. */
  private inboundPcm: InboundPcm | undefined;
  private readonly inboundSpec: InboundMessageSpec<TelnyxInboundEvent>;
  /** Reused per frame: the decoded payload bytes, and the encoded outbound bytes. */
  private readonly wireBytes = createScratchBytes();
  private readonly outBytes = createScratchBytes();

  constructor(init: TelnyxSerializerInit) {
    this.streamId = init.streamId;
    this.callId = init.callId;
    this.params = init.params;
    this.logger = init.logger;
    this.inboundEncoding = init.params.inboundEncoding;
    this.warnOnce = createWarnOnce(init.logger);
    // Outbound audio is encoded at once, so at equal rates it needs no copy.
    this.output = createOutputAudioConverter(
      TELNYX_SAMPLE_RATE,
      passThroughAtEqualRates(createG711Resampler),
    );
    this.inboundSpec = {
      carrier: 'telnyx',
      events: TELNYX_INBOUND_EVENTS,
      schema: TelnyxInbound,
      maxChars: MAX_MESSAGE_CHARS,
      warnOnce: this.warnOnce,
      fastPath: telnyxMediaFastPath,
    };
    this.hangUpOnce = createHangUpOnce({
      carrier: this.carrier,
      control: init.control,
      callId: init.callId,
      enabled: init.params.autoHangUp,
      logger: init.logger,
    });
  }

  /** Learns the pipeline rate: `params.sampleRate`, else `start.audioInSampleRate` (Hz). */
  async setup(start: StartFrame): Promise<void> {
    this.pipelineRate = this.params.sampleRate ?? start.audioInSampleRate;
    this.inboundPcm = createInboundPcm(TELNYX_SAMPLE_RATE, this.pipelineRate, createG711Resampler);
  }

  /** A frame to Telnyx's JSON, or `undefined`; `end`/`cancel` hang the call up (once) instead. */
  async serialize(frame: Frame): Promise<WireMessage | undefined> {
    try {
      switch (frame.type) {
        case 'output-audio':
          return this.media(frame);
        case 'interruption':
          // Telnyx stops playback and drops its queue; drop what the resampler holds too.
          this.output.reset();
          return this.message({ event: 'clear' });
        case 'checkpoint':
          return this.message({ event: 'mark', mark: { name: frame.name } });
        case 'output-dtmf':
          // The media-streaming socket accepts media, mark and clear only (send_dtmf is a REST command).
          this.warnOnce('output-dtmf', '[telnyx] the media stream cannot send DTMF; output-dtmf dropped');
          return undefined;
        case 'output-transport-message':
          return JSON.stringify(frame.message) ?? undefined;
        case 'end':
        case 'cancel':
          await this.hangUpOnce();
          return undefined;
        default:
          return undefined;
      }
    } catch (error) {
      this.warnOnce(
        'bad-frame',
        `[telnyx] cannot serialize a ${previewValue(frame?.type)} frame: ${String(error)}`,
      );
      return undefined;
    }
  }

  /** A Telnyx message to a frame, or `undefined`; never throws. */
  async deserialize(data: WireMessage): Promise<Frame | undefined> {
    try {
      const event = this.parse(data);
      return event === undefined ? undefined : this.toFrame(event);
    } catch (error) {
      this.warnOnce('internal-error', `[telnyx] could not handle a message: ${String(error)}`);
      return undefined;
    }
  }

  private parse(data: WireMessage): TelnyxInboundEvent | undefined {
    const inbound = parseInboundMessage(this.inboundSpec, data);
    if (inbound === undefined) return undefined;
    const streamId = inbound.event === 'connected' ? undefined : inbound.stream_id;
    if (streamId !== undefined && streamId !== this.streamId) {
      // One socket carries one stream, so a different id is the carrier's (or a proxy's) slip, not
      // someone else's audio: say so once and keep the call's audio flowing, as Pipecat does.
      this.warnOnce(
        'foreign-stream',
        `[telnyx] "${inbound.event}" names stream ${previewValue(streamId)}, not this call's; decoding it anyway`,
      );
    }
    return inbound;
  }

  private toFrame(event: TelnyxInboundEvent): Frame | undefined {
    switch (event.event) {
      case 'media':
        return this.inputAudio(event.media.payload, event.media.track);
      case 'dtmf': {
        const digit = event.dtmf.digit;
        if (!isDtmfDigit(digit)) {
          this.warnOnce(
            'bad-dtmf-digit',
            `[telnyx] ignoring DTMF digit ${previewValue(digit)} (not 0-9 * # A-D)`,
          );
          return undefined;
        }
        return inputDtmfFrame(digit);
      }
      case 'mark':
        return checkpointReachedFrame(event.mark.name);
      case 'start':
        this.onStart(event);
        return undefined;
      case 'error':
        this.onError(event);
        return undefined;
      case 'stop':
        this.logger.debug({ streamId: this.streamId }, '[telnyx] stream stopped');
        return undefined;
      default:
        return undefined;
    }
  }

  private inputAudio(payload: string, track: string | undefined): Frame | undefined {
    if (payload.length === 0) return undefined;
    // `inbound_track` (the name Twilio's dtmf and Telnyx's stream_track use) counts as caller audio too.
    if (track !== undefined && track !== 'inbound' && track !== 'inbound_track') {
      // stream_track "both_tracks" also streams what the call plays: not the caller speaking.
      this.warnOnce(
        'other-track',
        `[telnyx] ignoring media of track ${previewValue(track)} (only inbound is caller audio)`,
      );
      return undefined;
    }
    if (this.pipelineRate === undefined || this.inboundPcm === undefined) {
      this.warnOnce('before-setup', '[telnyx] dropping media received before setup()');
      return undefined;
    }
    const byteCount = base64ByteLength(payload);
    // Reused from frame to frame: `decode` below returns a new array the frame owns.
    const bytes = byteCount === undefined ? undefined : this.wireBytes.take(byteCount);
    if (bytes === undefined || decodeBase64Into(payload, bytes) === undefined) {
      this.warnOnce('bad-base64', '[telnyx] ignoring a media payload that is not standard padded base64');
      return undefined;
    }
    const audio = this.inboundPcm.decode(bytes, bytes.length, decoders[this.inboundEncoding]);
    return audio.length === 0 ? undefined : inputAudioFrame(audio, this.pipelineRate);
  }

  private onStart(event: TelnyxStartEvent): void {
    const announced = event.start.media_format?.encoding;
    if (announced === undefined) return;
    const encoding = telnyxEncodingOf(announced);
    if (encoding === undefined) {
      this.warnOnce(
        'unsupported-encoding',
        `[telnyx] start announces ${previewValue(announced)}; decoding as ${this.inboundEncoding} (only PCMU and PCMA are supported)`,
      );
      return;
    }
    if (encoding === this.inboundEncoding) return;
    // The start message is authoritative for what Telnyx sends; outbound keeps outboundEncoding.
    this.warnOnce(
      'encoding-mismatch',
      `[telnyx] start announces ${encoding}, params say inboundEncoding ${this.inboundEncoding}; decoding ${encoding}`,
    );
    this.inboundEncoding = encoding;
  }

  private onError(event: TelnyxErrorEvent): void {
    const details = event.payload ?? event.error ?? {};
    const code = details.code === undefined ? 'unknown' : String(details.code);
    this.warnOnce(
      `stream-error-${code.slice(0, 16)}`,
      `[telnyx] stream error ${previewValue(code, 16)} ${previewValue(details.title ?? '')}: ${previewValue(details.detail ?? '', 120)}`,
    );
  }

  private media(frame: OutputAudioFrame): string | undefined {
    if (frame.audio.length === 0) return undefined;
    const pcm = this.output.convert(frame);
    if (pcm.length === 0) return undefined;
    const bytes = this.outBytes.take(pcm.length);
    encoders[this.params.outboundEncoding](pcm, bytes);
    // The same text as JSON.stringify({ event: 'media', media: { payload } }).
    return MEDIA_HEAD + bytes.toString('base64') + MEDIA_TAIL;
  }

  private message(message: TelnyxOutboundMessage): string {
    return JSON.stringify(message);
  }
}

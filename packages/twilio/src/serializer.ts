import {
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
  parseInboundMessage,
  passThroughAtEqualRates,
  previewValue,
  type StartFrame,
  type WireMessage,
} from '@callwire/core';
import {
  TWILIO_INBOUND_EVENTS,
  TwilioInbound,
  type TwilioInboundEvent,
  type TwilioOutboundMessage,
} from './events.js';
import { twilioMediaFastPath } from './media-fast-path.js';
import { type ResolvedTwilioCallParams, TWILIO_SAMPLE_RATE } from './options.js';

/** What one call's serializer is built from (see `twilio`'s serializer factory). */
export interface TwilioSerializerInit {
  /** The stream's `streamSid`. */
  readonly streamId: string;
  /** The call's `callSid`; needed when `params.autoHangUp` is on (the factory checks). */
  readonly callId?: string;
  readonly params: ResolvedTwilioCallParams;
  readonly control: CallControl;
  readonly logger: Logger;
}

/**
 * Longest media payload accepted, in base64 characters (about 24 s of 8 kHz G.711). Twilio sends 20 ms
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

/**
 * One Twilio Media Stream: Twilio's JSON to frames (caller audio as PCM at the pipeline rate,
 * DTMF, `mark` echoes as `checkpoint-reached`) and frames to Twilio's JSON (mu-law 8 kHz `media`,
 * `mark`, `clear`). Bad input is warned about once per kind and dropped; nothing throws.
 */
export class TwilioFrameSerializer implements FrameSerializer {
  readonly carrier = 'twilio';
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: ResolvedTwilioCallParams;

  private readonly logger: Logger;
  private readonly warnOnce: ReturnType<typeof createWarnOnce>;
  private readonly hangUpOnce: () => Promise<unknown>;
  private readonly output: OutputAudioConverter;
  /** Pipeline rate, Hz; unknown until `setup`. */
  private pipelineRate: number | undefined;
  /** Caller audio from 8 kHz to the pipeline rate; made by `setup`. */
  private inboundPcm: InboundPcm | undefined;
  private readonly inboundSpec: InboundMessageSpec<TwilioInboundEvent>;
  /** Reused per frame: the decoded payload bytes, and the encoded outbound bytes. */
  private readonly wireBytes = createScratchBytes();
  private readonly outBytes = createScratchBytes();
  // Outbound media is built around a base64 payload, which never needs JSON escaping.
  private readonly mediaHead: string;
  private readonly mediaTail = '"}}';

  constructor(init: TwilioSerializerInit) {
    this.streamId = init.streamId;
    this.callId = init.callId;
    this.params = init.params;
    this.logger = init.logger;
    this.warnOnce = createWarnOnce(init.logger);
    // Outbound audio is encoded at once, so at equal rates it needs no copy.
    this.output = createOutputAudioConverter(
      TWILIO_SAMPLE_RATE,
      passThroughAtEqualRates(createG711Resampler),
    );
    this.inboundSpec = {
      carrier: 'twilio',
      events: TWILIO_INBOUND_EVENTS,
      schema: TwilioInbound,
      maxChars: MAX_MESSAGE_CHARS,
      warnOnce: this.warnOnce,
      fastPath: twilioMediaFastPath,
    };
    this.mediaHead = `{"event":"media","streamSid":${JSON.stringify(init.streamId)},"media":{"payload":"`;
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
    this.inboundPcm = createInboundPcm(TWILIO_SAMPLE_RATE, this.pipelineRate, createG711Resampler);
  }

  /** A frame to Twilio's JSON, or `undefined`; `end`/`cancel` hang the call up (once) instead. */
  async serialize(frame: Frame): Promise<WireMessage | undefined> {
    try {
      switch (frame.type) {
        case 'output-audio':
          return this.media(frame);
        case 'interruption':
          // Twilio drops its queued audio; drop what the resampler holds too.
          this.output.reset();
          return this.message({ event: 'clear', streamSid: this.streamId });
        case 'checkpoint':
          return this.message({ event: 'mark', streamSid: this.streamId, mark: { name: frame.name } });
        case 'output-dtmf':
          // Only media, mark and clear may be sent to Twilio (else error 31924: twilio.com/docs/api/errors/31924).
          this.warnOnce('output-dtmf', '[twilio] Media Streams cannot send DTMF; output-dtmf dropped');
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
        `[twilio] cannot serialize a ${previewValue(frame?.type)} frame: ${String(error)}`,
      );
      return undefined;
    }
  }

  /** A Twilio message to a frame, or `undefined`; never throws. */
  async deserialize(data: WireMessage): Promise<Frame | undefined> {
    try {
      const event = this.parse(data);
      return event === undefined ? undefined : this.toFrame(event);
    } catch (error) {
      this.warnOnce('internal-error', `[twilio] could not handle a message: ${String(error)}`);
      return undefined;
    }
  }

  private parse(data: WireMessage): TwilioInboundEvent | undefined {
    const inbound = parseInboundMessage(this.inboundSpec, data);
    if (inbound === undefined) return undefined;
    const streamSid =
      inbound.event === 'start'
        ? inbound.start.streamSid
        : inbound.event === 'connected'
          ? undefined
          : inbound.streamSid;
    if (streamSid !== undefined && streamSid !== this.streamId) {
      // One socket carries one stream, so a different id is the carrier's (or a proxy's) slip, not
      // someone else's audio: say so once and keep the call's audio flowing, as Pipecat does.
      this.warnOnce(
        'foreign-stream',
        `[twilio] "${inbound.event}" names stream ${previewValue(streamSid)}, not this call's; decoding it anyway`,
      );
    }
    return inbound;
  }

  private toFrame(event: TwilioInboundEvent): Frame | undefined {
    switch (event.event) {
      case 'media':
        return this.inputAudio(event.media.payload, event.media.track);
      case 'dtmf': {
        const digit = event.dtmf.digit;
        if (!isDtmfDigit(digit)) {
          this.warnOnce(
            'bad-dtmf-digit',
            `[twilio] ignoring DTMF digit ${previewValue(digit)} (not 0-9 * # A-D)`,
          );
          return undefined;
        }
        return inputDtmfFrame(digit);
      }
      case 'mark':
        return checkpointReachedFrame(event.mark.name);
      case 'stop':
        this.logger.debug({ streamId: this.streamId }, '[twilio] stream stopped');
        return undefined;
      default:
        // connected and start carry no frame: the server reads the ids from them.
        return undefined;
    }
  }

  private inputAudio(payload: string, track: string | undefined): Frame | undefined {
    if (payload.length === 0) return undefined;
    // `inbound_track` (the name Twilio's dtmf and Telnyx's stream_track use) counts as caller audio too.
    if (track !== undefined && track !== 'inbound' && track !== 'inbound_track') {
      // <Start><Stream track="both_tracks"> also streams what the call plays: not the caller speaking.
      this.warnOnce(
        'other-track',
        `[twilio] ignoring media of track ${previewValue(track)} (only inbound is caller audio)`,
      );
      return undefined;
    }
    if (this.pipelineRate === undefined || this.inboundPcm === undefined) {
      this.warnOnce('before-setup', '[twilio] dropping media received before setup()');
      return undefined;
    }
    const byteCount = base64ByteLength(payload);
    // Reused from frame to frame: `decode` below returns a new array the frame owns.
    const bytes = byteCount === undefined ? undefined : this.wireBytes.take(byteCount);
    if (bytes === undefined || decodeBase64Into(payload, bytes) === undefined) {
      this.warnOnce('bad-base64', '[twilio] ignoring a media payload that is not standard padded base64');
      return undefined;
    }
    const audio = this.inboundPcm.decode(bytes, bytes.length, mulawDecodeInto);
    return audio.length === 0 ? undefined : inputAudioFrame(audio, this.pipelineRate);
  }

  private media(frame: OutputAudioFrame): string | undefined {
    if (frame.audio.length === 0) return undefined;
    const pcm = this.output.convert(frame);
    if (pcm.length === 0) return undefined;
    const bytes = this.outBytes.take(pcm.length);
    mulawEncodeInto(pcm, bytes);
    // The same text as JSON.stringify({ event: 'media', streamSid, media: { payload } }).
    return this.mediaHead + bytes.toString('base64') + this.mediaTail;
  }

  private message(message: TwilioOutboundMessage): string {
    return JSON.stringify(message);
  }
}

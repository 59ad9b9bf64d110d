import {
  base64ByteLength,
  createStreamResampler,
  decodeBase64Into,
  l16LeToPcmInto,
  mulawDecodeInto,
  mulawEncodeInto,
  pcmToL16LeInto,
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
  PLIVO_INBOUND_EVENTS,
  type PlivoInboundEvent,
  PlivoInboundEventSchema,
  type PlivoMediaEvent,
  type PlivoStartEvent,
  type PlivoWireFormat,
  plivoWireFormat,
} from './events.js';
import { plivoMediaFastPath } from './media-fast-path.js';
import type { ResolvedPlivoCallParams } from './options.js';

/** What one call's serializer is built from (see `plivo`'s serializer factory). */
export interface PlivoSerializerInit {
  readonly streamId: string;
  /** Needed when `params.autoHangUp` is on (the factory checks). */
  readonly callId?: string;
  readonly params: ResolvedPlivoCallParams;
  readonly control: CallControl;
  readonly logger: Logger;
}

const OUTPUT_DTMF = /^[0-9*#A-D]+$/;
/**
 * Longest media payload accepted, in base64 characters (about 6 s of 16 kHz L16). Plivo sends 20 ms
 * chunks (a few hundred characters); anything near this is a peer trying to exhaust memory or CPU.
 */
const MAX_PAYLOAD_CHARS = 256 * 1024;
/** Longest message parsed at all, in characters (or bytes): the payload limit plus room for the rest. */
const MAX_MESSAGE_CHARS = MAX_PAYLOAD_CHARS + 16 * 1024;

/**
 * Resampler options by wire encoding. G.711's own noise floor is about 38 dB below full scale, so
 * an 80 dB filter (instead of the codec's 100 dB default) changes nothing audible on mu-law and
 * takes about a fifth fewer multiply-adds; L16 keeps the default.
 */
function resamplerOptions(contentType: PlivoWireFormat['contentType']): StreamResamplerOptions {
  return contentType === 'audio/x-mulaw' ? { attenuationDb: G711_ATTENUATION_DB } : {};
}
/** Stopband attenuation (dB) of the resamplers on mu-law calls. */
const G711_ATTENUATION_DB = 80;

/** Caller audio of `format` to `pipelineRate` Hz (no resampler at equal rates). */
function inboundPcmFor(format: PlivoWireFormat, pipelineRate: number): InboundPcm {
  const options = resamplerOptions(format.contentType);
  return createInboundPcm(format.sampleRate, pipelineRate, (inRate, outRate) =>
    createStreamResampler(inRate, outRate, options),
  );
}

/**
 * One Plivo Audio Stream: Plivo's JSON messages to frames and back. Caller audio is decoded
 * (mu-law or little-endian L16) and resampled to the pipeline rate; outbound audio at any rate is
 * resampled to `plivoSampleRate` and encoded. Bad input is warned about once per kind and dropped.
 */
export class PlivoFrameSerializer implements FrameSerializer {
  readonly carrier = 'plivo';
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: ResolvedPlivoCallParams;

  private readonly logger: Logger;
  private readonly warnOnce: ReturnType<typeof createWarnOnce>;
  /** Format of the audio Plivo sends: the params', or what `start.mediaFormat` announced. */
  private inbound: PlivoWireFormat;
  /** Pipeline rate, Hz; unknown until `setup`. */
  private pipelineRate: number | undefined;
  /** Caller audio from `inbound` to the pipeline rate; made by `setup`. */
  private inboundPcm: InboundPcm | undefined;
  private readonly inboundSpec: InboundMessageSpec<PlivoInboundEvent>;
  /** Output audio of any rate and channel count to mono at `plivoSampleRate`. */
  private readonly output: OutputAudioConverter;
  private readonly hangUpOnce: () => Promise<unknown>;
  // playAudio is built around a base64 payload, which never needs JSON escaping.
  private readonly playAudioHead: string;
  private readonly playAudioTail: string;
  /** Reused per frame: the decoded payload bytes, and the encoded outbound bytes. */
  private readonly wireBytes = createScratchBytes();
  private readonly outBytes = createScratchBytes();

  constructor(init: PlivoSerializerInit) {
    this.streamId = init.streamId;
    this.callId = init.callId;
    this.params = init.params;
    this.logger = init.logger;
    this.warnOnce = createWarnOnce(init.logger);
    this.inbound = { contentType: init.params.contentType, sampleRate: init.params.plivoSampleRate };
    const outputOptions = resamplerOptions(init.params.contentType);
    // Outbound audio is encoded at once, so at equal rates it needs no copy.
    this.output = createOutputAudioConverter(
      init.params.plivoSampleRate,
      passThroughAtEqualRates((inRate, outRate) => createStreamResampler(inRate, outRate, outputOptions)),
    );
    this.inboundSpec = {
      carrier: 'plivo',
      events: PLIVO_INBOUND_EVENTS,
      schema: PlivoInboundEventSchema,
      maxChars: MAX_MESSAGE_CHARS,
      warnOnce: this.warnOnce,
      fastPath: plivoMediaFastPath,
    };
    this.hangUpOnce = createHangUpOnce({
      carrier: this.carrier,
      control: init.control,
      callId: init.callId,
      enabled: init.params.autoHangUp,
      logger: init.logger,
    });
    this.playAudioHead = `{"event":"playAudio","media":{"contentType":${JSON.stringify(init.params.contentType)},"sampleRate":${init.params.plivoSampleRate},"payload":"`;
    this.playAudioTail = `"},"streamId":${JSON.stringify(init.streamId)}}`;
  }

  /** Learns the pipeline rate: `params.sampleRate`, else `start.audioInSampleRate` (Hz). */
  async setup(start: StartFrame): Promise<void> {
    this.pipelineRate = this.params.sampleRate ?? start.audioInSampleRate;
    this.inboundPcm = inboundPcmFor(this.inbound, this.pipelineRate);
  }

  /** A frame to Plivo's JSON, or `undefined`; `end`/`cancel` hang the call up (once) instead. */
  async serialize(frame: Frame): Promise<WireMessage | undefined> {
    try {
      switch (frame.type) {
        case 'output-audio':
          return this.playAudio(frame);
        case 'interruption':
          // Drop what the resampler holds too, so nothing from before the barge-in is played.
          this.output.reset();
          return JSON.stringify({ event: 'clearAudio', streamId: this.streamId });
        case 'checkpoint':
          return JSON.stringify({ event: 'checkpoint', streamId: this.streamId, name: frame.name });
        case 'output-dtmf':
          if (typeof frame.digits !== 'string' || !OUTPUT_DTMF.test(frame.digits)) {
            this.warnOnce(
              'bad-output-dtmf',
              `[plivo] output DTMF ${previewValue(frame.digits)} is not 0-9 * # A-D; dropped`,
            );
            return undefined;
          }
          return JSON.stringify({ event: 'sendDTMF', dtmf: frame.digits });
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
        `[plivo] cannot serialize a ${previewValue(frame?.type)} frame: ${String(error)}`,
      );
      return undefined;
    }
  }

  /** A Plivo message to a frame, or `undefined`; never throws. */
  async deserialize(data: WireMessage): Promise<Frame | undefined> {
    try {
      const event = this.parse(data);
      return event === undefined ? undefined : this.toFrame(event);
    } catch (error) {
      this.warnOnce('internal-error', `[plivo] could not handle a message: ${String(error)}`);
      return undefined;
    }
  }

  private parse(data: WireMessage): PlivoInboundEvent | undefined {
    const inbound = parseInboundMessage(this.inboundSpec, data);
    if (inbound === undefined) return undefined;
    const streamId = inbound.event === 'start' ? inbound.start.streamId : inbound.streamId;
    if (streamId !== undefined && streamId !== this.streamId) {
      // One socket carries one stream, so a different id is the carrier's (or a proxy's) slip, not
      // someone else's audio: say so once and keep the call's audio flowing, as Pipecat does.
      this.warnOnce(
        'foreign-stream',
        `[plivo] "${inbound.event}" names stream ${previewValue(streamId)}, not this call's; decoding it anyway`,
      );
    }
    return inbound;
  }

  private toFrame(event: PlivoInboundEvent): Frame | undefined {
    switch (event.event) {
      case 'media':
        return this.inputAudio(event);
      case 'dtmf': {
        const digit = event.dtmf.digit;
        if (!isDtmfDigit(digit)) {
          this.warnOnce(
            'bad-dtmf-digit',
            `[plivo] ignoring DTMF digit ${previewValue(digit)} (not 0-9 * # A-D)`,
          );
          return undefined;
        }
        return inputDtmfFrame(digit);
      }
      case 'playedStream':
      case 'played':
        return checkpointReachedFrame(event.name);
      case 'start':
        this.onStart(event);
        return undefined;
      case 'clearedAudio':
        this.logger.debug({ streamId: this.streamId }, '[plivo] queued audio cleared');
        return undefined;
      case 'stop':
        this.logger.debug({ streamId: this.streamId }, '[plivo] stream stopped');
        return undefined;
    }
  }

  private inputAudio(event: PlivoMediaEvent): Frame | undefined {
    const { payload, track } = event.media;
    if (payload.length === 0) return undefined;
    if (payload.length > MAX_PAYLOAD_CHARS) {
      this.warnOnce(
        'oversized-media',
        `[plivo] ignoring a ${payload.length}-character media payload (limit ${MAX_PAYLOAD_CHARS})`,
      );
      return undefined;
    }
    if (track !== undefined && track !== 'inbound') {
      // audioTrack="both" also streams what the call plays; that is not the caller speaking.
      this.warnOnce(
        'other-track',
        `[plivo] ignoring media of track ${previewValue(track)} (only inbound is caller audio)`,
      );
      return undefined;
    }
    if (this.pipelineRate === undefined || this.inboundPcm === undefined) {
      this.warnOnce('before-setup', '[plivo] dropping media received before setup()');
      return undefined;
    }
    const byteCount = base64ByteLength(payload);
    // Reused from frame to frame: `decode` below returns a new array the frame owns.
    const bytes = byteCount === undefined ? undefined : this.wireBytes.take(byteCount);
    if (bytes === undefined || decodeBase64Into(payload, bytes) === undefined) {
      this.warnOnce('bad-base64', '[plivo] ignoring a media payload that is not standard padded base64');
      return undefined;
    }
    const l16 = this.inbound.contentType === 'audio/x-l16';
    if (l16 && bytes.length % 2 !== 0) {
      this.warnOnce(
        'odd-l16',
        `[plivo] ignoring an L16 payload of ${bytes.length} bytes (not whole samples)`,
      );
      return undefined;
    }
    const audio = l16
      ? this.inboundPcm.decode(bytes, bytes.length / 2, l16LeToPcmInto)
      : this.inboundPcm.decode(bytes, bytes.length, mulawDecodeInto);
    return audio.length === 0 ? undefined : inputAudioFrame(audio, this.pipelineRate);
  }

  private onStart(event: PlivoStartEvent): void {
    const announced = event.start.mediaFormat;
    if (announced === undefined) return;
    const format = plivoWireFormat(announced);
    if (format === undefined) {
      this.warnOnce(
        'unsupported-format',
        `[plivo] start announces ${previewValue(announced.encoding)} at ${announced.sampleRate} Hz; decoding as ${this.inbound.contentType} at ${this.inbound.sampleRate} Hz`,
      );
      return;
    }
    if (format.contentType === this.inbound.contentType && format.sampleRate === this.inbound.sampleRate)
      return;
    // The start message is authoritative for what Plivo sends; outbound audio keeps the params'.
    this.warnOnce(
      'format-mismatch',
      `[plivo] start announces ${format.contentType} at ${format.sampleRate} Hz, params say ${this.inbound.contentType} at ${this.inbound.sampleRate} Hz; decoding what start announces`,
    );
    this.inbound = format;
    if (this.pipelineRate !== undefined) this.inboundPcm = inboundPcmFor(format, this.pipelineRate);
  }

  private playAudio(frame: OutputAudioFrame): string | undefined {
    if (frame.audio.length === 0) return undefined;
    const pcm = this.output.convert(frame);
    if (pcm.length === 0) return undefined;
    const l16 = this.params.contentType === 'audio/x-l16';
    const byteCount = l16 ? pcm.length * 2 : pcm.length;
    const bytes = this.outBytes.take(byteCount);
    if (l16) pcmToL16LeInto(pcm, bytes);
    else mulawEncodeInto(pcm, bytes);
    const payload = bytes.toString('base64');
    return this.playAudioHead + payload + this.playAudioTail;
  }
}

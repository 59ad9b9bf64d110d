import {
  base64ByteLength,
  createStreamResampler,
  decodeBase64Into,
  l16LeToPcmInto,
  pcmToL16Le,
  pcmToL16LeInto,
} from '@callwire/codec';
import {
  type BatchingSerializer,
  checkpointReachedFrame,
  createInboundPcm,
  createScratchBytes,
  createWarnOnce,
  type Frame,
  type InboundMessageSpec,
  type InboundPcm,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  type Logger,
  type OutputAudioFrame,
  type PcmResampler,
  type PcmResamplerFactory,
  parseInboundMessage,
  passThroughAtEqualRates,
  previewValue,
  type StartFrame,
  type WireMessage,
} from '@callwire/core';
import { createExotelChunker, type ExotelChunker } from './chunker.js';
import {
  EXOTEL_INBOUND_EVENTS,
  ExotelInbound,
  type ExotelInboundEvent,
  exotelClearMessage,
  exotelMarkMessage,
  exotelStartIds,
} from './events.js';
import { exotelMediaFastPath } from './media-fast-path.js';
import { type ExotelSampleRate, isExotelSampleRate, type ResolvedExotelCallParams } from './options.js';

/** What one call's serializer is built from (see `exotel`'s serializer factory). */
export interface ExotelSerializerInit {
  readonly streamId: string;
  readonly callId?: string;
  readonly params: ResolvedExotelCallParams;
  /** Outbound audio is held back until this many bytes are buffered (options' `minChunkBytes`). */
  readonly minChunkBytes: number;
  readonly logger: Logger;
}

const EMPTY: WireMessage[] = [];
/** Outbound audio is copied into the chunker at once, so at equal rates it needs no resampler copy. */
const createOutputResampler: PcmResamplerFactory = passThroughAtEqualRates(createStreamResampler);

/**
 * Exotel Voicebot stream <-> frames for one call. Inbound: base64 16-bit little-endian PCM in JSON,
 * resampled to the pipeline rate. Outbound: PCM resampled to the wire rate and held back until it
 * fills a chunk Exotel accepts (a multiple of 320 bytes, 3.2 KB..99 840 bytes); `end` and
 * `checkpoint` flush the rest padded to the 320-byte grid, `interruption` drops it and sends `clear`.
 *
 * `serializeAll` returns every message a frame needs (a `checkpoint` after held-back audio needs
 * two: the audio, then the `mark`). `serialize` honours the one-message contract by returning the
 * oldest pending message and keeping the rest for its next call, so nothing is lost or reordered.
 */
export class ExotelFrameSerializer implements BatchingSerializer {
  readonly carrier = 'exotel';
  /** Exotel's `stream_sid`. */
  readonly streamId: string;
  /** Exotel's `call_sid` (kept for logs: there is no hang-up). */
  readonly callId: string | undefined;
  readonly params: ResolvedExotelCallParams;
  private readonly logger: Logger;
  private readonly warnOnce: ReturnType<typeof createWarnOnce>;
  private readonly chunker: ExotelChunker;
  /** Messages `serialize` could not return yet, oldest first. */
  private readonly outbox: WireMessage[] = [];
  private wireRate: ExotelSampleRate;
  /** Pipeline rate, Hz; unknown until `setup`. */
  private pipelineRate: number | undefined;
  /** Caller audio from the wire rate to the pipeline rate; made by `setup`. */
  private inboundPcm: InboundPcm | undefined;
  private outputResampler?: PcmResampler;
  private readonly inboundSpec: InboundMessageSpec<ExotelInboundEvent>;
  /** Reused per frame: the decoded payload bytes, and the outbound L16 bytes (the chunker copies them). */
  private readonly wireBytes = createScratchBytes();
  private readonly outBytes = createScratchBytes();
  // Outbound media is built around a base64 payload, which never needs JSON escaping.
  private readonly mediaHead: string;
  private readonly mediaTail = '"}}';

  constructor(init: ExotelSerializerInit) {
    this.streamId = init.streamId;
    this.callId = init.callId;
    this.params = init.params;
    this.logger = init.logger;
    this.warnOnce = createWarnOnce(init.logger);
    this.chunker = createExotelChunker({ minChunkBytes: init.minChunkBytes });
    this.wireRate = init.params.exotelSampleRate;
    this.inboundSpec = {
      carrier: 'exotel',
      events: EXOTEL_INBOUND_EVENTS,
      schema: ExotelInbound,
      warnOnce: this.warnOnce,
      fastPath: exotelMediaFastPath,
    };
    this.mediaHead = `{"event":"media","stream_sid":${JSON.stringify(init.streamId)},"media":{"payload":"`;
  }

  /** Learns the pipeline rate (Hz) from `start` unless the `sampleRate` param fixed it. */
  async setup(start: StartFrame): Promise<void> {
    this.pipelineRate = this.params.sampleRate ?? start.audioInSampleRate;
    this.inboundPcm = createInboundPcm(this.wireRate, this.pipelineRate, createStreamResampler);
  }

  /** One message for `frame` (see the class note on pending messages), or `undefined`. */
  async serialize(frame: Frame): Promise<WireMessage | undefined> {
    const messages = this.pending(frame);
    const first = messages.shift();
    this.outbox.push(...messages);
    return first;
  }

  /** Every message for `frame`, in send order, after any `serialize` left pending. */
  async serializeAll(frame: Frame): Promise<WireMessage[]> {
    return this.pending(frame);
  }

  /** An Exotel message to a frame, or `undefined`; never throws. */
  async deserialize(data: WireMessage): Promise<Frame | undefined> {
    try {
      const event = this.parse(data);
      return event === undefined ? undefined : this.toFrame(event);
    } catch (error) {
      this.warnOnce('internal-error', `[exotel] could not handle a message: ${String(error)}`);
      return undefined;
    }
  }

  private parse(data: WireMessage): ExotelInboundEvent | undefined {
    const inbound = parseInboundMessage(this.inboundSpec, data);
    if (inbound === undefined) return undefined;
    const streamSid =
      inbound.event === 'start'
        ? exotelStartIds(inbound).streamSid
        : inbound.event === 'connected'
          ? undefined
          : inbound.stream_sid;
    if (streamSid !== undefined && streamSid !== this.streamId) {
      // One socket carries one stream, so a different id is the carrier's (or a proxy's) slip, not
      // someone else's audio: say so once and keep the call's audio flowing, as Pipecat does.
      this.warnOnce(
        'foreign-stream',
        `[exotel] "${inbound.event}" names stream ${previewValue(streamSid)}, not this call's; decoding it anyway`,
      );
    }
    return inbound;
  }

  private pending(frame: Frame): WireMessage[] {
    // Audio waiting in the outbox was never sent: barge-in drops it along with the chunker's.
    if (frame?.type === 'interruption' || frame?.type === 'cancel') this.outbox.length = 0;
    const earlier = this.outbox.length === 0 ? EMPTY : this.outbox.splice(0);
    let now: WireMessage[];
    try {
      now = this.encode(frame);
    } catch (error) {
      this.warnOnce(
        'bad-frame',
        `[exotel] cannot serialize a ${previewValue(frame?.type)} frame: ${String(error)}`,
      );
      now = EMPTY;
    }
    return earlier.length === 0 ? now : [...earlier, ...now];
  }

  private encode(frame: Frame): WireMessage[] {
    switch (frame.type) {
      case 'output-audio':
        return this.chunker.push(this.toWireBytes(frame)).map((chunk) => this.media(chunk));
      case 'checkpoint':
        return [...this.flushAudio(), exotelMarkMessage(this.streamId, frame.name)];
      case 'interruption':
        this.chunker.clear();
        this.outputResampler?.reset();
        return [exotelClearMessage(this.streamId)];
      case 'end':
        // No hang-up: Exotel has none (see options.ts). The server closes the socket after this.
        return this.flushAudio();
      case 'cancel':
        this.chunker.clear();
        this.outputResampler?.reset();
        return EMPTY;
      case 'output-transport-message': {
        const text = JSON.stringify(frame.message);
        return text === undefined ? EMPTY : [text];
      }
      case 'output-dtmf':
        this.warnOnce('output-dtmf', '[exotel] output-dtmf is not supported by the Voicebot stream; dropped');
        return EMPTY;
      default:
        return EMPTY;
    }
  }

  private toFrame(event: ExotelInboundEvent): Frame | undefined {
    switch (event.event) {
      case 'media':
        return this.inputAudio(event.media.payload);
      case 'dtmf': {
        const digit = event.dtmf.digit.trim().toUpperCase();
        if (!isDtmfDigit(digit)) {
          this.warnOnce(
            'bad-digit',
            `[exotel] ignored a DTMF digit outside 0-9*#A-D: ${JSON.stringify(digit)}`,
          );
          return undefined;
        }
        return inputDtmfFrame(digit);
      }
      case 'mark':
        return checkpointReachedFrame(event.mark.name);
      case 'start': {
        const rate = Number(event.start.media_format?.sample_rate);
        if (isExotelSampleRate(rate) && rate !== this.wireRate) {
          this.logger.info(
            { streamSid: this.streamId, configured: this.wireRate, announced: rate },
            '[exotel] start announces a different sample rate; using the announced one',
          );
          this.wireRate = rate;
          if (this.pipelineRate !== undefined)
            this.inboundPcm = createInboundPcm(rate, this.pipelineRate, createStreamResampler);
          this.outputResampler = undefined;
        }
        return undefined;
      }
      case 'stop':
        this.logger.debug(
          { streamSid: this.streamId, reason: event.stop?.reason },
          '[exotel] stream stopped',
        );
        return undefined;
      default:
        return undefined;
    }
  }

  private inputAudio(payload: string): Frame | undefined {
    if (this.pipelineRate === undefined || this.inboundPcm === undefined) {
      this.warnOnce('before-setup', '[exotel] dropping media received before setup()');
      return undefined;
    }
    // Checked completely while decoding: standard padded base64 only (what z.base64() accepts).
    // The bytes are reused from frame to frame: `decode` below returns a new array the frame owns.
    const byteCount = base64ByteLength(payload);
    const decoded = byteCount === undefined ? undefined : this.wireBytes.take(byteCount);
    if (decoded === undefined || decodeBase64Into(payload, decoded) === undefined) {
      this.warnOnce('bad-base64', '[exotel] ignoring a media payload that is not standard padded base64');
      return undefined;
    }
    let bytes: Uint8Array = decoded;
    if (bytes.length % 2 !== 0) {
      this.warnOnce('odd-payload', '[exotel] media payload has an odd byte count; dropped its last byte');
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length === 0) {
      this.warnOnce('empty-payload', '[exotel] ignored a media message without audio');
      return undefined;
    }
    const audio = this.inboundPcm.decode(bytes, bytes.length / 2, l16LeToPcmInto);
    return audio.length === 0 ? undefined : inputAudioFrame(audio, this.pipelineRate);
  }

  private toWireBytes(frame: OutputAudioFrame): Uint8Array {
    if (this.outputResampler?.inRate !== frame.sampleRate) {
      this.outputResampler = createOutputResampler(frame.sampleRate, this.wireRate);
    }
    const pcm = this.outputResampler.process(downmix(frame));
    const bytes = this.outBytes.take(pcm.length * 2);
    pcmToL16LeInto(pcm, bytes);
    return bytes;
  }

  private flushAudio(): WireMessage[] {
    const tail = this.outputResampler?.flush();
    const ready = tail && tail.length > 0 ? this.chunker.push(pcmToL16Le(tail)) : [];
    return [...ready, ...this.chunker.flush()].map((chunk) => this.media(chunk));
  }

  /** The same text as `exotelMediaMessage(streamId, base64 of chunk)`. */
  private media(chunk: Uint8Array): string {
    const payload = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('base64');
    return this.mediaHead + payload + this.mediaTail;
  }
}

/** Mono samples of `frame`: interleaved channels averaged. */
function downmix(frame: OutputAudioFrame): Int16Array {
  const channels = frame.numChannels;
  if (channels === 1) return frame.audio;
  const mono = new Int16Array(frame.audio.length / channels);
  for (let i = 0; i < mono.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += frame.audio[i * channels + c]!;
    mono[i] = Math.round(sum / channels);
  }
  return mono;
}

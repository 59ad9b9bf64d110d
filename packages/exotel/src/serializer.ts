import { createStreamResampler, l16LeToPcm, pcmToL16Le, type StreamResampler } from '@callwire/codec';
import {
  type BatchingSerializer,
  type CallInfo,
  checkpointReachedFrame,
  createWarnOnce,
  type Frame,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  type Logger,
  type OutputAudioFrame,
  parseConfig,
  type StartFrame,
  type WireMessage,
} from '@callwire/core';
import { createExotelChunker, type ExotelChunker } from './chunker.js';
import {
  ExotelInbound,
  type ExotelInboundEvent,
  exotelClearMessage,
  exotelMarkMessage,
  exotelMediaMessage,
} from './events.js';
import {
  ExotelCallParamsSchema,
  type ExotelSampleRate,
  isExotelSampleRate,
  type ResolvedExotelCallParams,
  type ResolvedExotelOptions,
} from './options.js';

const EMPTY: WireMessage[] = [];

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
  readonly params: ResolvedExotelCallParams;
  private readonly streamSid: string;
  private readonly logger: Logger;
  private readonly warnOnce: ReturnType<typeof createWarnOnce>;
  private readonly chunker: ExotelChunker;
  /** Messages `serialize` could not return yet, oldest first. */
  private readonly outbox: WireMessage[] = [];
  private wireRate: ExotelSampleRate;
  private pipelineRate: number;
  private inputResampler: StreamResampler;
  private outputResampler?: StreamResampler;

  /** Throws `CallwireError('CONFIG')` naming each bad per-call param (e.g. `autoHangUp: true`). */
  constructor(call: CallInfo, options: ResolvedExotelOptions, logger: Logger) {
    this.params = parseConfig('exotel', 'call params', ExotelCallParamsSchema, call.params ?? {});
    this.streamSid = call.streamId;
    this.logger = logger;
    this.warnOnce = createWarnOnce(logger);
    this.chunker = createExotelChunker({ minChunkBytes: options.minChunkBytes });
    this.wireRate = this.params.exotelSampleRate;
    this.pipelineRate = this.params.sampleRate ?? this.wireRate;
    this.inputResampler = createStreamResampler(this.wireRate, this.pipelineRate);
  }

  /** Learns the pipeline rate (Hz) from `start` unless the `sampleRate` param fixed it. */
  async setup(start: StartFrame): Promise<void> {
    this.pipelineRate = this.params.sampleRate ?? start.audioInSampleRate;
    this.inputResampler = createStreamResampler(this.wireRate, this.pipelineRate);
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

  async deserialize(data: WireMessage): Promise<Frame | undefined> {
    if (typeof data !== 'string') {
      this.warnOnce('binary', '[exotel] ignored a binary message: Exotel sends JSON text');
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.warnOnce('bad-json', '[exotel] ignored a message that is not JSON');
      return undefined;
    }
    const parsed = ExotelInbound.safeParse(json);
    if (!parsed.success) {
      const event = (json as { event?: unknown } | null)?.event;
      const kind = typeof event === 'string' ? `bad-${event.slice(0, 32)}` : 'no-event';
      this.warnOnce(kind, `[exotel] ignored a malformed or unknown message (event ${JSON.stringify(event)})`);
      return undefined;
    }
    return this.toFrame(parsed.data);
  }

  private pending(frame: Frame): WireMessage[] {
    // Audio waiting in the outbox was never sent: barge-in drops it along with the chunker's.
    if (frame.type === 'interruption') this.outbox.length = 0;
    const earlier = this.outbox.splice(0);
    const now = this.encode(frame);
    return earlier.length === 0 ? now : [...earlier, ...now];
  }

  private encode(frame: Frame): WireMessage[] {
    switch (frame.type) {
      case 'output-audio':
        return this.chunker.push(this.toWireBytes(frame)).map((chunk) => this.media(chunk));
      case 'checkpoint':
        return [...this.flushAudio(), exotelMarkMessage(this.streamSid, frame.name)];
      case 'interruption':
        this.chunker.clear();
        this.outputResampler?.reset();
        return [exotelClearMessage(this.streamSid)];
      case 'end':
        // No hang-up: Exotel has none (see options.ts). The server closes the socket after this.
        return this.flushAudio();
      case 'cancel':
        this.chunker.clear();
        this.outputResampler?.reset();
        return EMPTY;
      case 'output-transport-message':
        return this.transportMessage(frame.message);
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
            { streamSid: this.streamSid, configured: this.wireRate, announced: rate },
            '[exotel] start announces a different sample rate; using the announced one',
          );
          this.wireRate = rate;
          this.inputResampler = createStreamResampler(rate, this.pipelineRate);
          this.outputResampler = undefined;
        }
        return undefined;
      }
      case 'stop':
        this.logger.debug(
          { streamSid: this.streamSid, reason: event.stop?.reason },
          '[exotel] stream stopped',
        );
        return undefined;
      default:
        return undefined;
    }
  }

  private inputAudio(payload: string): Frame | undefined {
    let bytes: Uint8Array = Buffer.from(payload, 'base64');
    if (bytes.length % 2 !== 0) {
      this.warnOnce('odd-payload', '[exotel] media payload has an odd byte count; dropped its last byte');
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length === 0) {
      this.warnOnce('empty-payload', '[exotel] ignored a media message without audio');
      return undefined;
    }
    const audio = this.inputResampler.process(l16LeToPcm(bytes));
    return audio.length === 0 ? undefined : inputAudioFrame(audio, this.pipelineRate);
  }

  private toWireBytes(frame: OutputAudioFrame): Uint8Array {
    if (this.outputResampler?.inRate !== frame.sampleRate) {
      this.outputResampler = createStreamResampler(frame.sampleRate, this.wireRate);
    }
    return pcmToL16Le(this.outputResampler.process(downmix(frame)));
  }

  private flushAudio(): WireMessage[] {
    const tail = this.outputResampler?.flush();
    const ready = tail && tail.length > 0 ? this.chunker.push(pcmToL16Le(tail)) : [];
    return [...ready, ...this.chunker.flush()].map((chunk) => this.media(chunk));
  }

  private media(chunk: Uint8Array): string {
    return exotelMediaMessage(
      this.streamSid,
      Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('base64'),
    );
  }

  private transportMessage(message: unknown): WireMessage[] {
    try {
      const text = JSON.stringify(message);
      return text === undefined ? EMPTY : [text];
    } catch {
      this.warnOnce(
        'bad-transport-message',
        '[exotel] dropped a transport message that is not JSON-serializable',
      );
      return EMPTY;
    }
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

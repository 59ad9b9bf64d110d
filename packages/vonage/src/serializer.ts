import { createStreamResampler, l16LeToPcm, pcmToL16Le, type StreamResampler } from '@callwire/codec';
import {
  type BatchingSerializer,
  type CallControl,
  checkpointReachedFrame,
  createWarnOnce,
  type Frame,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  type Logger,
  type OutputAudioFrame,
  type PcmResampler,
  parseInboundMessage,
  passThroughAtEqualRates,
  previewValue,
  type StartFrame,
  type WireMessage,
} from '@callwire/core';
import {
  VONAGE_INBOUND_EVENTS,
  VonageInbound,
  type VonageInboundEvent,
  vonageClearCommand,
  vonageNotifyCommand,
  vonageRateOf,
  withConnectedEvent,
} from './events.js';
import { createVonageFramer, type VonageFramer } from './framer.js';
import type { ResolvedVonageCallParams, VonageSampleRate } from './options.js';

/** What one call's serializer is built from (see `vonage`'s serializer factory). */
export interface VonageSerializerInit {
  readonly streamId: string;
  /** The call uuid; needed when `params.autoHangUp` is on (the factory checks). */
  readonly callId?: string;
  readonly params: ResolvedVonageCallParams;
  readonly control: CallControl;
  readonly logger: Logger;
}

const NOTHING: WireMessage[] = [];

function downmix(audio: Int16Array, numChannels: number): Int16Array {
  const frames = audio.length / numChannels;
  const mono = new Int16Array(frames);
  for (let frame = 0, offset = 0; frame < frames; frame++, offset += numChannels) {
    let sum = 0;
    for (let channel = 0; channel < numChannels; channel++) sum += audio[offset + channel]!;
    mono[frame] = Math.round(sum / numChannels);
  }
  return mono;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** `pcm` as L16 little-endian bytes: a view of it on little-endian hosts (the framer copies), else a copy. */
function l16LeBytesOf(pcm: Int16Array): Uint8Array {
  return LITTLE_ENDIAN_HOST ? new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength) : pcmToL16Le(pcm);
}

function concatBytes(frames: readonly Uint8Array[]): Uint8Array {
  if (frames.length === 1) return frames[0]!;
  const joined = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
  let offset = 0;
  for (const frame of frames) {
    joined.set(frame, offset);
    offset += frame.length;
  }
  return joined;
}

/**
 * One Vonage Voice API WebSocket: binary 20 ms frames of 16-bit little-endian PCM both ways, JSON
 * text for events and commands. Caller audio is resampled to the pipeline rate; outbound audio at
 * any rate is resampled to `vonageSampleRate` and cut into exact 20 ms frames, the remainder carried
 * to the next frame. `interruption` drops the remainder and sends `{"action":"clear"}`; `checkpoint`
 * sends `{"action":"notify","payload":{"name":...}}`, whose `websocket:notify` echo becomes
 * `checkpoint-reached`; `end`/`cancel` hang the call up over REST (once).
 *
 * `serializeAll` returns one binary message per 20 ms frame, as Vonage asks. `serialize` (one message
 * per frame) returns the same frames joined in one `Uint8Array` whose length is a whole number of frames.
 */
export class VonageFrameSerializer implements BatchingSerializer {
  readonly carrier = 'vonage';
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly params: ResolvedVonageCallParams;

  private readonly control: CallControl;
  private readonly logger: Logger;
  private readonly warnOnce: ReturnType<typeof createWarnOnce>;
  /** Wire rate, Hz: the params', or what `websocket:connected` announced. */
  private wireRate: VonageSampleRate;
  private framer: VonageFramer;
  /** Pipeline rate, Hz; unknown until `setup`. */
  private pipelineRate: number | undefined;
  private inputResampler: StreamResampler | undefined;
  private outputResampler: PcmResampler | undefined;
  private hangUpStarted = false;

  constructor(init: VonageSerializerInit) {
    this.streamId = init.streamId;
    this.callId = init.callId;
    this.params = init.params;
    this.control = init.control;
    this.logger = init.logger;
    this.warnOnce = createWarnOnce(init.logger);
    this.wireRate = init.params.vonageSampleRate;
    this.framer = createVonageFramer(this.wireRate);
  }

  /** Learns the pipeline rate: `params.sampleRate`, else `start.audioInSampleRate` (Hz). */
  async setup(start: StartFrame): Promise<void> {
    this.pipelineRate = this.params.sampleRate ?? start.audioInSampleRate;
    this.inputResampler = createStreamResampler(this.wireRate, this.pipelineRate);
  }

  /** The frame's messages in one: 20 ms frames joined into one `Uint8Array`, or one text command. */
  async serialize(frame: Frame): Promise<WireMessage | undefined> {
    // A checkpoint is one text command here: the carried-over audio (under 20 ms) stays for the
    // next frame instead of being flushed first, so the notify may come up to 20 ms early.
    if (frame.type === 'checkpoint') return vonageNotifyCommand(frame.name);
    const messages = await this.serializeAll(frame);
    if (messages.length <= 1) return messages[0];
    // Everything else yields either one text command or only binary frames.
    return concatBytes(messages as Uint8Array[]);
  }

  /** Every message for `frame`, in send order: one `Uint8Array` per 20 ms frame, commands as text. */
  async serializeAll(frame: Frame): Promise<WireMessage[]> {
    try {
      switch (frame.type) {
        case 'output-audio':
          return this.framer.push(this.toWireBytes(frame));
        case 'interruption':
          // Drop what the framer and resampler hold too, so nothing from before the barge-in plays.
          this.framer.clear();
          this.outputResampler?.reset();
          return [vonageClearCommand()];
        case 'checkpoint':
          return [...this.flushAudio(), vonageNotifyCommand(frame.name)];
        case 'end': {
          const tail = this.flushAudio();
          await this.hangUpOnce();
          return tail;
        }
        case 'cancel':
          this.framer.clear();
          this.outputResampler?.reset();
          await this.hangUpOnce();
          return NOTHING;
        case 'output-transport-message': {
          const text = JSON.stringify(frame.message);
          return text === undefined ? NOTHING : [text];
        }
        case 'output-dtmf':
          // The WebSocket has no command for it; the REST API's PUT /v1/calls/{uuid}/dtmf does.
          this.warnOnce('output-dtmf', '[vonage] output-dtmf is not supported on the WebSocket; dropped');
          return NOTHING;
        default:
          return NOTHING;
      }
    } catch (error) {
      this.warnOnce(
        'bad-frame',
        `[vonage] cannot serialize a ${previewValue(frame?.type)} frame: ${String(error)}`,
      );
      return NOTHING;
    }
  }

  /** Binary audio to `input-audio`, a text event to its frame, or `undefined`; never throws. */
  async deserialize(data: WireMessage): Promise<Frame | undefined> {
    try {
      if (data instanceof Uint8Array) return this.inputAudio(data);
      const event = this.parse(data);
      return event === undefined ? undefined : this.toFrame(event);
    } catch (error) {
      this.warnOnce('internal-error', `[vonage] could not handle a message: ${String(error)}`);
      return undefined;
    }
  }

  private parse(text: string): VonageInboundEvent | undefined {
    // The guide says other JSON messages "may be sent at any point in the call": unknown ones are
    // warned about once and ignored.
    return parseInboundMessage(
      {
        carrier: 'vonage',
        events: VONAGE_INBOUND_EVENTS,
        schema: VonageInbound,
        normalize: withConnectedEvent,
        warnOnce: this.warnOnce,
      },
      text,
    );
  }

  private toFrame(event: VonageInboundEvent): Frame | undefined {
    switch (event.event) {
      case 'websocket:dtmf': {
        const digit = String(event.digit ?? event.dtmf?.digit ?? '');
        if (!isDtmfDigit(digit)) {
          this.warnOnce(
            'bad-dtmf-digit',
            `[vonage] ignoring DTMF digit ${previewValue(digit)} (not 0-9 * # A-D)`,
          );
          return undefined;
        }
        return inputDtmfFrame(digit);
      }
      case 'websocket:notify': {
        const name = (event.payload as { name?: unknown } | undefined)?.name;
        if (typeof name !== 'string' || name === '') {
          this.logger.debug({ streamId: this.streamId }, '[vonage] notify without a checkpoint name');
          return undefined;
        }
        return checkpointReachedFrame(name);
      }
      case 'websocket:connected':
        this.onConnected(event['content-type']);
        return undefined;
      case 'websocket:cleared':
        this.logger.debug({ streamId: this.streamId }, '[vonage] playback buffer cleared');
        return undefined;
    }
  }

  private onConnected(contentType: string | undefined): void {
    const rate = vonageRateOf(contentType);
    if (rate === undefined) {
      if (contentType !== undefined) {
        this.warnOnce(
          'unsupported-format',
          `[vonage] websocket:connected announces ${previewValue(contentType)}; keeping ${this.wireRate} Hz`,
        );
      }
      return;
    }
    if (rate === this.wireRate) return;
    // The first message is authoritative for what Vonage sends and expects back.
    this.warnOnce(
      'rate-mismatch',
      `[vonage] content-type says ${rate} Hz, params say ${this.wireRate} Hz; using ${rate} Hz`,
    );
    this.wireRate = rate;
    this.framer = createVonageFramer(rate);
    this.outputResampler = undefined;
    if (this.pipelineRate !== undefined) this.inputResampler = createStreamResampler(rate, this.pipelineRate);
  }

  private inputAudio(bytes: Uint8Array): Frame | undefined {
    if (bytes.length === 0) return undefined;
    if (this.pipelineRate === undefined || this.inputResampler === undefined) {
      this.warnOnce('before-setup', '[vonage] dropping audio received before setup()');
      return undefined;
    }
    let whole = bytes;
    if (bytes.length % 2 !== 0) {
      this.warnOnce(
        'odd-audio',
        `[vonage] a ${bytes.length}-byte audio message is not whole samples; dropping its last byte`,
      );
      whole = bytes.subarray(0, bytes.length - 1);
      if (whole.length === 0) return undefined;
    }
    const audio = this.inputResampler.process(l16LeToPcm(whole));
    return audio.length === 0 ? undefined : inputAudioFrame(audio, this.pipelineRate);
  }

  private toWireBytes(frame: OutputAudioFrame): Uint8Array {
    if (frame.audio.length === 0) return new Uint8Array(0);
    const mono = frame.numChannels === 1 ? frame.audio : downmix(frame.audio, frame.numChannels);
    const parts: Int16Array[] = [];
    if (this.outputResampler === undefined || this.outputResampler.inRate !== frame.sampleRate) {
      // A new rate mid-call: finish the old stream (its last few samples) and start a new one.
      const tail = this.outputResampler?.flush();
      if (tail && tail.length > 0) parts.push(tail);
      // At equal rates, no resampler (and no copy): the framer copies what it keeps and sends.
      this.outputResampler = passThroughAtEqualRates(createStreamResampler)(frame.sampleRate, this.wireRate);
    }
    const pcm = this.outputResampler.process(mono);
    if (parts.length === 0) return l16LeBytesOf(pcm);
    parts.push(pcm);
    return concatBytes(parts.map((part) => pcmToL16Le(part)));
  }

  /** The resampler's tail and the carried-over bytes, as whole frames (the last padded with silence). */
  private flushAudio(): Uint8Array[] {
    const tail = this.outputResampler?.flush();
    const frames = tail && tail.length > 0 ? this.framer.push(pcmToL16Le(tail)) : [];
    const last = this.framer.flush();
    return last === undefined ? frames : [...frames, last];
  }

  private async hangUpOnce(): Promise<void> {
    if (!this.params.autoHangUp || this.hangUpStarted || this.callId === undefined) return;
    this.hangUpStarted = true;
    try {
      await this.control.hangUp(this.callId);
    } catch (error) {
      // CallControl never throws; a user-supplied one might.
      this.logger.error({ callId: this.callId }, `[vonage] hang-up threw: ${String(error)}`);
    }
  }
}

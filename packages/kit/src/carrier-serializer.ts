import { base64ByteLength, decodeBase64Into, dtmfTones } from '@callwire/codec';
import {
  CallwireError,
  createWarnOnce,
  type Frame,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  type Logger,
  type OutputAudioFrame,
  type StartFrame,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import type { CarrierDefinition, InboundCall, KitCallParams } from './definition.js';
import type { Framer } from './framer.js';
import { type InboundMessageSpec, parseInboundMessage, previewValue } from './inbound-message.js';
import { createInboundPcm, type InboundPcm } from './inbound-pcm.js';
import { MAX_BINARY_AUDIO_BYTES, MAX_MEDIA_PAYLOAD_CHARS, MAX_TEXT_MESSAGE_CHARS } from './limits.js';
import { PIPELINE_RATE_BOUNDS } from './option-fragments.js';
import { createOutputAudioConverter, type OutputAudioConverter } from './output-audio.js';
import { passThroughAtEqualRates } from './pass-through-resampler.js';
import { createScratchBytes } from './scratch-bytes.js';
import {
  bytesPerSample,
  decoderFor,
  encoderFor,
  resamplerFactoryFor,
  type WireFormat,
} from './wire-format.js';

const OUTPUT_DTMF = /^[0-9*#A-D]+$/;
/** Keys one in-band `output-dtmf` frame may carry (12.8 s of tones at 200 ms a key). */
const MAX_IN_BAND_DTMF_KEYS = 64;

/** What one call's serializer is made from. */
export interface CarrierCall<Options, Resolved, Params extends KitCallParams, Event, Session = undefined> {
  readonly definition: CarrierDefinition<Options, Resolved, Params, Event, Session>;
  readonly options: Resolved;
  readonly params: Params;
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly logger: Logger;
}

/**
 * One call's `WireSerializer` for a declared carrier: the skeleton every carrier shares, once.
 * Inbound: size limits, JSON and schema validation (fast path first), the foreign-stream policy, then
 * the carrier's mapping, with base64, audio and DTMF guards and PCM at the pipeline rate. Outbound:
 * downmix and resampling to the wire rate, encoding, the carrier's framing, and its builders.
 */
export function createCarrierSerializer<Options, Resolved, Params extends KitCallParams, Event, Session>(
  call: CarrierCall<Options, Resolved, Params, Event, Session>,
): WireSerializer {
  const { definition, params, streamId, callId, logger } = call;
  const { name: carrier, inbound } = definition;
  const warnOnce = createWarnOnce(logger);
  const warn = (kind: string, message: string) => warnOnce(kind, `[${carrier}] ${message}`);
  // Made first, so inbound and outbound share one object from the start of the call.
  const session = definition.session
    ? definition.session({ streamId, callId, params, options: call.options, warn, logger })
    : (undefined as Session);
  // The kind of the last text message the parser refused, for the carrier's `refused` hook.
  let refusal: string | undefined;

  let outboundFormat: WireFormat = definition.wireFormat(params, call.options);
  let inboundFormat: WireFormat = definition.inboundWireFormat?.(params, call.options) ?? outboundFormat;
  let pipelineRate: number | undefined;
  let inboundPcm: InboundPcm | undefined;
  let output: OutputAudioConverter = outputConverterFor(outboundFormat);
  let encode = encoderFor(outboundFormat.encoding);
  let framer: Framer | undefined = definition.framer?.(outboundFormat, params, call.options);
  // Bytes pushed into the framer and not yet out of it (its `push` regroups bytes; only `flush` pads).
  // Anything but 0 (a framer that pads in `push` too) counts as holding.
  let framerHeldBytes = 0;
  let replySink: ((message: WireMessage) => void) | undefined;
  // Reused from frame to frame: bytes decoded on their way to PCM, and PCM encoded on its way out.
  const wireBytes = createScratchBytes();
  const outBytes = createScratchBytes();

  const messageSpec: InboundMessageSpec<Event> = {
    carrier,
    events: inbound.events,
    schema: inbound.schema,
    maxChars: inbound.maxTextChars ?? MAX_TEXT_MESSAGE_CHARS,
    warnOnce: (kind, message) => {
      refusal = kind;
      warnOnce(kind, message);
    },
    ...(inbound.eventKey !== undefined ? { eventKey: inbound.eventKey } : {}),
    ...(inbound.normalize !== undefined ? { normalize: inbound.normalize } : {}),
    ...(inbound.plainText !== undefined ? { plainText: inbound.plainText } : {}),
    ...(inbound.fastPath !== undefined ? { fastPath: inbound.fastPath } : {}),
  };

  function outputConverterFor(format: WireFormat): OutputAudioConverter {
    // At equal rates no resampler and no copy: the samples are encoded to wire bytes at once.
    return createOutputAudioConverter(
      format.sampleRate,
      passThroughAtEqualRates(resamplerFactoryFor(format.encoding)),
    );
  }

  function inboundPcmFor(format: WireFormat, rate: number): InboundPcm {
    return createInboundPcm(format.sampleRate, rate, resamplerFactoryFor(format.encoding));
  }

  const outbound = definition.outbound({
    streamId,
    callId,
    params,
    session,
    get wireFormat() {
      return outboundFormat;
    },
  });

  function audioFromBytes(bytes: Uint8Array): Frame | undefined {
    if (pipelineRate === undefined || inboundPcm === undefined) {
      warn('before-setup', 'dropping audio received before setup()');
      return undefined;
    }
    let whole = bytes;
    if (bytesPerSample(inboundFormat.encoding) === 2 && bytes.length % 2 !== 0) {
      warn('odd-audio', `a ${bytes.length}-byte L16 payload is not whole samples; dropping its last byte`);
      whole = bytes.subarray(0, bytes.length - 1);
    }
    if (whole.length === 0) return undefined;
    const sampleCount = whole.length / bytesPerSample(inboundFormat.encoding);
    const audio = inboundPcm.decode(whole, sampleCount, decoderFor(inboundFormat.encoding));
    return audio.length === 0 ? undefined : inputAudioFrame(audio, pipelineRate);
  }

  const inboundCall: InboundCall<Params, Session> = {
    streamId,
    callId,
    params,
    session,
    logger,
    get wireFormat() {
      return inboundFormat;
    },
    warn,
    audioFromBase64(payload) {
      if (payload.length === 0) return undefined;
      if (payload.length > MAX_MEDIA_PAYLOAD_CHARS) {
        warn(
          'oversized-media',
          `ignoring a ${payload.length}-character media payload (limit ${MAX_MEDIA_PAYLOAD_CHARS})`,
        );
        return undefined;
      }
      if (pipelineRate === undefined) {
        warn('before-setup', 'dropping audio received before setup()');
        return undefined;
      }
      const byteCount = base64ByteLength(payload);
      // Reused from frame to frame: `audioFromBytes` returns a new array the frame owns.
      const bytes = byteCount === undefined ? undefined : wireBytes.take(byteCount);
      if (bytes === undefined || decodeBase64Into(payload, bytes) === undefined) {
        warn('bad-base64', 'ignoring a media payload that is not standard padded base64');
        return undefined;
      }
      return audioFromBytes(bytes);
    },
    audioFromBytes,
    dtmf(digit) {
      if (!isDtmfDigit(digit)) {
        warn('bad-dtmf-digit', `ignoring DTMF digit ${previewValue(digit)} (not 0-9 * # A-D)`);
        return undefined;
      }
      return inputDtmfFrame(digit);
    },
    setWireFormat(format, direction) {
      inboundFormat = format;
      if (pipelineRate !== undefined) inboundPcm = inboundPcmFor(format, pipelineRate);
      if (direction === 'both') {
        outboundFormat = format;
        output = outputConverterFor(format);
        encode = encoderFor(format.encoding);
        framer = definition.framer?.(format, params, call.options);
        framerHeldBytes = 0;
      }
    },
    reply(message) {
      if (replySink) replySink(message);
      else warn('reply-dropped', 'a protocol reply was dropped: deserialize() was given no reply function');
    },
  };

  function parse(data: WireMessage): Event | undefined {
    refusal = undefined;
    const event = parseInboundMessage(messageSpec, data);
    if (event === undefined) {
      if (refusal !== undefined) inbound.refused?.(refusal, inboundCall);
      return undefined;
    }
    const named = inbound.streamIdOf?.(event);
    if (named !== undefined && named !== streamId) {
      // One socket carries one stream, so a different id is the carrier's (or a proxy's) slip, not
      // someone else's audio: say so once and keep the call's audio flowing, as Pipecat does.
      const kind = (event as Record<string, unknown>)[inbound.eventKey ?? 'event'];
      warn(
        'foreign-stream',
        `"${String(kind)}" names stream ${previewValue(named)}, not this call's; decoding it anyway`,
      );
    }
    return event;
  }

  function framesOf(data: WireMessage): Frame[] {
    if (typeof data !== 'string' && inbound.binary === 'audio') {
      if (data.byteLength > MAX_BINARY_AUDIO_BYTES) {
        warn(
          'oversized',
          `ignoring a ${data.byteLength}-byte audio message (limit ${MAX_BINARY_AUDIO_BYTES})`,
        );
        return [];
      }
      if (inbound.audio) return asFrameList(inbound.audio(data, inboundCall));
      const frame = audioFromBytes(data);
      return frame === undefined ? [] : [frame];
    }
    const event = parse(data);
    if (event === undefined) return [];
    return asFrameList(inbound.toFrames(event, inboundCall));
  }

  function encodedAudio(frame: OutputAudioFrame): WireMessage[] {
    if (frame.audio.length === 0) return [];
    return wireMessagesOf(output.convert(frame));
  }

  function wireMessagesOf(pcm: Int16Array): WireMessage[] {
    if (pcm.length === 0) return [];
    const bytes = outBytes.take(pcm.length * bytesPerSample(outboundFormat.encoding));
    encode(pcm, bytes);
    if (framer === undefined) return [outbound.media(bytes)];
    framerHeldBytes += bytes.length;
    return framer.push(bytes).map((chunk) => {
      framerHeldBytes -= chunk.length;
      return outbound.media(asBuffer(chunk));
    });
  }

  /**
   * Keypad tones in the outbound audio, for a carrier with no DTMF message of its own: the resampler's
   * tail first (so the tones follow what was said before them), then codec's `dtmfTones` at the wire
   * rate, encoded like any audio. They are queued behind earlier audio, and an interruption clears them.
   */
  function inBandDtmf(digits: string): WireMessage[] {
    if (digits.length > MAX_IN_BAND_DTMF_KEYS) {
      warn(
        'long-output-dtmf',
        `output DTMF of ${digits.length} keys (limit ${MAX_IN_BAND_DTMF_KEYS}); dropped`,
      );
      return [];
    }
    const tail = output.flush();
    const tones = dtmfTones(digits, outboundFormat.sampleRate);
    if (tail.length === 0) return wireMessagesOf(tones);
    const pcm = new Int16Array(tail.length + tones.length);
    pcm.set(tail);
    pcm.set(tones, tail.length);
    return wireMessagesOf(pcm);
  }

  /** With a framer, what it and the resampler hold, as whole chunks; without one, nothing is held. */
  function heldAudio(): WireMessage[] {
    if (framer === undefined) return [];
    const tail = wireMessagesOf(output.flush());
    const rest = framer.flush().map((chunk) => outbound.media(asBuffer(chunk)));
    framerHeldBytes = 0;
    return tail.length === 0 ? rest : [...tail, ...rest];
  }

  function dropHeldAudio(): void {
    output.reset();
    framer?.clear();
    framerHeldBytes = 0;
  }

  function messagesOf(frame: Frame): WireMessage[] {
    switch (frame.type) {
      case 'output-audio':
        return encodedAudio(frame);
      case 'interruption':
        // Drop what the resampler and framer hold too, so nothing from before the barge-in is played.
        dropHeldAudio();
        return outbound.clear ? [outbound.clear()] : [];
      case 'checkpoint': {
        if (!outbound.checkpoint) return [];
        const mark = outbound.checkpoint(frame.name);
        // Flushing cuts the stream (the resampler starts afresh, the last chunk is padded): only where
        // the framer holds part of a chunk. With nothing held the stream goes on unbroken, so a carrier
        // marked every 100 ms (call.play) gets no click at each mark; what the resampler still owes
        // (under a millisecond) follows the mark, as on a carrier with no framer.
        const held = framerHeldBytes === 0 ? [] : heldAudio();
        return held.length === 0 ? [mark] : [...held, mark];
      }
      case 'output-dtmf':
        if (typeof frame.digits !== 'string' || !OUTPUT_DTMF.test(frame.digits)) {
          warn('bad-output-dtmf', `output DTMF ${previewValue(frame.digits)} is not 0-9 * # A-D; dropped`);
          return [];
        }
        if (outbound.dtmf) return [outbound.dtmf(frame.digits)];
        return inBandDtmf(frame.digits);
      case 'output-transport-message': {
        if (outbound.transportMessage) return [...outbound.transportMessage(frame.message)];
        const text = JSON.stringify(frame.message);
        return text === undefined ? [] : [text];
      }
      case 'end': {
        const held = heldAudio();
        const last = outbound.end?.() ?? [];
        return last.length === 0 ? held : [...held, ...last];
      }
      case 'cancel':
        dropHeldAudio();
        return [...(outbound.end?.() ?? [])];
      default:
        return [];
    }
  }

  /**
   * Caller audio to the pipeline `rate` (Hz). A rate the codec cannot resample to from the wire rate
   * (out of bounds, or a ratio needing too many filter phases) is a `CONFIG` error naming `field`.
   */
  function pipelinePcm(field: string, rate: number): InboundPcm {
    const { min, max } = PIPELINE_RATE_BOUNDS;
    if (!Number.isInteger(rate) || rate < min || rate > max) {
      throw new CallwireError(
        'CONFIG',
        `[${carrier}] ${field} must be an integer number of Hz in ${min}..${max}`,
      );
    }
    try {
      // The outbound direction uses the same pair of rates, so checking one direction checks both.
      return inboundPcmFor(inboundFormat, rate);
    } catch (error) {
      throw new CallwireError(
        'CONFIG',
        `[${carrier}] ${field}: ${rate} Hz cannot be resampled from ${inboundFormat.sampleRate} Hz (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
  }

  // A pipeline rate given in the params is checked now, at creation, never later in the call.
  if (params.sampleRate !== undefined) {
    pipelineRate = params.sampleRate;
    inboundPcm = pipelinePcm('invalid call params: sampleRate', params.sampleRate);
  }

  return {
    carrier,
    streamId,
    callId,
    autoHangUp: params.autoHangUp && callId !== undefined,
    get audioFormat() {
      return {
        wireEncoding: inboundFormat.encoding,
        wireSampleRate: inboundFormat.sampleRate,
        pipelineSampleRate: pipelineRate,
      };
    },
    setup(start: StartFrame) {
      if (params.sampleRate !== undefined) return;
      pipelineRate = start.audioInSampleRate;
      inboundPcm = pipelinePcm('invalid start: audioInSampleRate', start.audioInSampleRate);
    },
    serialize(frame) {
      try {
        const messages = messagesOf(frame);
        return outbound.gate ? outbound.gate(messages, frame) : messages;
      } catch (error) {
        warn('bad-frame', `cannot serialize a ${previewValue(frame?.type)} frame: ${String(error)}`);
        return [];
      }
    },
    deserialize(data, reply) {
      replySink = reply;
      try {
        return framesOf(data);
      } catch (error) {
        warn('internal-error', `could not handle a message: ${String(error)}`);
        return [];
      } finally {
        replySink = undefined;
      }
    },
  };
}

function asFrameList(frames: Frame | readonly Frame[] | undefined): Frame[] {
  if (frames === undefined) return [];
  return Array.isArray(frames) ? [...frames] : [frames as Frame];
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

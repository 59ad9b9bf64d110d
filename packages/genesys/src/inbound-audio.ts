import { createStreamResampler, l16LeToPcm, mulawDecode, type StreamResampler } from '@callwire/codec';
import { type Frame, inputAudioFrame } from '@callwire/core';
import { G711_ATTENUATION_DB, type InboundCall } from '@callwire/kit';
import { deinterleaveChannel, genesysBytesPerSample } from './media.js';
import type { ResolvedGenesysCallParams } from './options.js';
import type { GenesysSession } from './session.js';

/** The internal channel's own decoder to the pipeline rate (the kit's decodes the external one). */
interface InternalChannel {
  readonly pipelineRate: number;
  readonly resampler: StreamResampler | undefined;
}

const internalChannels = new WeakMap<GenesysSession, InternalChannel>();

function internalChannelOf(session: GenesysSession, pipelineRate: number, l16: boolean): InternalChannel {
  const known = internalChannels.get(session);
  if (known !== undefined && known.pipelineRate === pipelineRate) return known;
  // The same filter the kit uses for the external channel, so both give the same number of samples.
  const resampler =
    pipelineRate === 8000
      ? undefined
      : createStreamResampler(8000, pipelineRate, l16 ? {} : { attenuationDb: G711_ATTENUATION_DB });
  const made = { pipelineRate, resampler };
  internalChannels.set(session, made);
  return made;
}

/**
 * The frames one binary message of Genesys audio yields: mono audio as it is; the external channel of
 * interleaved stereo (wherever `opened` put it); with `inboundChannels: 'both'`, one stereo frame
 * (external = channel 0, internal = channel 1). Audio still in flight after we sent `disconnect` is
 * decoded (Genesys stops sending once it runs its close transaction); audio after `closed` is dropped.
 */
export function genesysAudioFrames(
  bytes: Uint8Array,
  call: InboundCall<ResolvedGenesysCallParams, GenesysSession>,
): Frame | undefined {
  const { session } = call;
  if (session.state === 'closed') return undefined;
  const media = session.media;
  if (session.state !== 'new' && media === undefined) {
    call.warn('no-media', 'dropping audio: no audio format was agreed in opened');
    return undefined;
  }
  const channels = media?.channels ?? ['external'];
  if (channels.length === 1) return call.audioFromBytes(bytes);
  const width = genesysBytesPerSample(media);
  const externalIndex = channels.indexOf('external');
  const external = call.audioFromBytes(deinterleaveChannel(bytes, channels.length, externalIndex, width));
  if (call.params.inboundChannels !== 'both' || external?.type !== 'input-audio') return external;
  const internalBytes = deinterleaveChannel(bytes, channels.length, 1 - externalIndex, width);
  const internalAt8k = width === 2 ? l16LeToPcm(internalBytes) : mulawDecode(internalBytes);
  const { resampler } = internalChannelOf(session, external.sampleRate, width === 2);
  const internal = resampler ? resampler.process(internalAt8k) : internalAt8k;
  const length = Math.min(external.audio.length, internal.length);
  const stereo = new Int16Array(length * 2);
  for (let index = 0; index < length; index++) {
    stereo[index * 2] = external.audio[index] as number;
    stereo[index * 2 + 1] = internal[index] as number;
  }
  return length === 0 ? undefined : inputAudioFrame(stereo, external.sampleRate, 2);
}

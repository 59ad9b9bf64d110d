import type { RealtimeSessionConfig } from '@openai/agents-realtime';
import { type ModelAudioEncoding, sessionAudioFormat } from './model-audio.js';

/** Keys of the SDK's deprecated (beta) session config; when one is set, the SDK reads that shape. */
const LEGACY_KEYS = [
  'modalities',
  'inputAudioFormat',
  'outputAudioFormat',
  'inputAudioTranscription',
  'turnDetection',
  'inputAudioNoiseReduction',
  'speed',
] as const;

/**
 * `config` with the model's input and output audio formats set to the call's: the call's audio path
 * decides them, so a format given in `config` is replaced (another one would play as noise). Keeps
 * the config's shape, GA (`audio.input.format`) or deprecated (`inputAudioFormat`).
 */
export function withCallAudio(
  config: Partial<RealtimeSessionConfig> | undefined,
  encoding: ModelAudioEncoding,
): Partial<RealtimeSessionConfig> {
  const base = (config ?? {}) as Record<string, unknown>;
  if (LEGACY_KEYS.some((key) => base[key] !== undefined)) {
    const legacy = encoding === 'pcmu' ? 'g711_ulaw' : 'pcm16';
    return { ...base, inputAudioFormat: legacy, outputAudioFormat: legacy } as Partial<RealtimeSessionConfig>;
  }
  const format = sessionAudioFormat(encoding);
  const audio = (base.audio ?? {}) as { input?: object; output?: object };
  return {
    ...base,
    audio: { ...audio, input: { ...audio.input, format }, output: { ...audio.output, format } },
  } as Partial<RealtimeSessionConfig>;
}

import { type Frame, isDtmfDigit } from '@callwire/core';

const positiveInteger = (value: unknown): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

/**
 * Why `value` is not a well-formed frame a carrier may emit from `deserialize`, or `undefined` when it
 * is one. Checks the structure, not the factories: a hand-built frame with a bad field is caught.
 * `pipelineRate` (Hz), when given, is the rate input audio must be at.
 */
export function inboundFrameProblem(value: unknown, pipelineRate?: number): string | undefined {
  if (value === null || typeof value !== 'object') return `not an object: ${String(value)}`;
  const frame = value as Partial<Record<string, unknown>>;
  switch (frame.type) {
    case 'input-audio': {
      if (!(frame.audio instanceof Int16Array)) return 'input-audio: audio is not an Int16Array';
      if (!positiveInteger(frame.sampleRate))
        return `input-audio: bad sampleRate ${String(frame.sampleRate)}`;
      if (pipelineRate !== undefined && frame.sampleRate !== pipelineRate) {
        return `input-audio: sampleRate ${String(frame.sampleRate)} Hz, expected the pipeline rate ${pipelineRate} Hz`;
      }
      if (!positiveInteger(frame.numChannels))
        return `input-audio: bad numChannels ${String(frame.numChannels)}`;
      if (frame.audio.length % (frame.numChannels as number) !== 0) {
        return 'input-audio: audio length is not a multiple of numChannels';
      }
      if (frame.audio.length === 0) return 'input-audio: empty audio (return undefined instead)';
      return undefined;
    }
    case 'input-dtmf':
      return isDtmfDigit(frame.digit) ? undefined : `input-dtmf: bad digit ${JSON.stringify(frame.digit)}`;
    case 'checkpoint-reached':
      return typeof frame.name === 'string' && frame.name.length > 0
        ? undefined
        : `checkpoint-reached: bad name ${JSON.stringify(frame.name)}`;
    case 'start':
      return positiveInteger(frame.audioInSampleRate) && positiveInteger(frame.audioOutSampleRate)
        ? undefined
        : 'start: bad sample rates';
    case 'end':
    case 'cancel':
    case 'interruption':
      return undefined;
    default:
      return `not a frame a carrier emits: type ${JSON.stringify(frame.type)}`;
  }
}

/** True when `value` is `undefined` or a well-formed inbound frame (see `inboundFrameProblem`). */
export function isAcceptableDeserializeResult(
  value: unknown,
  pipelineRate?: number,
): value is Frame | undefined {
  return value === undefined || inboundFrameProblem(value, pipelineRate) === undefined;
}

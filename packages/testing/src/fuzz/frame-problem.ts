import { isDtmfDigit } from '@callwire/core';

const positiveInteger = (value: unknown): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

function audioProblem(frame: Partial<Record<string, unknown>>, pipelineRate: number | undefined) {
  const { audio, sampleRate, numChannels } = frame;
  if (!(audio instanceof Int16Array)) return 'input-audio: audio is not an Int16Array';
  if (!positiveInteger(sampleRate))
    return `input-audio: sampleRate ${String(sampleRate)} is not a positive integer`;
  if (pipelineRate !== undefined && sampleRate !== pipelineRate) {
    return `input-audio: sampleRate ${String(sampleRate)} Hz, expected the pipeline rate ${pipelineRate} Hz`;
  }
  if (!positiveInteger(numChannels)) {
    return `input-audio: numChannels ${String(numChannels)} is not a positive integer`;
  }
  if (audio.length % (numChannels as number) !== 0)
    return 'input-audio: audio length is not a multiple of numChannels';
  if (audio.length === 0) return 'input-audio: empty audio (yield no frame instead)';
  return undefined;
}

/**
 * Why `value` is not a well-formed frame a carrier may yield from `deserialize`, or `undefined` when
 * it is one. Checks the structure, not the factories, so a hand-built frame with a bad field is caught:
 * a plain object of an inbound type (`input-audio`, `input-dtmf`, `checkpoint-reached`, `start`, `end`,
 * `cancel`, `interruption`) with fields of the right types and ranges. `pipelineRate` (Hz), when
 * given, is the rate input audio must be at. The one validator of the suite and the fuzzer.
 */
export function inboundFrameProblem(value: unknown, pipelineRate?: number): string | undefined {
  if (value === null || typeof value !== 'object') return `not an object: ${String(value)}`;
  if (Object.getPrototypeOf(value) !== Object.prototype) return 'not a plain object';
  const frame = value as Partial<Record<string, unknown>>;
  switch (frame.type) {
    case 'input-audio':
      return audioProblem(frame, pipelineRate);
    case 'input-dtmf':
      return isDtmfDigit(frame.digit)
        ? undefined
        : `input-dtmf: invalid DTMF digit ${JSON.stringify(frame.digit)}`;
    case 'checkpoint-reached':
      return typeof frame.name === 'string' && frame.name.length > 0
        ? undefined
        : `checkpoint-reached: name ${JSON.stringify(frame.name)} is not a non-empty string`;
    case 'start':
      return positiveInteger(frame.audioInSampleRate) && positiveInteger(frame.audioOutSampleRate)
        ? undefined
        : 'start: sample rates are not positive integers';
    case 'end':
    case 'cancel':
    case 'interruption':
      return undefined;
    default:
      return `not a frame a carrier yields: type ${JSON.stringify(frame.type)}`;
  }
}

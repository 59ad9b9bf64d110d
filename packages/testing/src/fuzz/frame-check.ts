import { isDtmfDigit } from '@callwire/core';

function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function audioProblem(frame: Record<string, unknown>): string | undefined {
  const audio = frame.audio;
  if (!(audio instanceof Int16Array)) return 'audio is not an Int16Array';
  if (!isPositiveInteger(frame.sampleRate))
    return `sampleRate ${String(frame.sampleRate)} is not a positive integer`;
  if (!isPositiveInteger(frame.numChannels)) {
    return `numChannels ${String(frame.numChannels)} is not a positive integer`;
  }
  if (audio.length % (frame.numChannels as number) !== 0)
    return 'audio length is not a multiple of numChannels';
  return undefined;
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Why `value` is not a structurally valid `Frame` (known `type`, fields of the right types and ranges),
 * or `undefined` when it is one. Used by the fuzzer on whatever `deserialize` returns.
 */
export function describeInvalidFrame(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `not an object: ${typeof value}`;
  if (Object.getPrototypeOf(value) !== Object.prototype) return 'not a plain object';
  const frame = value as Record<string, unknown>;
  switch (frame.type) {
    case 'start':
      if (!isPositiveInteger(frame.audioInSampleRate) || !isPositiveInteger(frame.audioOutSampleRate)) {
        return 'start rates are not positive integers';
      }
      return undefined;
    case 'end':
    case 'cancel':
    case 'interruption':
      return undefined;
    case 'input-audio':
    case 'output-audio':
      return audioProblem(frame);
    case 'input-dtmf':
      return isDtmfDigit(frame.digit) ? undefined : `invalid DTMF digit ${JSON.stringify(frame.digit)}`;
    case 'output-dtmf':
      return typeof frame.digits === 'string' &&
        frame.digits.length > 0 &&
        [...frame.digits].every(isDtmfDigit)
        ? undefined
        : `invalid DTMF digits ${JSON.stringify(frame.digits)}`;
    case 'checkpoint':
    case 'checkpoint-reached':
      return nonEmptyString(frame.name) ? undefined : 'checkpoint name is not a non-empty string';
    case 'output-transport-message':
      return frame.message !== undefined && typeof frame.urgent === 'boolean'
        ? undefined
        : 'transport message without message or urgent flag';
    default:
      return `unknown frame type ${JSON.stringify(frame.type)}`;
  }
}

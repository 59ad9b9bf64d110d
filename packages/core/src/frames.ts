import type { DtmfDigit } from './dtmf.js';
import { isDtmfDigit } from './dtmf.js';
import { CallwireError } from './errors.js';

/** Starts a pipeline: the rates (Hz) the application works at. */
export interface StartFrame {
  readonly type: 'start';
  readonly audioInSampleRate: number;
  readonly audioOutSampleRate: number;
}

/** The conversation ended normally; the carrier hangs up. */
export interface EndFrame {
  readonly type: 'end';
}

/** The conversation was cancelled; the carrier hangs up. */
export interface CancelFrame {
  readonly type: 'cancel';
}

/** The caller barged in: drop audio that is queued for playback. */
export interface InterruptionFrame {
  readonly type: 'interruption';
}

interface AudioFields {
  /** Mono or interleaved 16-bit PCM. */
  readonly audio: Int16Array;
  /** Hz. */
  readonly sampleRate: number;
  readonly numChannels: number;
}

/** Audio heard from the caller, at the pipeline rate. */
export interface InputAudioFrame extends AudioFields {
  readonly type: 'input-audio';
}

/** Audio to play to the caller, at any rate (the serializer resamples). */
export interface OutputAudioFrame extends AudioFields {
  readonly type: 'output-audio';
}

/** A key the caller pressed. */
export interface InputDtmfFrame {
  readonly type: 'input-dtmf';
  readonly digit: DtmfDigit;
}

/** Keys to play to the far end (e.g. to drive a remote IVR). */
export interface OutputDtmfFrame {
  readonly type: 'output-dtmf';
  readonly digits: string;
}

/** Ask the carrier to report when all audio sent before this point has been played. */
export interface CheckpointFrame {
  readonly type: 'checkpoint';
  readonly name: string;
}

/** The carrier played everything up to the checkpoint called `name`. */
export interface CheckpointReachedFrame {
  readonly type: 'checkpoint-reached';
  readonly name: string;
}

/** A raw carrier message the application wants sent as JSON. */
export interface TransportMessageFrame {
  readonly type: 'output-transport-message';
  readonly message: unknown;
  readonly urgent: boolean;
}

export type Frame =
  | StartFrame
  | EndFrame
  | CancelFrame
  | InterruptionFrame
  | InputAudioFrame
  | OutputAudioFrame
  | InputDtmfFrame
  | OutputDtmfFrame
  | CheckpointFrame
  | CheckpointReachedFrame
  | TransportMessageFrame;

export type FrameType = Frame['type'];

function invalid(message: string): CallwireError {
  return new CallwireError('INVALID_FRAME', message);
}

function checkSampleRate(sampleRate: number, field: string): void {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw invalid(`${field} must be a positive integer (Hz), got ${String(sampleRate)}`);
  }
}

function audioFields(audio: Int16Array, sampleRate: number, numChannels: number): AudioFields {
  if (!(audio instanceof Int16Array)) {
    throw invalid('audio must be an Int16Array of 16-bit PCM samples');
  }
  checkSampleRate(sampleRate, 'sampleRate');
  if (!Number.isInteger(numChannels) || numChannels <= 0) {
    throw invalid(`numChannels must be a positive integer, got ${String(numChannels)}`);
  }
  if (audio.length % numChannels !== 0) {
    throw invalid(`audio length ${audio.length} is not a multiple of numChannels ${numChannels}`);
  }
  return { audio, sampleRate, numChannels };
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalid('checkpoint name must be a non-empty string');
  }
}

/** Rates in Hz; `audioOutSampleRate` defaults to `audioInSampleRate`. */
export function startFrame(options: { audioInSampleRate: number; audioOutSampleRate?: number }): StartFrame {
  const audioInSampleRate = options.audioInSampleRate;
  const audioOutSampleRate = options.audioOutSampleRate ?? audioInSampleRate;
  checkSampleRate(audioInSampleRate, 'audioInSampleRate');
  checkSampleRate(audioOutSampleRate, 'audioOutSampleRate');
  return { type: 'start', audioInSampleRate, audioOutSampleRate };
}

export function endFrame(): EndFrame {
  return { type: 'end' };
}

export function cancelFrame(): CancelFrame {
  return { type: 'cancel' };
}

export function interruptionFrame(): InterruptionFrame {
  return { type: 'interruption' };
}

/** Caller audio: 16-bit PCM at `sampleRate` Hz. */
export function inputAudioFrame(audio: Int16Array, sampleRate: number, numChannels = 1): InputAudioFrame {
  return { type: 'input-audio', ...audioFields(audio, sampleRate, numChannels) };
}

/** Audio to play: 16-bit PCM at `sampleRate` Hz. */
export function outputAudioFrame(audio: Int16Array, sampleRate: number, numChannels = 1): OutputAudioFrame {
  return { type: 'output-audio', ...audioFields(audio, sampleRate, numChannels) };
}

/** A keypad press; throws `INVALID_FRAME` for anything but `0-9 * # A B C D`. */
export function inputDtmfFrame(digit: string): InputDtmfFrame {
  if (!isDtmfDigit(digit)) {
    throw invalid(`DTMF digit must be one of 0-9 * # A B C D, got ${JSON.stringify(digit)}`);
  }
  return { type: 'input-dtmf', digit };
}

/** One or more keys to send; each must be `0-9 * # A B C D`. */
export function outputDtmfFrame(digits: string): OutputDtmfFrame {
  if (typeof digits !== 'string' || digits.length === 0 || ![...digits].every(isDtmfDigit)) {
    throw invalid(`DTMF digits must be a non-empty string of 0-9 * # A B C D, got ${JSON.stringify(digits)}`);
  }
  return { type: 'output-dtmf', digits };
}

export function checkpointFrame(name: string): CheckpointFrame {
  checkName(name);
  return { type: 'checkpoint', name };
}

export function checkpointReachedFrame(name: string): CheckpointReachedFrame {
  checkName(name);
  return { type: 'checkpoint-reached', name };
}

/** A message the serializer sends as `JSON.stringify(message)`. */
export function transportMessageFrame(
  message: unknown,
  options: { urgent?: boolean } = {},
): TransportMessageFrame {
  if (message === undefined) {
    throw invalid('transport message must not be undefined');
  }
  return { type: 'output-transport-message', message, urgent: options.urgent ?? false };
}

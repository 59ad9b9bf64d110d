import { mulawDecode, mulawEncode } from '@callwire/codec';
import { inputAudioFrame } from '@callwire/core';
import { fitTone, tone } from '@callwire/testing/audio';
import { describe, expect, it } from 'vitest';
import { chooseModelAudio, createModelInput, createModelOutput } from './model-audio.js';

describe('chooseModelAudio', () => {
  const mulaw8k = { wireEncoding: 'mulaw', wireSampleRate: 8000, pipelineSampleRate: 8000 } as const;
  it('passes mu-law through only when the wire is 8 kHz mu-law and the pipeline 8 kHz', () => {
    expect(chooseModelAudio('auto', mulaw8k)).toBe('pcmu');
    expect(chooseModelAudio('auto', { ...mulaw8k, pipelineSampleRate: 16_000 })).toBe('pcm16');
    expect(chooseModelAudio('auto', { ...mulaw8k, wireEncoding: 'alaw' })).toBe('pcm16');
    expect(chooseModelAudio('auto', { ...mulaw8k, wireEncoding: 'l16' })).toBe('pcm16');
    expect(chooseModelAudio('auto', undefined)).toBe('pcm16');
  });
  it('does what it is told', () => {
    expect(chooseModelAudio('g711_ulaw', undefined)).toBe('pcmu');
    expect(chooseModelAudio('pcm16', mulaw8k)).toBe('pcm16');
  });
});

describe('model audio', () => {
  it('gives the carrier mu-law bytes back on the pass-through path (decode then encode)', () => {
    const wire = new Uint8Array(256).map((_, index) => index);
    // Every codeword comes back but the negative zero (0x7f), which decodes to the same sample 0 as 0xff.
    const expected = wire.map((byte) => (byte === 0x7f ? 0xff : byte));
    expect(mulawDecode(new Uint8Array([0x7f]))).toEqual(mulawDecode(new Uint8Array([0xff])));
    const input = createModelInput('pcmu');
    expect(input.convert(inputAudioFrame(mulawDecode(wire), 8000))).toEqual(expected);
    const output = createModelOutput('pcmu').convert(wire);
    expect(output?.sampleRate).toBe(8000);
    expect(mulawEncode(output?.audio ?? new Int16Array(0))).toEqual(expected);
  });

  it('resamples pipeline audio to 24 kHz PCM16 for the model, continuously across frames', () => {
    const input = createModelInput('pcm16');
    const caller = tone({ frequencyHz: 1000, durationMs: 500, sampleRate: 16_000 });
    const parts: Uint8Array[] = [];
    for (let offset = 0; offset < caller.length; offset += 320) {
      parts.push(input.convert(inputAudioFrame(caller.subarray(offset, offset + 320), 16_000)));
    }
    const bytes = Buffer.concat(parts);
    const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    expect(fitTone(pcm.subarray(1200, 10_000), 1000, 24_000).snrDb).toBeGreaterThan(60);
  });

  it('keeps an odd PCM16 byte for the next chunk', () => {
    const output = createModelOutput('pcm16');
    expect(output.convert(new Uint8Array([0x34]))).toBeUndefined();
    const frame = output.convert(new Uint8Array([0x12, 0x78, 0x56]));
    expect(frame?.sampleRate).toBe(24_000);
    expect([...(frame?.audio ?? [])]).toEqual([0x1234, 0x5678]);
  });
});

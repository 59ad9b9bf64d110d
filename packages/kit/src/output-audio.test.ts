import { describe, expect, it } from 'vitest';
import { createOutputAudioConverter, downmixToMono, type PcmResampler } from './output-audio.js';

// A stand-in resampler that records what it sees: output = input with a 1-sample delay line,
// so continuity across calls (and flushing) is observable without a real filter.
function delayLineFactory(log: string[]) {
  return (inRate: number, outRate: number): PcmResampler => {
    let held: number | undefined;
    log.push(`create ${inRate}->${outRate}`);
    return {
      inRate,
      process(chunk) {
        const out: number[] = [];
        for (const sample of chunk) {
          if (held !== undefined) out.push(held);
          held = sample;
        }
        return Int16Array.from(out);
      },
      flush() {
        const out = held === undefined ? [] : [held];
        held = undefined;
        return Int16Array.from(out);
      },
      reset() {
        held = undefined;
        log.push('reset');
      },
    };
  };
}

describe('downmixToMono', () => {
  it('averages interleaved channels and rounds', () => {
    expect(Array.from(downmixToMono(Int16Array.from([10, 20, -5, -6, 32767, 32767]), 2))).toEqual([
      15, -5, 32767,
    ]);
    const mono = Int16Array.from([1, 2, 3]);
    expect(downmixToMono(mono, 1)).toBe(mono);
  });
});

describe('createOutputAudioConverter', () => {
  it('keeps one resampler across frames of the same rate', () => {
    const log: string[] = [];
    const converter = createOutputAudioConverter(8000, delayLineFactory(log));
    const a = converter.convert({ audio: Int16Array.from([1, 2, 3]), sampleRate: 16000, numChannels: 1 });
    const b = converter.convert({ audio: Int16Array.from([4, 5]), sampleRate: 16000, numChannels: 1 });
    expect([...a, ...b]).toEqual([1, 2, 3, 4]);
    expect(log).toEqual(['create 16000->8000']);
  });

  it('flushes the old stream into the first output of a new rate', () => {
    const log: string[] = [];
    const converter = createOutputAudioConverter(8000, delayLineFactory(log));
    converter.convert({ audio: Int16Array.from([1, 2]), sampleRate: 16000, numChannels: 1 });
    const next = converter.convert({ audio: Int16Array.from([7, 8]), sampleRate: 24000, numChannels: 1 });
    expect(Array.from(next)).toEqual([2, 7]);
    expect(log).toEqual(['create 16000->8000', 'create 24000->8000']);
  });

  it('downmixes stereo frames and forgets history on reset', () => {
    const log: string[] = [];
    const converter = createOutputAudioConverter(8000, delayLineFactory(log));
    converter.convert({ audio: Int16Array.from([2, 4, 6, 8]), sampleRate: 8000, numChannels: 2 });
    converter.reset();
    const after = converter.convert({
      audio: Int16Array.from([10, 10, 20, 20]),
      sampleRate: 8000,
      numChannels: 2,
    });
    expect(Array.from(after)).toEqual([10]);
    expect(log).toEqual(['create 8000->8000', 'reset']);
  });
});

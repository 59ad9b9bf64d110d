import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitTone, rms, snrDb, toneSnrDb } from './measure.js';
import { bytesToPcm, concatPcm, pcmToBytes, splitPcm } from './pcm.js';
import { chirp, noise, silence, tone } from './signals.js';
import { decodeWav, encodeWav, readWav, writeWav } from './wav.js';

describe('signals', () => {
  it('makes a tone of the asked length, level and frequency', () => {
    const pcm = tone({ frequencyHz: 1000, durationMs: 100, sampleRate: 8000, amplitude: 0.5 });
    expect(pcm.length).toBe(800);
    expect(Math.max(...pcm)).toBeGreaterThan(16300);
    expect(Math.max(...pcm)).toBeLessThanOrEqual(16384);
    // 1 kHz at 8 kHz repeats every 8 samples, starting at zero phase.
    expect(pcm[0]).toBe(0);
    expect(pcm[2]).toBe(16384);
    expect(pcm[8]).toBe(pcm[0]);
    expect(rms(pcm)).toBeCloseTo(16383.5 / Math.SQRT2, -1);
  });

  it('takes the level in dBFS too', () => {
    const pcm = tone({ frequencyHz: 500, durationMs: 20, sampleRate: 16000, dbfs: -20 });
    expect(Math.max(...pcm)).toBe(Math.round(32767 * 0.1));
    expect(() => tone({ frequencyHz: 500, durationMs: 20, sampleRate: 16000, amplitude: 2 })).toThrow(
      RangeError,
    );
  });

  it('sweeps a chirp from low to high (more zero crossings at the end)', () => {
    const pcm = chirp({ startHz: 100, endHz: 3000, durationMs: 1000, sampleRate: 8000 });
    const crossings = (part: Int16Array) =>
      part.reduce(
        (count, sample, i) =>
          i > 0 && Math.sign(sample) !== Math.sign(part[i - 1] ?? 0) ? count + 1 : count,
        0,
      );
    expect(pcm.length).toBe(8000);
    expect(crossings(pcm.subarray(7200))).toBeGreaterThan(4 * crossings(pcm.subarray(0, 800)));
  });

  it('makes silence and deterministic noise', () => {
    expect(silence({ durationMs: 20, sampleRate: 48000 })).toEqual(new Int16Array(960));
    expect(noise({ length: 100, seed: 7 })).toEqual(noise({ length: 100, seed: 7 }));
    expect(noise({ length: 100, seed: 7 })).not.toEqual(noise({ length: 100, seed: 8 }));
  });
});

describe('snrDb', () => {
  it('is infinite for identical signals and falls with added noise', () => {
    const reference = tone({ frequencyHz: 440, durationMs: 100, sampleRate: 16000 });
    expect(snrDb(reference, reference)).toBe(Number.POSITIVE_INFINITY);
    const hiss = noise({ length: reference.length, amplitude: 0.005 });
    const noisy = reference.map((sample, i) => sample + (hiss[i] ?? 0));
    const loud = reference.map((sample, i) => sample + 10 * (hiss[i] ?? 0));
    expect(snrDb(reference, noisy)).toBeGreaterThan(snrDb(reference, loud) + 19);
    // Half-amplitude noise of a half-scale tone: tone rms 0.354, noise rms 0.00289 → about 41.8 dB.
    expect(snrDb(reference, noisy)).toBeCloseTo(41.8, 0);
  });
});

describe('toneSnrDb', () => {
  it('finds a tone with unknown delay, phase and offset', () => {
    const pcm = tone({ frequencyHz: 1000, durationMs: 200, sampleRate: 24000, phaseRad: 1.234 }).map(
      (s) => s + 100,
    );
    const fit = fitTone(pcm, 1000, 24000);
    expect(fit.amplitude).toBeCloseTo(16383.5, -1);
    expect(fit.offset).toBeCloseTo(100, 0);
    expect(fit.snrDb).toBeGreaterThan(80);
  });

  it('measures the noise next to a tone', () => {
    const clean = tone({ frequencyHz: 1000, durationMs: 200, sampleRate: 8000 });
    const hiss = noise({ length: clean.length, amplitude: 0.05 });
    const noisy = clean.map((sample, i) => sample + (hiss[i] ?? 0));
    // Tone power 0.125, uniform noise power 0.05²/3 → 10·log10(150) ≈ 21.8 dB.
    expect(toneSnrDb(noisy, 1000, 8000)).toBeCloseTo(21.8, 0);
  });

  it('is low for the wrong frequency or for silence', () => {
    const pcm = tone({ frequencyHz: 1000, durationMs: 200, sampleRate: 8000 });
    expect(toneSnrDb(pcm, 1300, 8000)).toBeLessThan(0);
    expect(toneSnrDb(new Int16Array(100), 1000, 8000)).toBeLessThanOrEqual(0);
    expect(toneSnrDb(new Int16Array(0), 1000, 8000)).toBeLessThanOrEqual(0);
  });
});

describe('pcm helpers', () => {
  it('split and concat round-trip with cycling sizes', () => {
    const pcm = Int16Array.from({ length: 23 }, (_, i) => i);
    const chunks = splitPcm(pcm, [5, 0, 7]);
    expect(chunks.map((chunk) => chunk.length)).toEqual([5, 0, 7, 5, 0, 6]);
    expect(concatPcm(chunks)).toEqual(pcm);
  });

  it('converts to little-endian bytes and back', () => {
    const pcm = new Int16Array([0, 1, -1, 32767, -32768]);
    expect([...pcmToBytes(pcm)]).toEqual([0, 0, 1, 0, 255, 255, 255, 127, 0, 128]);
    expect(bytesToPcm(pcmToBytes(pcm))).toEqual(pcm);
    expect(bytesToPcm(new Uint8Array([1, 0, 9]))).toEqual(new Int16Array([1]));
  });
});

describe('WAV', () => {
  it('writes the canonical 44-byte header', () => {
    const bytes = encodeWav(new Int16Array([1, -2]), 8000);
    const expected = [
      ...Buffer.from('RIFF'),
      40,
      0,
      0,
      0,
      ...Buffer.from('WAVEfmt '),
      16,
      0,
      0,
      0,
      1,
      0,
      1,
      0,
      0x40,
      0x1f,
      0,
      0,
      0x80,
      0x3e,
      0,
      0,
      2,
      0,
      16,
      0,
      ...Buffer.from('data'),
      4,
      0,
      0,
      0,
      1,
      0,
      0xfe,
      0xff,
    ];
    expect([...bytes]).toEqual(expected);
  });

  it('round-trips through a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'callwire-wav-'));
    try {
      const pcm = tone({ frequencyHz: 1000, durationMs: 50, sampleRate: 16000 });
      await writeWav(join(dir, 'tone.wav'), pcm, 16000);
      expect(await readWav(join(dir, 'tone.wav'))).toEqual({
        samples: pcm,
        sampleRate: 16000,
        numChannels: 1,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('skips unknown chunks and refuses non-PCM files', () => {
    const plain = encodeWav(new Int16Array([5, 6]), 8000);
    const list = new Uint8Array([...Buffer.from('LIST'), 3, 0, 0, 0, 1, 2, 3, 0]); // odd size, padded
    const withList = new Uint8Array([...plain.subarray(0, 36), ...list, ...plain.subarray(36)]);
    expect(decodeWav(withList).samples).toEqual(new Int16Array([5, 6]));
    const float = plain.slice();
    float[20] = 3; // IEEE float
    expect(() => decodeWav(float)).toThrow(/not PCM/);
    expect(() => decodeWav(new Uint8Array([1, 2, 3]))).toThrow(/RIFF/);
    expect(() => decodeWav(plain.subarray(0, 36))).toThrow(/no data/);
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alawDecode, alawEncode } from './alaw.js';
import { createDtmfDetector, detectDtmf } from './dtmf-detector.js';
import { DTMF_HIGH_HZ, DTMF_LOW_HZ, dbm0ToPeak, dtmfFrequencies, dtmfTones } from './dtmf-tones.js';
import { mulawDecode, mulawEncode } from './mulaw.js';
import { resample } from './resampler.js';
import { concat, fitSinusoid, noise, sineWave } from './test-support/signals.js';

const ALL_KEYS = '123A456B789C*0#D';

function viaMulaw(pcm: Int16Array): Int16Array {
  return mulawDecode(mulawEncode(pcm));
}

function viaAlaw(pcm: Int16Array): Int16Array {
  return alawDecode(alawEncode(pcm));
}

function silence(ms: number, rate: number): Int16Array {
  return new Int16Array(Math.round((ms * rate) / 1000));
}

/** A crude voiced-speech stand-in: a 100-220 Hz glottal pulse train through three moving formants. */
function speechLike(rate: number, seconds: number, seed = 7): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  let phase = 0;
  const formants = [
    [500, 900],
    [1200, 1800],
    [2400, 2900],
  ] as const;
  for (let n = 0; n < out.length; n++) {
    const t = n / rate;
    const pitch = 160 + 60 * Math.sin(2 * Math.PI * 3 * t);
    phase += (2 * Math.PI * pitch) / rate;
    let sample = 0;
    for (let harmonic = 1; harmonic * pitch < rate / 2 && harmonic < 30; harmonic++) {
      const hz = harmonic * pitch;
      let gain = 0;
      formants.forEach(([low, high], index) => {
        const centre = low + ((high - low) * (1 + Math.sin(2 * Math.PI * (0.7 + index) * t))) / 2;
        gain += 1 / (1 + ((hz - centre) / 120) ** 2);
      });
      sample += (gain / harmonic ** 0.5) * Math.sin(harmonic * phase);
    }
    const syllable = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    out[n] = Math.round(4000 * syllable * sample + (random() - 0.5) * 200);
  }
  return out;
}

describe('dtmfTones', () => {
  it('puts each key at its two Q.23 frequencies, -11 and -9 dBm0, for 100 ms, then 100 ms of silence', () => {
    const rate = 8000;
    const pcm = dtmfTones('5', rate);
    expect(pcm.length).toBe(1600);
    const [low, high] = dtmfFrequencies('5') ?? [0, 0];
    expect([low, high]).toEqual([770, 1336]);
    // Fit inside the tone, clear of the 2 ms ramps.
    const lowFit = fitSinusoid(pcm, rate, low, 40, 760);
    const highFit = fitSinusoid(pcm, rate, high, 40, 760);
    expect(20 * Math.log10(lowFit.amplitude / dbm0ToPeak(0))).toBeCloseTo(-11, 1);
    expect(20 * Math.log10(highFit.amplitude / dbm0ToPeak(0))).toBeCloseTo(-9, 1);
    expect(pcm.subarray(800).every((sample) => sample === 0)).toBe(true);
  });

  it('honours toneMs, gapMs and levels, and refuses what it cannot make', () => {
    const pcm = dtmfTones('12', 16000, { toneMs: 50, gapMs: 30, lowLevelDbm0: -20, highLevelDbm0: -20 });
    expect(pcm.length).toBe(2 * (800 + 480));
    const fit = fitSinusoid(pcm, 16000, 697, 64, 736);
    expect(20 * Math.log10(fit.amplitude / dbm0ToPeak(0))).toBeCloseTo(-20, 1);
    expect(() => dtmfTones('1x', 8000)).toThrow(RangeError);
    expect(() => dtmfTones('1', 3000)).toThrow(RangeError);
    expect(() => dtmfTones('1', 8000, { toneMs: -1 })).toThrow(RangeError);
    expect(() => dtmfTones('1', 8000, { highLevelDbm0: 0 })).toThrow(RangeError);
    expect(dtmfTones('', 8000)).toHaveLength(0);
  });
});

describe('detectDtmf', () => {
  it('hears all 16 keys, in order, through mu-law and A-law at 8 kHz', () => {
    const tones = dtmfTones(ALL_KEYS, 8000);
    expect(detectDtmf(viaMulaw(tones), 8000)).toBe(ALL_KEYS);
    expect(detectDtmf(viaAlaw(tones), 8000)).toBe(ALL_KEYS);
  });

  it('hears all 16 keys at 16 kHz after 16k -> 8k -> G.711 -> 16k, and 8 kHz tones resampled to 16 kHz', () => {
    const wide = dtmfTones(ALL_KEYS, 16000);
    const telephone = viaMulaw(resample(wide, 16000, 8000));
    expect(detectDtmf(telephone, 8000)).toBe(ALL_KEYS);
    expect(detectDtmf(resample(telephone, 8000, 16000), 16000)).toBe(ALL_KEYS);
    expect(detectDtmf(resample(viaAlaw(dtmfTones(ALL_KEYS, 8000)), 8000, 16000), 16000)).toBe(ALL_KEYS);
    expect(detectDtmf(dtmfTones(ALL_KEYS, 48000), 48000)).toBe(ALL_KEYS);
  });

  it('counts a held key once, and a repeated key (with its gap) twice', () => {
    expect(detectDtmf(viaMulaw(dtmfTones('7', 8000, { toneMs: 1500 })), 8000)).toBe('7');
    expect(detectDtmf(viaMulaw(dtmfTones('7777', 8000)), 8000)).toBe('7777');
  });

  it('resolves the shortest tones and gaps it promises (55 ms), and two keys with no gap between them', () => {
    const short = dtmfTones(ALL_KEYS, 8000, { toneMs: 55, gapMs: 55 });
    expect(detectDtmf(viaMulaw(short), 8000)).toBe(ALL_KEYS);
    const back = concat([dtmfTones('3', 8000, { gapMs: 0 }), dtmfTones('9', 8000)]);
    expect(detectDtmf(back, 8000)).toBe('39');
  });

  it('gives the same keys however the stream is chunked', () => {
    const pcm = viaMulaw(concat([speechLike(8000, 0.3), dtmfTones('159#', 8000, { toneMs: 70, gapMs: 60 })]));
    const whole = detectDtmf(pcm, 8000);
    expect(whole).toBe('159#');
    for (const chunk of [1, 7, 160, 203, 1000]) {
      const detector = createDtmfDetector(8000);
      let keys = '';
      for (let at = 0; at < pcm.length; at += chunk) keys += detector.process(pcm.subarray(at, at + chunk));
      expect(keys, `chunks of ${chunk}`).toBe(whole);
    }
  });

  it('hears keys over speech-level noise 20 dB down, and after reset() starts afresh', () => {
    const tones = dtmfTones('2580', 8000);
    const hiss = noise(tones.length, 700, 3);
    const mixed = tones.map((sample, index) => sample + (hiss[index] ?? 0));
    expect(detectDtmf(viaMulaw(Int16Array.from(mixed)), 8000)).toBe('2580');
    const detector = createDtmfDetector(8000);
    detector.process(dtmfTones('4', 8000, { gapMs: 0 }));
    detector.reset();
    expect(detector.process(dtmfTones('4', 8000))).toBe('4');
  });

  it('hears no key in speech, noise, music-like chords, single tones, quiet or badly twisted keys', () => {
    for (const rate of [8000, 16000]) {
      expect(detectDtmf(viaMulaw(speechLike(rate, 10)), rate), `speech at ${rate} Hz`).toBe('');
      expect(detectDtmf(noise(rate * 10, 12000, 11), rate), `noise at ${rate} Hz`).toBe('');
    }
    // Every single Q.23 frequency alone, loud.
    for (const hz of [...DTMF_LOW_HZ, ...DTMF_HIGH_HZ]) {
      expect(detectDtmf(sineWave(8000, hz, 10000, 4000), 8000), `${hz} Hz alone`).toBe('');
    }
    // A three-note chord that contains a key's pair (697 + 1209) plus a third loud note.
    const chord = Int16Array.from(
      sineWave(8000, 697, 6000, 4000).map(
        (sample, index) =>
          sample +
          (sineWave(8000, 1209, 6000, 4000)[index] ?? 0) +
          (sineWave(8000, 1000, 6000, 4000)[index] ?? 0),
      ),
    );
    expect(detectDtmf(chord, 8000), 'a chord').toBe('');
    // Quieter than -30 dBm0 per tone.
    expect(detectDtmf(dtmfTones('1', 8000, { lowLevelDbm0: -36, highLevelDbm0: -36 }), 8000)).toBe('');
    // 12 dB twist either way.
    expect(detectDtmf(dtmfTones('1', 8000, { lowLevelDbm0: -24, highLevelDbm0: -12 }), 8000)).toBe('');
    expect(detectDtmf(dtmfTones('1', 8000, { lowLevelDbm0: -8, highLevelDbm0: -20 }), 8000)).toBe('');
    expect(detectDtmf(silence(1000, 8000), 8000)).toBe('');
  });

  it('refuses a rate it cannot analyse', () => {
    expect(() => createDtmfDetector(2000)).toThrow(RangeError);
    expect(() => detectDtmf(new Int16Array(10), 8000.5)).toThrow(RangeError);
  });
});

// An outside opinion: numpy makes the tones (its own sines, its own levels) and finds our tones' peaks.
const script = `
import base64, sys
import numpy as np
rate = 8000
low = {'1':697,'2':697,'3':697,'A':697,'4':770,'5':770,'6':770,'B':770,'7':852,'8':852,'9':852,'C':852,'*':941,'0':941,'#':941,'D':941}
high = {'1':1209,'4':1209,'7':1209,'*':1209,'2':1336,'5':1336,'8':1336,'0':1336,'3':1477,'6':1477,'9':1477,'#':1477,'A':1633,'B':1633,'C':1633,'D':1633}
keys = sys.argv[1]
t = np.arange(int(0.08 * rate)) / rate
parts = []
for key in keys:
    parts.append(5000 * np.sin(2 * np.pi * low[key] * t + 1.0) + 7000 * np.sin(2 * np.pi * high[key] * t))
    parts.append(np.zeros(int(0.07 * rate)))
print(base64.b64encode(np.round(np.concatenate(parts)).astype('<i2').tobytes()).decode())
ours = np.frombuffer(base64.b64decode(sys.stdin.read()), dtype='<i2').astype(float)
peaks = []
for index in range(len(keys)):
    tone = ours[index * 1600 : index * 1600 + 800]
    spectrum = np.abs(np.fft.rfft(tone * np.hanning(len(tone)), 8 * rate))
    freqs = np.fft.rfftfreq(8 * rate, 1 / rate)
    lowPeak = freqs[np.argmax(spectrum * (freqs < 1100))]
    highPeak = freqs[np.argmax(spectrum * (freqs > 1100))]
    peaks.append('%g/%g' % (lowPeak, highPeak))
print(' '.join(peaks))
`;
const oursB64 = Buffer.from(dtmfTones(ALL_KEYS, 8000).buffer).toString('base64');
const python = spawnSync('python3', ['-c', script, ALL_KEYS], {
  encoding: 'utf8',
  input: oursB64,
  timeout: 20_000,
});
const pythonLines = python.status === 0 ? python.stdout.trim().split('\n') : [];
const noNumpy = pythonLines.length === 2 ? undefined : 'python3 with numpy is not available';

describe.skipIf(noNumpy !== undefined)(`numpy as an oracle${noNumpy ? ` (skipped: ${noNumpy})` : ''}`, () => {
  it("hears numpy's own tones (other levels, phases, 80 ms / 70 ms) through mu-law", () => {
    const bytes = Buffer.from(pythonLines[0] ?? '', 'base64');
    const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    expect(detectDtmf(viaMulaw(pcm), 8000)).toBe(ALL_KEYS);
  });

  it("finds our tones' spectral peaks at the Q.23 frequencies (within 1 Hz)", () => {
    const peaks = (pythonLines[1] ?? '').split(' ').map((pair) => pair.split('/').map(Number));
    expect(peaks).toHaveLength(16);
    [...ALL_KEYS].forEach((key, index) => {
      const [low, high] = dtmfFrequencies(key) ?? [0, 0];
      expect(Math.abs((peaks[index]?.[0] ?? 0) - low), `${key} low`).toBeLessThanOrEqual(1);
      expect(Math.abs((peaks[index]?.[1] ?? 0) - high), `${key} high`).toBeLessThanOrEqual(1);
    });
  });
});

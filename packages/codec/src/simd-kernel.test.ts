import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createStreamResampler, resample, resamplerKernel } from './resampler.js';
import { simdKernelSupported } from './simd-kernel.js';
import { concat, noise, sineWave } from './test-support/signals.js';

const RATES = [8000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
const PAIRS = RATES.flatMap((inRate) =>
  RATES.filter((outRate) => outRate !== inRate).map((outRate) => [inRate, outRate] as const),
);

/** A linear sweep from 20 Hz to the input's Nyquist frequency at -3 dBFS. */
function chirp(rate: number, length: number): Int16Array {
  const seconds = length / rate;
  const rise = (rate / 2 - 20) / seconds; // Hz per second
  return Int16Array.from({ length }, (_, n) => {
    const t = n / rate;
    return Math.round(23000 * Math.sin(2 * Math.PI * (20 * t + (rise * t * t) / 2)));
  });
}

/** Real-audio-like test signals: tones across the band, full-scale noise, a sweep, a clipping square wave. */
function signals(rate: number): Record<string, Int16Array> {
  const length = Math.round(rate * 0.25);
  return {
    'tone 1 kHz -6 dBFS': sineWave(rate, 1000, 16384, length),
    'tones 300 Hz + 0.8 x Nyquist': concat([
      sineWave(rate, 300, 20000, length >> 1),
      sineWave(rate, 0.4 * Math.min(rate, 8000), 20000, length >> 1, 1),
    ]),
    'noise full scale': noise(length, 32767, rate),
    'noise -30 dBFS': noise(length, 1036, rate + 1),
    chirp: chirp(rate, length),
    'square full scale': Int16Array.from({ length }, (_, i) =>
      Math.floor(i / 7) % 2 === 0 ? 32767 : -32768,
    ),
  };
}

describe('the SIMD kernel', () => {
  it('is the default on this runtime (Node 20 has WebAssembly SIMD)', () => {
    expect(simdKernelSupported()).toBe(true);
    expect(resamplerKernel()).toBe('simd');
  });

  it('runs from the bytes polyphase.wat assembles to (the embedded module is not stale)', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it.each(PAIRS)(
    '%i Hz -> %i Hz: stays within 1 LSB of the JS kernel on tones, noise, a chirp and clipping',
    (inRate, outRate) => {
      for (const [name, pcm] of Object.entries(signals(inRate))) {
        const simd = resample(pcm, inRate, outRate, { kernel: 'simd' });
        const js = resample(pcm, inRate, outRate, { kernel: 'js' });
        expect(simd.length, name).toBe(js.length);
        let worst = 0;
        let differing = 0;
        for (let k = 0; k < js.length; k++) {
          const difference = Math.abs(simd[k]! - js[k]!);
          worst = Math.max(worst, difference);
          if (difference !== 0) differing++;
        }
        expect(worst, name).toBeLessThanOrEqual(1);
        // f32 sums differ from f64 ones by far less than an LSB: only outputs within that distance of a
        // rounding boundary can flip. (Periodic signals repeat the same few sums, so a flip there
        // repeats every period: only the aperiodic ones bound the share.)
        if (name.startsWith('noise') || name === 'chirp')
          expect(differing / js.length, name).toBeLessThan(0.005);
      }
    },
  );

  it('is not the JS kernel: its f32 sums round differently somewhere on full-scale noise', () => {
    const pcm = noise(48000, 32767, 5);
    expect(resample(pcm, 48000, 8000, { kernel: 'simd' })).not.toEqual(
      resample(pcm, 48000, 8000, { kernel: 'js' }),
    );
  });

  it('keeps each resampler its own history while many share the heap and it grows', () => {
    const inputs = Array.from({ length: 300 }, (_, i) => noise(4800, 30000, i + 1));
    const resamplers = inputs.map(() => createStreamResampler(48000, 8000, { kernel: 'simd' }));
    const outputs: Int16Array[][] = inputs.map(() => []);
    // Interleaved 20 ms frames: histories are written, and the heap grows, between each one's calls.
    for (let start = 0; start < 4800; start += 960) {
      resamplers.forEach((resampler, i) => {
        outputs[i]!.push(resampler.process(inputs[i]!.subarray(start, start + 960)));
      });
    }
    resamplers.forEach((resampler, i) => {
      outputs[i]!.push(resampler.flush());
      expect(concat(outputs[i]!), `resampler ${i}`).toEqual(
        resample(inputs[i]!, 48000, 8000, { kernel: 'simd' }),
      );
    });
  });

  it('gives the same output for a chunk too long for the shared scratch as for 20 ms frames', () => {
    // 3 s at 8 kHz -> 144,000 outputs in one process call: computed piece by piece into a JS array.
    const pcm = noise(24000, 30000, 77);
    const whole = resample(pcm, 8000, 48000, { kernel: 'simd' });
    expect(whole.length).toBe(144000);
    const resampler = createStreamResampler(8000, 48000, { kernel: 'simd' });
    const parts: Int16Array[] = [];
    for (let start = 0; start < pcm.length; start += 160)
      parts.push(resampler.process(pcm.subarray(start, start + 160)));
    parts.push(resampler.flush());
    expect(concat(parts)).toEqual(whole);
  });

  it('rejects a kernel it does not know', () => {
    expect(() => createStreamResampler(8000, 16000, { kernel: 'gpu' as 'js' })).toThrow(
      "resampler: kernel must be 'simd' or 'js', got gpu",
    );
  });
});

describe('without WebAssembly', () => {
  it('falls back to the JS kernel, with the same output as the JS kernel here, and refuses simd', () => {
    // --jitless leaves V8 without WebAssembly; tsx loads the TypeScript sources.
    const resampler = fileURLToPath(new URL('./resampler.ts', import.meta.url));
    const script = `
      const m = await import(${JSON.stringify(resampler)});
      let refusal = '';
      try { m.createStreamResampler(8000, 16000, { kernel: 'simd' }); } catch (error) { refusal = error.message; }
      const pcm = Int16Array.from({ length: 800 }, (_, i) => Math.round(20000 * Math.sin(i * 0.7)));
      console.log(JSON.stringify({ kernel: m.resamplerKernel(), refusal, out: Array.from(m.resample(pcm, 8000, 48000)) }));`;
    const run = spawnSync(
      process.execPath,
      ['--jitless', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      kernel: string;
      refusal: string;
      out: number[];
    };
    expect(result.kernel).toBe('js');
    expect(result.refusal).toBe('resampler: kernel simd needs WebAssembly SIMD, which this runtime lacks');
    const pcm = Int16Array.from({ length: 800 }, (_, i) => Math.round(20000 * Math.sin(i * 0.7)));
    expect(result.out).toEqual(Array.from(resample(pcm, 8000, 48000, { kernel: 'js' })));
  });
});

describe('CALLWIRE_RESAMPLER_KERNEL', () => {
  it('makes js the default kernel when set to js', async () => {
    vi.resetModules();
    vi.stubEnv('CALLWIRE_RESAMPLER_KERNEL', 'js');
    try {
      const fresh = await import('./resampler.js');
      expect(fresh.resamplerKernel()).toBe('js');
      const pcm = noise(48000, 32767, 5);
      expect(fresh.resample(pcm, 48000, 8000)).toEqual(fresh.resample(pcm, 48000, 8000, { kernel: 'js' }));
      expect(fresh.resample(pcm, 48000, 8000)).not.toEqual(
        fresh.resample(pcm, 48000, 8000, { kernel: 'simd' }),
      );
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '@callwire/testing/audio';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../dist/demo.js', import.meta.url));
const wav = fileURLToPath(new URL('../../../demo-output/caller-heard.wav', import.meta.url));

describe('pnpm demo', () => {
  it('runs the whole call, logs each step, hangs up over the fake REST API and writes a WAV', async () => {
    await rm(wav, { force: true });
    const child = spawn(process.execPath, [demo], { env: { PATH: process.env.PATH ?? '' } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toMatch(/\[caller\] +connected/);
    expect(output).toContain('media flowing');
    for (const digit of ['1', '2', '#']) expect(output).toContain(`→ dtmf "${digit}"`);
    expect(output).toMatch(/\[bot\] +checkpoint acknowledged "checkpoint-1"/);
    expect(output).toMatch(/\[plivo api\] +DELETE \/v1\/Account\/\w+\/Call\/demo-call-0001\/ → 204/);
    expect(output).toMatch(/\[caller\] +closed by server: 1000/);
    expect(output).not.toContain('demo-token-for-the-fake-api-only');
    expect(code).toBe(0);
    const heard = decodeWav(new Uint8Array(await readFile(wav)));
    expect(heard.sampleRate).toBe(8000);
    expect(heard.samples.length).toBeGreaterThan(4000);
  }, 30_000);
});

import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { discoverCarriers } from '@callwire/testing';
import { decodeWav, fitTone } from '@callwire/testing/audio';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../dist/demo.js', import.meta.url));
const wav = fileURLToPath(new URL('../../../demo-output/caller-heard.wav', import.meta.url));
const carriers = await discoverCarriers(fileURLToPath(new URL('../../../packages', import.meta.url)));
const callId = 'demo-call-0001';
/** The ivr bot's beep for key 1 (Hz): the last thing the caller hears before `#`. */
const beepHz = 880;

async function runDemo(...args: string[]): Promise<{ code: number | null; output: string }> {
  await rm(wav, { force: true });
  const child = spawn(process.execPath, [demo, ...args], { env: { PATH: process.env.PATH ?? '' } });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('pnpm demo', () => {
  it('runs the whole call, logs each step, hangs up over the fake REST API and writes a WAV', async () => {
    const { code, output } = await runDemo();
    expect(output).toMatch(/\[caller\] +connected/);
    expect(output).toContain('media flowing');
    for (const digit of ['1', '2', '#']) expect(output).toContain(`→ dtmf "${digit}"`);
    expect(output).toMatch(/\[bot\] +checkpoint acknowledged "checkpoint-1"/);
    expect(output).toMatch(/\[plivo api\] +DELETE \/v1\/Account\/\w+\/Call\/demo-call-0001\/ → 204/);
    expect(output).toMatch(/\[caller\] +closed by server: 1000/);
    for (const secret of carriers.find((carrier) => carrier.name === 'plivo')?.harnesses[0]?.secrets ?? [])
      expect(output).not.toContain(secret);
    expect(code, output).toBe(0);
    const heard = decodeWav(new Uint8Array(await readFile(wav)));
    expect(heard.sampleRate).toBe(8000);
    expect(heard.samples.length).toBeGreaterThan(4000);
  }, 30_000);

  it('refuses an unknown carrier with exit 2, naming the known ones', async () => {
    const { code, output } = await runDemo('--carrier', 'no-such-carrier');
    expect(code).toBe(2);
    expect(output).toContain('unknown carrier "no-such-carrier"');
    for (const carrier of carriers) expect(output).toContain(carrier.name);
  }, 30_000);

  it('discovers every carrier', () => {
    expect(carriers.length).toBeGreaterThanOrEqual(5);
  });

  // The simulator is a WebSocket caller: carriers that stream over plain TCP are refused, with a reason.
  const overTcp = carriers.filter((carrier) => carrier.harnesses[0]?.plugin.streamFraming);
  it.each(overTcp.map((carrier) => carrier.name))(
    '--carrier %s says it streams over TCP, exit 2',
    async (name) => {
      const { code, output } = await runDemo('--carrier', name);
      expect(code).toBe(2);
      expect(output).toContain(`${name} streams over TCP, not WebSocket`);
    },
  );

  const overWebSocket = carriers.filter((carrier) => !carrier.harnesses[0]?.plugin.streamFraming);
  describe.each(overWebSocket.map((carrier) => [carrier.name, carrier] as const))(
    '--carrier %s',
    (name, carrier) => {
      const harness = carrier.harnesses[0];
      it('runs the same call: keys, checkpoint, the bot heard, the hang-up, exit 0', async () => {
        if (!harness) throw new Error(`${name} has no harness`);
        const { code, output } = await runDemo('--carrier', name);
        expect(code, output).toBe(0);
        expect(output).toContain(`a simulated ${name.charAt(0).toUpperCase()}${name.slice(1)} call`);
        expect(output).toMatch(new RegExp(`\\[caller\\] +connected to \\S+ as ${name}`));
        expect(output).toContain('media flowing');
        if (harness.supports.dtmf) {
          for (const digit of ['1', '2', '#'])
            expect(output).toMatch(new RegExp(`\\[bot\\] +key pressed "${escapeRegExp(digit)}"`));
        }
        if (harness.supports.checkpoint) {
          expect(output).toMatch(/\[bot\] +checkpoint acknowledged "checkpoint-1"/);
        }
        const request = harness.hangUpRequest;
        if (harness.supports.hangUp && request) {
          expect(output).toMatch(
            new RegExp(
              `\\[${name} api\\] +${request.method} ${escapeRegExp(request.path(callId))} → 2\\d\\d `,
            ),
          );
        } else {
          expect(output).toContain(`no REST hang-up: ${name} ends calls by closing the stream`);
          expect(output).not.toContain(`[${name} api]`);
        }
        expect(output).toMatch(/\[caller\] +closed by server: 1000/);
        for (const secret of harness.secrets) expect(output).not.toContain(secret);

        // The caller heard the bot: the WAV ends with the 0.4 s beep for key 1, clean after the wire codec.
        const heard = decodeWav(new Uint8Array(await readFile(wav)));
        expect(heard.sampleRate).toBe(harness.wireSampleRate);
        const beep = heard.samples.subarray(
          heard.samples.length - Math.round(0.35 * heard.sampleRate),
          heard.samples.length - Math.round(0.05 * heard.sampleRate),
        );
        expect(fitTone(beep, beepHz, heard.sampleRate).snrDb).toBeGreaterThan(20);
      }, 30_000);
    },
  );
});

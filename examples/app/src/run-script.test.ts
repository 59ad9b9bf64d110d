import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const runScript = fileURLToPath(new URL('../scripts/run.mjs', import.meta.url));

describe('scripts/run.mjs (pnpm serve)', () => {
  it('stops the server when the shell pnpm started it under is killed, instead of orphaning it', async () => {
    // pnpm runs `sh -c "node scripts/run.mjs serve"`; a SIGTERM to pnpm kills that shell, not node.
    const shell = spawn(
      'sh',
      ['-c', `"${process.execPath}" "${runScript}" serve --port 0 --host 127.0.0.1`],
      {
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    let output = '';
    // node inherits the shell's pipes, so its output (and their end) still arrives after the shell dies.
    shell.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    shell.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    const pipesClosed = new Promise<void>((resolve) => shell.stdout.on('close', () => resolve()));
    for (let attempt = 0; !output.includes('"msg":"call server listening"'); attempt++) {
      if (attempt > 3000) throw new Error(`the server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const serverPid = Number(/"pid":(\d+)/.exec(output)?.[1]);
    expect(output.indexOf('callwire: serving')).toBeLessThan(output.indexOf('"level"'));

    shell.kill('SIGKILL');
    await pipesClosed;
    expect(output).toContain('"msg":"call server closed"');
    // Its pipes close as it exits: wait for the process itself to be gone.
    const alive = () => {
      try {
        process.kill(serverPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let attempt = 0; alive() && attempt < 500; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(alive()).toBe(false);
  });
});

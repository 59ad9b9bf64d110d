import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI_STREAM_SECRET } from './stream-token.js';

/** The compiled CLI the tests spawn. */
const cli = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** A spawned `callwire` CLI: its combined stdout and stderr, its JSON log lines and its exit. */
export interface CliRun {
  readonly child: ChildProcess;
  output: () => string;
  /** Every output line that is a JSON log entry. */
  logs: () => Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** `callwire serve` with the toy carrier as well (a TypeScript entry, run through tsx). */
export const cliWithToyCarrier = [
  '--import',
  'tsx',
  fileURLToPath(new URL('./serve-with-toy.ts', import.meta.url)),
];

/**
 * Spawns the CLI with `args` and only `PATH`, `CALLWIRE_STREAM_SECRET` (`CLI_STREAM_SECRET`, so tests can
 * mint stream tokens; `env` may override it, `''` meaning unset) plus `env` in its environment; `entry` is
 * what `node` runs (the built bin by default).
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  entry: readonly string[] = [cli],
): CliRun {
  const child = spawn(process.execPath, [...entry, ...args], {
    env: { PATH: process.env.PATH ?? '', CALLWIRE_STREAM_SECRET: CLI_STREAM_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    text += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const logs = () =>
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, output: () => text, logs, exited };
}

#!/usr/bin/env node
// `pnpm serve` / `pnpm demo` from the repository root: builds what the examples need with
// `tsc -b` (one compiler process for every referenced package, silent unless the build fails,
// so it never drowns the app's own output), then runs the entry point in this same process,
// so Ctrl-C and SIGTERM reach it directly. pnpm runs this under `sh -c`, and a SIGTERM to pnpm's PID
// kills that shell but not this process: when the parent goes away, this process treats it as a SIGTERM
// (serve drains and exits, freeing the port) instead of living on as an orphan. `serve` is `callwire serve` (@callwire/cli) with the example
// bots; with --workers N its cluster workers run this script again, and skip the build.
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = { serve: '../dist/cli.js', demo: '../dist/demo.js' };
const [command, ...args] = process.argv.slice(2);

if (!(command in entries)) {
  process.stderr.write(`usage: run.mjs ${Object.keys(entries).join('|')} [args...]\n`);
  process.exit(2);
}

if (cluster.isPrimary) {
  const parent = process.ppid;
  // Polled: Node has no event for a parent's death. Unref'd, so it never keeps the process alive.
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 500).unref();
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
function build(...flags) {
  const result = spawnSync(process.execPath, [tsc, '-b', app, ...flags], { encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(
      `${result.stdout ?? ''}${result.stderr ?? ''}\nbuild failed (tsc -b examples/app)\n`,
    );
    process.exit(result.status ?? 1);
  }
}
if (cluster.isPrimary) {
  // The first build compiles every package (7–14 s): say so, instead of a silent wait.
  if (!existsSync(fileURLToPath(new URL(entries[command], import.meta.url)))) {
    process.stderr.write('callwire: building the packages (first run only, about 10 s)…\n');
  }
  build();
  // A deleted dist/ next to a kept *.tsbuildinfo looks up to date to tsc: rebuild everything then.
  if (!existsSync(fileURLToPath(new URL(entries[command], import.meta.url)))) build('--force');
}

const entry = await import(entries[command]);
const code = await entry.main(command === 'serve' ? ['serve', ...args] : args, process.env);
// Exit even if a library left a keep-alive socket or timer behind; output is already written.
setImmediate(() => process.exit(code));

#!/usr/bin/env node
// `pnpm serve` / `pnpm demo` from the repository root: builds what the examples need with turbo
// (its output is kept back unless the build fails, so it does not drown the app's own output),
// then runs the entry point in this same process, so Ctrl-C and SIGTERM reach it directly.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const entries = { serve: '../dist/cli.js', demo: '../dist/demo.js' };
const [command, ...args] = process.argv.slice(2);

if (!(command in entries)) {
  process.stderr.write(`usage: run.mjs ${Object.keys(entries).join('|')} [args...]\n`);
  process.exit(2);
}

const build = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', '--filter=@callwire/examples...', '--output-logs=errors-only'],
  { cwd: root, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } },
);
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}\nbuild failed (turbo run build)\n`);
  process.exit(build.status ?? 1);
}

const entry = await import(entries[command]);
const code = await entry.main(command === 'serve' ? ['serve', ...args] : args, process.env);
// Exit even if a library left a keep-alive socket or timer behind; output is already written.
setImmediate(() => process.exit(code));

import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';

/**
 * A prototype, bench-only: `callwire serve` on `node:cluster`. The primary forks `--workers N`
 * (default: the number of cores) workers that each run the unchanged CLI on the same port; the
 * primary hands each new connection to the next worker (round-robin), so every call, being one
 * WebSocket, stays pinned to one worker and its event loop for its whole life.
 *
 * Plain JavaScript, so the workers run without a TypeScript loader:
 *   node bench/load/cluster-serve.mjs --workers 2 -- serve --host 127.0.0.1 --port 8765 --bot echo
 *   pnpm bench:load -- --cluster 2
 */
const separator = process.argv.indexOf('--');
const own = separator >= 0 ? process.argv.slice(2, separator) : [];
const cliArgs = separator >= 0 ? process.argv.slice(separator + 1) : process.argv.slice(2);

if (cluster.isPrimary) {
  const workersFlag = own.indexOf('--workers');
  const workers = workersFlag >= 0 ? Number(own[workersFlag + 1]) : availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) {
    process.stderr.write('cluster-serve: --workers must be a positive integer\n');
    process.exit(2);
  }
  // As `pnpm serve` does: build the app (and what it references) once, before the workers load it.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const app = new URL('../../examples/app', import.meta.url).pathname;
  const build = spawnSync(process.execPath, [tsc, '-b', app], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  for (let i = 0; i < workers; i++) cluster.fork();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  cluster.on('exit', (worker, code) => {
    if (!stopping) process.stderr.write(`cluster-serve: worker ${worker.process.pid} exited (${code})\n`);
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(stopping ? 0 : 1);
  });
} else {
  /** @type {{ main(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> }} */
  const cli = await import(new URL('../../examples/app/dist/cli.js', import.meta.url).href);
  const code = await cli.main(cliArgs, process.env);
  setImmediate(() => process.exit(code));
}

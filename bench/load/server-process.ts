import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOAD_STREAM_SECRET } from './stream-token.js';

/** A server under test, running in a process of its own. */
export interface ServerProcess {
  /** ws:// URL of the media-stream endpoint (loopback). */
  readonly streamUrl: string;
  /** The process started; its CPU and RSS are measured with all its descendants (cluster workers). */
  readonly pid: number;
  /** Where its stdout and stderr go. */
  readonly logFile: string;
  /** Sends SIGTERM and waits (at most `timeoutMs`) for the process tree to exit, then SIGKILLs it. */
  stop(timeoutMs?: number): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function httpAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 500 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `callwire serve --bot echo` (packages/cli, built), bound to loopback, started as node itself so its
 * pid is the server's.
 */
export const DEFAULT_SERVER_COMMAND: readonly string[] = [
  process.execPath,
  'packages/cli/dist/bin.js',
  'serve',
  '--host',
  '127.0.0.1',
  '--port',
  '{port}',
  '--bot',
  'echo',
  '--log-level',
  'warn',
];

/**
 * The echo bot with the pipeline at `rate` Hz (bench/load/echo-at-rate.mjs: core, server and the CLI's
 * echo bot composed from their public APIs), serving `carrier` only; `--pipeline-rate` steps run it.
 */
export function echoAtRateCommand(rate: number, carrier: string): readonly string[] {
  return [
    process.execPath,
    'bench/load/echo-at-rate.mjs',
    '--host',
    '127.0.0.1',
    '--port',
    '{port}',
    '--pipeline-rate',
    String(rate),
    '--carrier',
    carrier,
  ];
}

/** The load test's baseline server: a bare `ws` JSON echo, no Callwire. */
export const BARE_ECHO_COMMAND: readonly string[] = [
  process.execPath,
  'bench/load/bare-echo-server.mjs',
  '--host',
  '127.0.0.1',
  '--port',
  '{port}',
];

/**
 * Starts `command` (default `DEFAULT_SERVER_COMMAND`, run at `cwd`) with `{port}` replaced by a
 * free loopback port, and waits until its HTTP server answers. The `removeEnv` variables (every
 * carrier's credentials and API URL) and `PUBLIC_URL` are removed from its environment before `env`
 * is added: no hang-up ever leaves the machine.
 */
export async function startServerProcess(options: {
  cwd: string;
  command?: readonly string[];
  path?: string;
  readyTimeoutMs?: number;
  env?: Record<string, string>;
  removeEnv?: readonly string[];
}): Promise<ServerProcess> {
  const port = await freeLoopbackPort();
  const template = options.command ?? DEFAULT_SERVER_COMMAND;
  const [file, ...args] = template.map((part) => part.replaceAll('{port}', String(port)));
  if (!file) throw new Error('empty server command');
  const logFile = join(tmpdir(), `callwire-load-server-${port}.log`);
  const log = createWriteStream(logFile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CALLWIRE_LOG_LEVEL: 'warn',
    CALLWIRE_STREAM_SECRET: LOAD_STREAM_SECRET,
  };
  for (const name of [...(options.removeEnv ?? []), 'PUBLIC_URL']) delete env[name];
  Object.assign(env, options.env);
  const child: ChildProcess = spawn(file, args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => {
    exited = true;
  });

  const deadline = performance.now() + (options.readyTimeoutMs ?? 120_000);
  while (!(await httpAnswers(port))) {
    if (exited) throw new Error(`server exited before listening; see ${logFile}`);
    if (performance.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`server did not listen on ${port} in time; see ${logFile}`);
    }
    await sleep(100);
  }
  const pid = child.pid!;
  return {
    streamUrl: `ws://127.0.0.1:${port}${options.path ?? '/stream'}`,
    pid,
    logFile,
    async stop(timeoutMs = 5000) {
      if (exited) return;
      // The whole group: pnpm, its shell and the server.
      process.kill(-child.pid!, 'SIGTERM');
      const killed = await Promise.race([exit.then(() => false), sleep(timeoutMs).then(() => true)]);
      if (killed && !exited) {
        process.kill(-child.pid!, 'SIGKILL');
        await exit;
      }
      log.end();
    },
  };
}

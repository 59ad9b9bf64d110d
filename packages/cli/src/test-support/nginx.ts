import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

/** The nginx configuration docs/scaling.md tells users to install. */
const shippedConfig = fileURLToPath(new URL('../../../../deploy/nginx/callwire.conf', import.meta.url));

/** The nginx binary, or `undefined` when nginx is not installed (`.ci/run` installs it). */
export function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A running nginx, started from a temporary prefix. */
export interface RunningNginx {
  readonly port: number;
  /** What nginx wrote to its error log (for failure messages). */
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `deploy/nginx/callwire.conf` exactly as shipped, with its `listen` set to `127.0.0.1:port` and one
 * `server` line per backend port (keeping the shipped parameters).
 */
export async function renderShippedConfig(port: number, backendPorts: readonly number[]): Promise<string> {
  const shipped = await readFile(shippedConfig, 'utf8');
  const serverLine = /^(\s*)server \S+:8765( [^;]*)?;\n/m;
  const match = serverLine.exec(shipped);
  if (!match) throw new Error('deploy/nginx/callwire.conf has no upstream server line');
  const [, indent = '', parameters = ''] = match;
  const servers = backendPorts
    .map((backend) => `${indent}server 127.0.0.1:${backend}${parameters};\n`)
    .join('');
  const rendered = shipped
    .replace(new RegExp(serverLine.source, 'gm'), '')
    .replace(/^(\s*)least_conn;\n/m, (line) => `${line}${servers}`)
    .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  if (!rendered.includes(`listen 127.0.0.1:${port};`)) throw new Error('no listen line to rewrite');
  return rendered;
}

/** Starts nginx in the foreground with the shipped config in front of `backendPorts`. */
export async function startNginx(
  binary: string,
  port: number,
  backendPorts: readonly number[],
): Promise<RunningNginx> {
  const prefix = await mkdtemp(join(tmpdir(), 'callwire-nginx-'));
  await writeFile(join(prefix, 'callwire.conf'), await renderShippedConfig(port, backendPorts));
  await writeFile(
    join(prefix, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(prefix, 'nginx.pid')};`,
      `error_log ${join(prefix, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      `  access_log off;`,
      `  client_body_temp_path ${join(prefix, 'body')};`,
      `  proxy_temp_path ${join(prefix, 'proxy')};`,
      `  fastcgi_temp_path ${join(prefix, 'fastcgi')};`,
      `  uwsgi_temp_path ${join(prefix, 'uwsgi')};`,
      `  scgi_temp_path ${join(prefix, 'scgi')};`,
      `  include ${join(prefix, 'callwire.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = async () =>
    `${stderr}${await readFile(join(prefix, 'error.log'), 'utf8').catch(() => '')}`;
  const state = await waitFor('nginx to listen', async () => {
    if (child.exitCode !== null) return 'exited';
    const answered = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => true,
      () => false,
    );
    return answered ? 'listening' : undefined;
  }).catch(() => 'timed out');
  if (state !== 'listening') {
    child.kill('SIGKILL');
    throw new Error(`nginx ${state}:\n${await errorLog()}`);
  }
  return {
    port,
    errorLog,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

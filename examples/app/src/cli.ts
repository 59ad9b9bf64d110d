#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isCallwireError } from '@callwire/core';
import { createPinoLogger } from '@callwire/server';
import { bots, isBotName } from './bots.js';
import { startServing } from './serve.js';

export const usage = `Usage: callwire serve [options]

Runs a Callwire call server for Plivo Audio Streams.

Options:
  --port <n>          TCP port to listen on (default 8765; 0 picks a free one)
  --host <address>    address to bind (default: all interfaces)
  --bot <name>        the bot to run: ${Object.keys(bots).join(' | ')} (default echo)
  --path <path>       WebSocket path for media streams (default /stream)
  --answer-path <p>   HTTP path serving the answer XML (default /answer)
  --log-level <lvl>   debug | info | warn | error | silent (default info)
  -h, --help          show this help

Environment:
  PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN   Plivo credentials: hang-ups over REST, and answer requests must
                                    carry a valid X-Plivo-Signature-V3 when the token is set.
                                    Without them calls run with auto hang-up off.
  PUBLIC_URL                        this server's public https URL (e.g. a tunnel), used in the
                                    answer XML (wss://) and to check signatures
  PLIVO_API_BASE_URL                Plivo REST API base URL (default https://api.plivo.com)
`;

const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type CliLogLevel = (typeof logLevels)[number];

/** Parsed `callwire serve` flags. */
export interface ServeFlags {
  readonly port: number;
  readonly host?: string;
  readonly bot: keyof typeof bots;
  readonly path: string;
  readonly answerPath: string;
  readonly logLevel: CliLogLevel;
}

/** Parses the CLI's arguments; `{ error }` names what is wrong, `{ help: true }` asks for usage. */
export function parseServeArgs(args: readonly string[]): ServeFlags | { error: string } | { help: true } {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', default: '8765' },
        host: { type: 'string' },
        bot: { type: 'string', default: 'echo' },
        path: { type: 'string', default: '/stream' },
        'answer-path': { type: 'string', default: '/answer' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1 || positionals[0] !== 'serve') {
    return {
      error: `expected the command "serve", got ${positionals.length ? positionals.join(' ') : 'none'}`,
    };
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535)
    return { error: `--port must be 0-65535, got ${values.port}` };
  if (!isBotName(values.bot))
    return { error: `--bot must be one of ${Object.keys(bots).join(', ')}, got ${values.bot}` };
  for (const [flag, value] of [
    ['--path', values.path],
    ['--answer-path', values['answer-path']],
  ] as const) {
    if (!value.startsWith('/')) return { error: `${flag} must start with "/", got ${value}` };
  }
  const logLevel = values['log-level'];
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    return { error: `--log-level must be one of ${logLevels.join(', ')}, got ${logLevel}` };
  }
  return {
    port,
    ...(values.host ? { host: values.host } : {}),
    bot: values.bot,
    path: values.path,
    answerPath: values['answer-path'],
    logLevel: logLevel as CliLogLevel,
  };
}

/** Runs `callwire serve` until SIGINT/SIGTERM; returns the process exit code. */
export async function main(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const flags = parseServeArgs(args);
  if ('help' in flags) {
    process.stdout.write(usage);
    return 0;
  }
  if ('error' in flags) {
    process.stderr.write(`callwire: ${flags.error}\n\n${usage}`);
    return 2;
  }
  const logger = createPinoLogger({ level: flags.logLevel, name: 'callwire' });
  let serving: Awaited<ReturnType<typeof startServing>>;
  try {
    serving = await startServing({
      handler: bots[flags.bot],
      port: flags.port,
      ...(flags.host ? { host: flags.host } : {}),
      path: flags.path,
      answerPath: flags.answerPath,
      ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
      ...(env.PLIVO_AUTH_ID ? { authId: env.PLIVO_AUTH_ID } : {}),
      ...(env.PLIVO_AUTH_TOKEN ? { authToken: env.PLIVO_AUTH_TOKEN } : {}),
      ...(env.PLIVO_API_BASE_URL ? { apiBaseUrl: env.PLIVO_API_BASE_URL } : {}),
      logger,
    });
  } catch (error) {
    // CallwireError messages name fields, never values; anything else is reported by its kind only.
    const text = isCallwireError(error)
      ? error.message
      : error instanceof Error && 'code' in error
        ? `${error.name} ${String(error.code)}`
        : 'unexpected error';
    process.stderr.write(`callwire: cannot start: ${text}\n`);
    return 1;
  }
  process.stdout.write(
    [
      `callwire: serving the ${flags.bot} bot on port ${serving.port}`,
      `  media stream URL: ${serving.streamUrl}`,
      `  answer URL:       ${serving.answerUrl}   <- set this as your Plivo application's Answer URL (POST)`,
      ...(env.PUBLIC_URL
        ? []
        : ["  (set PUBLIC_URL to your tunnel's https URL so Plivo can reach this server)"]),
      ...(serving.canHangUp
        ? []
        : ['  (no PLIVO_AUTH_ID/PLIVO_AUTH_TOKEN: calls are not hung up over REST)']),
      env.PLIVO_AUTH_TOKEN
        ? '  answer requests must carry a valid X-Plivo-Signature-V3'
        : '  (no PLIVO_AUTH_TOKEN: answer requests are not signature-checked)',
      '',
    ].join('\n'),
  );
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        resolve(1);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'shutting down: ending every call');
      serving.server.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
    // pino writes synchronously to stdout by default; give pending output a tick, then exit.
    setImmediate(() => process.exit(code));
  });
}

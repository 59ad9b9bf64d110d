import { parseArgs } from 'node:util';
import { MAX_WORKERS, parseWorkerCount } from './cluster.js';

const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type CliLogLevel = (typeof logLevels)[number];

/** The bots `--bot` names without a module path: the CLI's own `echo`, plus the ones an app passes to `runCli`. */
export const BUILT_IN_BOT_NAMES: readonly string[] = ['echo'];

/** Parsed `callwire serve` flags. */
export interface ServeFlags {
  readonly port: number;
  readonly host?: string;
  /** A bot name, or the path of a module whose default export is a `CallHandler`. */
  readonly bot: string;
  readonly path: string;
  readonly answerPath: string;
  /** The carrier whose answer document `answerPath` serves. */
  readonly answerCarrier: string;
  readonly logLevel: CliLogLevel;
  /** Worker processes (node:cluster); 1 serves in this process. */
  readonly workers: number;
  /** Require a signed WebSocket upgrade (`--verify-upgrade`). */
  readonly verifyUpgrade: boolean;
  /** Per-call stream tokens (`--stream-auth on`, the default) or none (`--stream-auth off`). */
  readonly streamAuth: 'on' | 'off';
  /** How long SIGTERM's drain lets live calls run (s). */
  readonly drainTimeoutSeconds: number;
  /** Prometheus `/metrics`: off, on the serve port, or on a port of its own. */
  readonly metrics: false | 'serve-port' | { readonly port: number };
  /** The AudioSocket TCP listener's port (`--audiosocket-port`), beside the HTTP/WebSocket one. */
  readonly audioSocketPort?: number;
}

/** What the usage text lists besides the flags: the bot names and each carrier's environment variables. */
export interface UsageContext {
  readonly botNames: readonly string[];
  readonly carriers: readonly {
    readonly name: string;
    readonly environment?: Readonly<Record<string, string>> | undefined;
  }[];
}

/** `callwire serve --help`. */
export function usage({ botNames, carriers }: UsageContext): string {
  const environment = carriers.flatMap((carrier) =>
    Object.entries(carrier.environment ?? {}).map(
      ([option, variable]) => `  ${variable.padEnd(32)}  ${carrier.name} ${option}`,
    ),
  );
  return `Usage: callwire serve [options]

Runs a Callwire call server: every installed carrier's media streams on one port
(carriers: ${carriers.map((carrier) => carrier.name).join(', ') || 'none'}).

Options:
  --port <n>          TCP port to listen on (default 8765; 0 picks a free one)
  --host <address>    address to bind (default: all interfaces)
  --bot <name|path>   the bot to run: ${botNames.join(' | ')}, or a module whose default export is a
                      CallHandler (./my-bot.js) (default echo)
  --path <path>       WebSocket path for media streams (default /stream)
  --answer-path <p>   HTTP path serving the answer document (default /answer)
  --answer-carrier <name>  the carrier whose answer document --answer-path serves (default plivo)
  --log-level <lvl>   debug | info | warn | error | silent (default info)
  --workers <n|auto>  processes serving calls on the one port (node:cluster), 1-${MAX_WORKERS} or auto
                      (one per core); each call stays in one process (default 1: no cluster)
  --stream-auth <on|off>  per-call stream tokens (default on): the answer document's stream URL
                      carries a token bound to the call (/stream/<token>); an upgrade without one
                      gets 401, a wrong, expired or reused one 403, a stream naming another call
                      is closed. "off" lets anyone who reaches the port stream in (logged at
                      start-up): only for a private network, or an answer served elsewhere
                      without mintStreamToken
  --verify-upgrade    also require a valid signature on each media-stream WebSocket upgrade (needs a
                      carrier that checks signatures, e.g. PLIVO_AUTH_TOKEN; enable only if your
                      carrier account signs streams)
  --drain-timeout <s> on SIGTERM, refuse new calls (/readyz 503) and let live ones run this many
                      seconds before ending them (default 300; 0 ends them at once). A second
                      SIGTERM, or SIGINT, ends every call at once.
  --metrics           serve Prometheus metrics on GET /metrics on the serve port
  --metrics-port <n>  serve /metrics (and /healthz, /readyz) on port n instead (one process only)
  --audiosocket-port <n>  also listen for Asterisk AudioSocket calls (TCP) on port n, with the same
                      bot. AudioSocket has no authentication: bind it to a private network only
  -h, --help          show this help

Environment:
  PUBLIC_URL                          this server's public https URL (e.g. a tunnel), used in the
                                      answer document (wss://) and to check signatures
  CALLWIRE_STREAM_SECRET              the secret stream tokens are signed with (at least 16
                                      characters, e.g. openssl rand -base64 32). Unset: a random
                                      one per start (shared by --workers); instances behind one
                                      load balancer must all set the same one
${environment.join('\n')}
  A carrier whose credentials are set hangs calls up over its REST API; without them its calls
  run with auto hang-up off. The answer carrier's token, when set, makes answer requests carry a
  valid signature.
`;
}

/** True when `bot` names a module (`./bot.js`, `/srv/bot.mjs`) rather than a bot name. */
export function isBotModulePath(bot: string): boolean {
  return bot.includes('/') || bot.includes('\\') || /\.[cm]?[jt]s$/.test(bot);
}

/**
 * Parses the CLI's arguments; `{ error }` names what is wrong, `{ help: true }` asks for usage.
 * `botNames` are the names `--bot` accepts besides a module path.
 */
export function parseServeArgs(
  args: readonly string[],
  botNames: readonly string[] = BUILT_IN_BOT_NAMES,
): ServeFlags | { error: string } | { help: true } {
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
        'answer-carrier': { type: 'string', default: 'plivo' },
        'log-level': { type: 'string', default: 'info' },
        workers: { type: 'string', default: '1' },
        'verify-upgrade': { type: 'boolean', default: false },
        'stream-auth': { type: 'string', default: 'on' },
        'drain-timeout': { type: 'string', default: '300' },
        metrics: { type: 'boolean', default: false },
        'metrics-port': { type: 'string' },
        'audiosocket-port': { type: 'string' },
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
  if (!botNames.includes(values.bot) && !isBotModulePath(values.bot)) {
    return { error: `--bot must be one of ${botNames.join(', ')} or a module path, got ${values.bot}` };
  }
  for (const [flag, value] of [
    ['--path', values.path],
    ['--answer-path', values['answer-path']],
  ] as const) {
    if (!value.startsWith('/')) return { error: `${flag} must start with "/", got ${value}` };
  }
  const answerCarrier = values['answer-carrier'];
  if (!/^[a-z][a-z0-9-]*$/.test(answerCarrier)) {
    return { error: `--answer-carrier must be a carrier name, got ${answerCarrier}` };
  }
  const streamAuth = values['stream-auth'];
  if (streamAuth !== 'on' && streamAuth !== 'off') {
    return { error: `--stream-auth must be on or off, got ${streamAuth}` };
  }
  const logLevel = values['log-level'];
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    return { error: `--log-level must be one of ${logLevels.join(', ')}, got ${logLevel}` };
  }
  const workers = parseWorkerCount(values.workers);
  if (workers === undefined) {
    return { error: `--workers must be 1-${MAX_WORKERS} or auto, got ${values.workers}` };
  }
  const drainTimeoutSeconds = Number(values['drain-timeout']);
  if (!/^\d+$/.test(values['drain-timeout']) || drainTimeoutSeconds > 86_400) {
    return { error: `--drain-timeout must be 0-86400 seconds, got ${values['drain-timeout']}` };
  }
  const metricsPortText = values['metrics-port'];
  if (metricsPortText !== undefined && (!/^\d+$/.test(metricsPortText) || Number(metricsPortText) > 65_535)) {
    return { error: `--metrics-port must be 0-65535, got ${metricsPortText}` };
  }
  const audioSocketPortText = values['audiosocket-port'];
  if (
    audioSocketPortText !== undefined &&
    (!/^\d+$/.test(audioSocketPortText) || Number(audioSocketPortText) > 65_535)
  ) {
    return { error: `--audiosocket-port must be 0-65535, got ${audioSocketPortText}` };
  }
  const metrics =
    metricsPortText !== undefined ? { port: Number(metricsPortText) } : values.metrics && 'serve-port';
  // Workers share one port, so a scrape would see one random worker's counts.
  if (metrics && workers > 1) return { error: '--metrics needs --workers 1: run one process per container' };
  return {
    port,
    ...(values.host ? { host: values.host } : {}),
    bot: values.bot,
    path: values.path,
    answerPath: values['answer-path'],
    answerCarrier,
    logLevel: logLevel as CliLogLevel,
    workers,
    verifyUpgrade: values['verify-upgrade'],
    streamAuth,
    drainTimeoutSeconds,
    metrics,
    ...(audioSocketPortText !== undefined ? { audioSocketPort: Number(audioSocketPortText) } : {}),
  };
}

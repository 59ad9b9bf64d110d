/**
 * `pnpm soak [--cycles N] [--carrier <name>]`: abuses a Callwire server and measures what it keeps.
 *
 * The calls speak one carrier found by convention under `packages/` (a package whose keywords include
 * `callwire-carrier`, through the harness its `./testing` entry exports): `--carrier`, else the first
 * one whose harness has a fake REST API and hangs up. Every message comes from that harness.
 *
 * Phase 1 (in process): a call server with the real carrier (hang-ups going to the harness's fake REST
 * API on 127.0.0.1) and an echo handler takes N (default 1,000) connect/abuse/disconnect cycles: normal
 * calls ended by the caller, oversize frames, garbage (binary, bad JSON, hostile JSON), abrupt TCP
 * drops mid-call, sockets that never identify a call, and half-open handshakes. It then checks that no
 * socket, call or timer is left, and prints the RSS and heap growth between a warm-up and the end
 * (after a forced GC). It fails when RSS grew by 20 MB or more.
 *
 * Phase 2 (the CLI): `callwire serve` (packages/cli/dist/bin.js) runs as a child process with the
 * harness's credentials in the carrier's environment variables (its `environment` map), pointing at
 * the fake API; it gets the same abuse, a normal call that must get audio back, and, when the carrier
 * answers webhooks, an unsigned POST /answer and one with bogus credentials (both must be refused when
 * it checks signatures), then SIGTERM. Its whole stdout and stderr must not contain any of the harness's
 * secrets. Not a test: run it by hand; it prints numbers.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CallInfo, WireMessage } from '../packages/core/src/index.js';
import type { CarrierHarness } from '../packages/testing/src/index.js';

const root = resolve(import.meta.dirname, '..');
const packagesDirectory = join(root, 'packages');
const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000' },
    carrier: { type: 'string' },
    // Internal: run as the client driver (a separate process, so the server's RSS is its own).
    client: { type: 'string' },
    offset: { type: 'string', default: '0' },
  },
});
const clientMode = values.client !== undefined;
const cycles = Number(values.cycles);
const RSS_LIMIT_MB = 20;

/** The carrier packages, by the convention `discoverCarriers` uses (to build them before loading them). */
function carrierDirectories(): string[] {
  return readdirSync(packagesDirectory).filter((entry) => {
    const manifest = join(packagesDirectory, entry, 'package.json');
    if (!existsSync(manifest)) return false;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { keywords?: string[] };
    return pkg.keywords?.includes('callwire-carrier') ?? false;
  });
}

if (!clientMode)
  execFileSync(
    'npx',
    [
      'tsc',
      '-b',
      ...['core', 'codec', 'kit', 'server', 'testing', 'cli', ...carrierDirectories()].map((name) =>
        join('packages', name),
      ),
    ],
    { cwd: root, stdio: 'inherit' },
  );

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const load = async <T>(path: string): Promise<T> =>
  import(pathToFileURL(join(root, path)).href) as Promise<T>;
const core = await load<typeof import('../packages/core/src/index.js')>('packages/core/dist/index.js');
const serverPackage = await load<typeof import('../packages/server/src/index.js')>(
  'packages/server/dist/index.js',
);
const testing = await load<typeof import('../packages/testing/src/index.js')>(
  'packages/testing/dist/index.js',
);
const requireFromServer = createRequire(join(root, 'packages/server/package.json'));
const { WebSocket } = requireFromServer('ws') as typeof import('ws');

const discovered = await testing.discoverCarriers(packagesDirectory);
const chosen = discovered.find((carrier) =>
  values.carrier === undefined
    ? carrier.harnesses.some((harness) => harness.supports.hangUp && harness.startApi)
    : carrier.name === values.carrier,
);
if (!chosen) {
  console.error(
    values.carrier === undefined
      ? 'no carrier under packages/ has a harness with a fake REST API'
      : `no carrier named ${values.carrier} under packages/`,
  );
  process.exit(2);
}
const harness: CarrierHarness =
  chosen.harnesses.find((candidate) => candidate.supports.hangUp && candidate.startApi) ??
  chosen.harnesses[0]!;
const carrierName = chosen.name;
const secrets = harness.secrets.filter((secret) => secret.length > 0);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Both servers' stream secret: each cycle mints its call's stream token, as the answer would carry it. */
const SOAK_STREAM_SECRET = 'soak-stream-secret-5d0c2e7a';

/** `url` with a fresh stream token for call `callId` of the soaked carrier. */
function tokenUrl(url: string, callId: string | undefined): string {
  const token = serverPackage.mintStreamToken({ secret: SOAK_STREAM_SECRET, carrier: carrierName, callId });
  return serverPackage.streamUrlWithToken(url, token);
}

const frameSamples = harness.wireSampleRate / 50;

function callInfo(callId: string, streamId: string): CallInfo {
  return harness.call({ callId, streamId, sampleRate: harness.wireSampleRate, autoHangUp: false });
}

function startMessages(call: CallInfo): WireMessage[] {
  return harness.wire.start?.(call) ?? [];
}

function mediaMessage(call: CallInfo, chunk: number): WireMessage {
  return harness.wire.media(call, new Int16Array(frameSamples).fill(1000 + 97 * (chunk % 16)));
}

/** A media message whose longest string (its payload) is `payload` instead (binary media: `undefined`). */
function mediaWithPayload(call: CallInfo, payload: string): string | undefined {
  const message = mediaMessage(call, 0);
  if (typeof message !== 'string') return undefined;
  const parsed = JSON.parse(message) as unknown;
  let best: { holder: Record<string, unknown>; key: string; length: number } | undefined;
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      if (typeof child === 'string' && (!best || child.length > best.length))
        best = { holder: node as Record<string, unknown>, key, length: child.length };
      else walk(child);
    }
  };
  walk(parsed);
  if (!best) return undefined;
  best.holder[best.key] = payload;
  return JSON.stringify(parsed);
}

type Abuse = 'normal' | 'oversize' | 'garbage' | 'abrupt' | 'silent' | 'half-open' | 'hostile-json';
const ABUSES: Abuse[] = ['normal', 'oversize', 'garbage', 'abrupt', 'silent', 'half-open', 'hostile-json'];

/** Opens a socket and resolves when it is open (or failed). */
function connect(url: string): Promise<import('ws').WebSocket | undefined> {
  return new Promise((done) => {
    const socket = new WebSocket(url, { maxPayload: 4 * 1024 * 1024 });
    socket.on('error', () => done(undefined));
    socket.once('open', () => done(socket));
  });
}

function closedOf(socket: import('ws').WebSocket, timeoutMs = 3000): Promise<void> {
  return new Promise((done) => {
    if (socket.readyState === WebSocket.CLOSED) return done();
    const timer = setTimeout(() => {
      socket.terminate();
      done();
    }, timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      done();
    });
  });
}

/** One connect/abuse/disconnect cycle against `url` (`ws://host:port/stream`). */
async function cycle(url: string, abuse: Abuse, index: number): Promise<void> {
  if (abuse === 'half-open') {
    // A TCP connection that starts an HTTP upgrade and vanishes.
    const { port, hostname } = new URL(url);
    await new Promise<void>((done) => {
      const socket = new (requireFromServer('node:net') as typeof import('node:net')).Socket();
      socket.on('error', () => done());
      socket.connect(Number(port), hostname, () => {
        socket.write(
          `GET /stream HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`,
        );
        setTimeout(() => {
          socket.destroy();
          done();
        }, 5);
      });
    });
    return;
  }
  const call = callInfo(randomUUID(), randomUUID());
  const socket = await connect(tokenUrl(url, call.callId));
  if (!socket) return;
  const sendStart = () => {
    for (const message of startMessages(call)) socket.send(message);
  };
  switch (abuse) {
    case 'normal': {
      sendStart();
      for (let chunk = 0; chunk < 10; chunk += 1) socket.send(mediaMessage(call, chunk));
      const dtmf = harness.wire.dtmf?.(call, String(index % 10));
      if (dtmf !== undefined) socket.send(dtmf);
      const stop = harness.wire.stop?.(call);
      await sleep(5);
      if (stop !== undefined) socket.send(stop);
      socket.close(1000, 'caller hung up');
      break;
    }
    case 'oversize':
      sendStart();
      socket.send(Buffer.alloc(1024 * 1024 + 1, 0x41));
      break;
    case 'garbage':
      socket.send(randomBytes(64 + (index % 200)));
      socket.send('{"event":"media","media":');
      sendStart();
      socket.send(randomBytes(300));
      socket.send('\u0000\uFFFF not json');
      socket.close();
      break;
    case 'hostile-json': {
      sendStart();
      socket.send('{"__proto__":{"polluted":"yes"},"event":"media","media":{"payload":"!!!"}}');
      for (const message of harness.hostileMessages ?? []) socket.send(message);
      const badDtmf = harness.wire.dtmf?.(call, 'ZZ');
      if (badDtmf !== undefined) socket.send(badDtmf);
      socket.send(`${'['.repeat(50_000)}${']'.repeat(50_000)}`);
      socket.send(mediaWithPayload(call, 'A'.repeat(400_001)) ?? Buffer.alloc(400_001, 0x41));
      socket.close();
      break;
    }
    case 'abrupt':
      sendStart();
      socket.send(mediaMessage(call, 0));
      await sleep(2);
      socket.terminate();
      return;
    case 'silent':
      // Most close at once; every 50th waits for the server's start timeout.
      if (index % 50 !== 0) socket.close();
      break;
  }
  await closedOf(socket);
}

async function waitForIdle(
  stats: () => { sockets: number; calls: number; identifying: number; upgrading: number },
  ms = 15_000,
) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const now = stats();
    if (now.sockets === 0 && now.calls === 0 && now.identifying === 0 && now.upgrading === 0) return now;
    await sleep(50);
  }
  return stats();
}

async function memoryMb(): Promise<{ rss: number; heap: number; external: number }> {
  for (let round = 0; round < 3; round += 1) {
    gc();
    await sleep(50);
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss / 2 ** 20, heap: usage.heapUsed / 2 ** 20, external: usage.external / 2 ** 20 };
}

async function runCycles(url: string, count: number, offset: number): Promise<Record<Abuse, number>> {
  const counts = Object.fromEntries(ABUSES.map((abuse) => [abuse, 0])) as Record<Abuse, number>;
  const batch = 8;
  for (let start = 0; start < count; start += batch) {
    const jobs: Promise<void>[] = [];
    for (let index = start; index < Math.min(count, start + batch); index += 1) {
      const abuse = ABUSES[(index + offset) % ABUSES.length]!;
      counts[abuse] += 1;
      jobs.push(cycle(url, abuse, index + offset));
    }
    await Promise.all(jobs);
  }
  return counts;
}

/** Runs `count` cycles from a child process (this script with `--client`), so their memory is not the server's. */
function runCyclesElsewhere(target: string, count: number, offset: number): Promise<Record<Abuse, number>> {
  return new Promise((done, fail) => {
    const driver = spawn(
      process.execPath,
      [
        ...process.execArgv,
        import.meta.filename,
        '--client',
        target,
        '--carrier',
        carrierName,
        '--cycles',
        String(count),
        '--offset',
        String(offset),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    driver.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    driver.once('exit', (code) =>
      code === 0
        ? done(JSON.parse(text.trim().split('\n').at(-1) ?? '{}'))
        : fail(new Error(`client driver exited ${code}`)),
    );
  });
}

if (clientMode) {
  const counts = await runCycles(values.client!, cycles, Number(values.offset));
  console.log(JSON.stringify(counts));
  process.exit(0);
}

// ---------------------------------------------------------------- phase 1: a server in this process, clients in another
const logLines: string[] = [];
const logger = {
  debug: () => {},
  info: () => {},
  warn: (fields: unknown, message?: string) => logLines.push(`${message ?? ''} ${JSON.stringify(fields)}`),
  error: (fields: unknown, message?: string) => logLines.push(`${message ?? ''} ${JSON.stringify(fields)}`),
};
const api = await harness.startApi?.();
const apiUrl = api?.url ?? 'http://127.0.0.1:9';
const container = core.createCallwireContainer({ logger });
core.registerCarrier(container, harness.plugin, harness.options({ apiUrl, hangUpTimeoutMs: 1000 }));
const server = serverPackage.createCallServer({
  container,
  logger,
  startTimeoutMs: 300,
  pipelineSampleRate: 16000,
  streamAuth: { secret: SOAK_STREAM_SECRET },
  handler: async (call) => {
    for await (const frame of call.frames) {
      if (frame.type === 'input-audio') await call.send(core.outputAudioFrame(frame.audio, frame.sampleRate));
    }
  },
});
const port = await server.listen(0, '127.0.0.1');
const url = `ws://127.0.0.1:${port}/stream`;

// Enough for the allocator and V8's heap to reach their working size before the baseline.
const warmUp = Math.max(50, Math.round(cycles / 5));
console.log(
  `soak: carrier ${carrierName} (${harness.wireCodec}/${harness.wireSampleRate / 1000}k); ` +
    `${warmUp} warm-up cycles, then ${cycles} measured cycles against ${url}`,
);
await runCyclesElsewhere(url, warmUp, 0);
await waitForIdle(server.stats);
const before = await memoryMb();
const startedAt = performance.now();
const counts = await runCyclesElsewhere(url, cycles, warmUp);
const seconds = (performance.now() - startedAt) / 1000;
const idle = await waitForIdle(server.stats);
const after = await memoryMb();
const hangUpMethod = harness.hangUpRequest?.method;
const hangUps = (api?.requests ?? []).filter(
  (request) => hangUpMethod === undefined || request.method === hangUpMethod,
).length;
await server.close();
await api?.close();

const rssGrowth = after.rss - before.rss;
console.log(
  `  cycles: ${Object.entries(counts)
    .map(([abuse, count]) => `${abuse} ${count}`)
    .join(', ')}`,
);
console.log(
  `  ${cycles} cycles in ${seconds.toFixed(1)} s; REST hang-ups received by the fake API: ${hangUps}`,
);
console.log(
  `  left behind: sockets ${idle.sockets}, calls ${idle.calls}, identifying ${idle.identifying}, upgrading ${idle.upgrading}`,
);
console.log(
  `  RSS ${before.rss.toFixed(1)} MB -> ${after.rss.toFixed(1)} MB (growth ${rssGrowth.toFixed(1)} MB, limit ${RSS_LIMIT_MB} MB); ` +
    `heap used ${before.heap.toFixed(1)} MB -> ${after.heap.toFixed(1)} MB; ` +
    `external ${before.external.toFixed(1)} MB -> ${after.external.toFixed(1)} MB`,
);
const phase1Leaks = logLines.filter((line) => secrets.some((secret) => line.includes(secret)));
console.log(`  warning/error lines: ${logLines.length}, holding a credential: ${phase1Leaks.length}`);
let failed =
  rssGrowth >= RSS_LIMIT_MB ||
  idle.sockets + idle.calls + idle.identifying + idle.upgrading > 0 ||
  phase1Leaks.length > 0;

// ---------------------------------------------------------------- phase 2: the CLI
async function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address() as { port: number };
      probe.close(() => done(address.port));
    });
  });
}

async function waitForOutput(
  child: ChildProcess,
  output: string[],
  pattern: RegExp,
  ms: number,
): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until && child.exitCode === null) {
    if (pattern.test(output.join(''))) return true;
    await sleep(50);
  }
  return pattern.test(output.join(''));
}

const cliApi = await harness.startApi?.();
// The carrier's options as `callwire serve` reads them: its environment variables (every other
// carrier's are removed, so nothing leaves the machine).
const cliOptions = harness.options({
  apiUrl: cliApi?.url ?? 'http://127.0.0.1:9',
  hangUpTimeoutMs: 1000,
}) as Record<string, unknown>;
const cliEnv: NodeJS.ProcessEnv = {
  ...process.env,
  PUBLIC_URL: '',
  CALLWIRE_STREAM_SECRET: SOAK_STREAM_SECRET,
};
for (const carrier of discovered)
  for (const candidate of carrier.harnesses)
    for (const variable of Object.values(candidate.plugin.environment ?? {})) delete cliEnv[variable];
for (const [option, variable] of Object.entries(harness.plugin.environment ?? {})) {
  const value = cliOptions[option];
  if (typeof value === 'string' || typeof value === 'number') cliEnv[variable] = String(value);
}
const answers = harness.plugin.answer !== undefined;
const cliPort = await freePort();
const output: string[] = [];
const child = spawn(
  process.execPath,
  [
    join(root, 'packages/cli/dist/bin.js'),
    'serve',
    '--port',
    String(cliPort),
    '--host',
    '127.0.0.1',
    '--bot',
    'echo',
    '--log-level',
    'debug',
    ...(answers ? ['--answer-carrier', carrierName] : []),
  ],
  { env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'] },
);
child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
const ready = await waitForOutput(child, output, /serving the echo bot/, 15_000);
if (!ready) {
  console.log('cli: `callwire serve` did not start:\n', output.join(''));
  failed = true;
} else {
  const cliUrl = `ws://127.0.0.1:${cliPort}/stream`;
  await runCycles(cliUrl, 56, 1);
  // A normal call that gets its audio back.
  const call = callInfo(randomUUID(), randomUUID());
  const socket = await connect(tokenUrl(cliUrl, call.callId));
  let echoed = 0;
  if (socket) {
    socket.on('message', (data: Buffer, isBinary) => {
      const message: WireMessage = isBinary ? new Uint8Array(data) : data.toString('utf8');
      if ((harness.read.audio(message)?.length ?? 0) > 0) echoed += 1;
    });
    for (const message of startMessages(call)) socket.send(message);
    for (let chunk = 0; chunk < 25; chunk += 1) {
      socket.send(mediaMessage(call, chunk));
      await sleep(20);
    }
    await sleep(300);
    socket.close();
    await closedOf(socket);
  }
  // The answer endpoint, when the carrier answers webhooks: unsigned and wrongly signed requests.
  let answerLine = 'cli: the carrier answers no webhook (POST /answer not checked)';
  let answerFailed = false;
  if (answers) {
    const answerUrl = `http://127.0.0.1:${cliPort}/answer`;
    const form = 'CallUUID=soak-call&From=15550001111&To=15550002222';
    const post = (headers: Record<string, string>) =>
      fetch(answerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: form,
      });
    const unsigned = await post({});
    // Bogus credentials (the harness cannot sign a request, so a correctly signed one is not sent).
    const wrong = await post({ authorization: 'Bearer AAAA', 'x-signature': 'AAAA' });
    const verifies = harness.plugin.verifyWebhook !== undefined;
    answerLine = `cli: POST /answer unsigned ${unsigned.status}, bogus credentials ${wrong.status}${verifies ? '' : ' (the carrier checks no signature)'}`;
    answerFailed = verifies && (![401, 403].includes(unsigned.status) || ![401, 403].includes(wrong.status));
  }
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  const text = output.join('');
  const leaks = secrets.filter((secret) => text.includes(secret)).length;
  console.log(`cli: echo call got ${echoed} audio messages back`);
  console.log(answerLine);
  console.log(
    `cli: exit code ${child.exitCode}, ${text.split('\n').length} output lines, credential found in them: ${leaks > 0 ? 'YES' : 'no'}`,
  );
  if (leaks > 0 || echoed === 0 || answerFailed) failed = true;
}
await cliApi?.close();
console.log(failed ? 'soak: FAILED' : 'soak: passed');
process.exit(failed ? 1 : 0);

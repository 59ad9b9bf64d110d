/**
 * `pnpm soak [--cycles N]`: abuses a Callwire server and measures what it keeps.
 *
 * Phase 1 (in process): a call server with the real Plivo carrier (hang-ups going to a fake Plivo API
 * on 127.0.0.1) and an echo handler takes N (default 1,000) connect/abuse/disconnect cycles: normal
 * calls ended by the caller, oversize frames, garbage (binary, bad JSON, hostile JSON), abrupt TCP
 * drops mid-call, sockets that never identify a call, and half-open handshakes. It then checks that no
 * socket, call or timer is left, and prints the RSS and heap growth between a warm-up and the end
 * (after a forced GC). It fails when RSS grew by 20 MB or more.
 *
 * Phase 2 (the CLI): `callwire serve` (packages/cli) runs as a child process with a distinctive
 * PLIVO_AUTH_TOKEN; it gets the same abuse, a normal call, unsigned, wrongly signed and correctly
 * signed POST /answer requests (401/403/200 expected), then SIGTERM. Its whole stdout and stderr must
 * not contain the token or the basic-auth credential. Not a test: run it by hand; it prints numbers.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000' },
    // Internal: run as the client driver (a separate process, so the server's RSS is its own).
    client: { type: 'string' },
    offset: { type: 'string', default: '0' },
  },
});
const clientMode = values.client !== undefined;
const cycles = Number(values.cycles);
const RSS_LIMIT_MB = 20;

if (!clientMode)
  execFileSync(
    'npx',
    [
      'tsc',
      '-b',
      'packages/core',
      'packages/codec',
      'packages/plivo',
      'packages/server',
      'packages/testing',
      'packages/cli',
    ],
    { cwd: root, stdio: 'inherit' },
  );

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const load = async <T>(path: string): Promise<T> =>
  import(pathToFileURL(join(root, path)).href) as Promise<T>;
const core = await load<typeof import('../packages/core/src/index.js')>('packages/core/dist/index.js');
const plivoPackage = await load<typeof import('../packages/plivo/src/index.js')>(
  'packages/plivo/dist/index.js',
);
const serverPackage = await load<typeof import('../packages/server/src/index.js')>(
  'packages/server/dist/index.js',
);
const testing = await load<typeof import('../packages/testing/src/index.js')>(
  'packages/testing/dist/index.js',
);
const requireFromServer = createRequire(join(root, 'packages/server/package.json'));
const { WebSocket } = requireFromServer('ws') as typeof import('ws');

const AUTH_ID = 'MASOAKSOAKSOAKSOAK01';
const AUTH_TOKEN = `soak-token-${randomBytes(12).toString('hex')}`;
const BASIC = Buffer.from(`${AUTH_ID}:${AUTH_TOKEN}`).toString('base64');

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function startMessage(callId: string, streamId: string): string {
  return JSON.stringify({
    event: 'start',
    sequenceNumber: 1,
    start: {
      callId,
      streamId,
      accountId: AUTH_ID,
      tracks: ['inbound'],
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 },
    },
  });
}

function mediaMessage(streamId: string, chunk: number): string {
  const payload = Buffer.alloc(160, 0xff - (chunk % 16)).toString('base64');
  return JSON.stringify({
    event: 'media',
    sequenceNumber: chunk + 2,
    streamId,
    media: { track: 'inbound', chunk, payload },
  });
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
  const socket = await connect(url);
  if (!socket) return;
  const callId = randomUUID();
  const streamId = randomUUID();
  switch (abuse) {
    case 'normal':
      socket.send(startMessage(callId, streamId));
      for (let chunk = 0; chunk < 10; chunk += 1) socket.send(mediaMessage(streamId, chunk));
      socket.send(JSON.stringify({ event: 'dtmf', streamId, dtmf: { digit: String(index % 10) } }));
      await sleep(5);
      socket.close(1000, 'caller hung up');
      break;
    case 'oversize':
      socket.send(startMessage(callId, streamId));
      socket.send(Buffer.alloc(1024 * 1024 + 1, 0x41));
      break;
    case 'garbage':
      socket.send(randomBytes(64 + (index % 200)));
      socket.send('{"event":"media","media":');
      socket.send(startMessage(callId, streamId));
      socket.send(randomBytes(300));
      socket.send('\u0000\uFFFF not json');
      socket.close();
      break;
    case 'hostile-json':
      socket.send(startMessage(callId, streamId));
      socket.send('{"__proto__":{"polluted":"yes"},"event":"media","media":{"payload":"!!!"}}');
      socket.send(JSON.stringify({ event: 'dtmf', streamId, dtmf: { digit: 'ZZ' } }));
      socket.send(`${'['.repeat(50_000)}${']'.repeat(50_000)}`);
      socket.send(JSON.stringify({ event: 'media', streamId, media: { payload: 'A'.repeat(400_001) } }));
      socket.close();
      break;
    case 'abrupt':
      socket.send(startMessage(callId, streamId));
      socket.send(mediaMessage(streamId, 0));
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
const api = await testing.startFakePlivoApi({ authId: AUTH_ID, authToken: AUTH_TOKEN });
const container = core.createCallwireContainer({ logger });
core.registerCarrier(container, plivoPackage.plivo, {
  authId: AUTH_ID,
  authToken: AUTH_TOKEN,
  apiBaseUrl: api.url,
  hangUpTimeoutMs: 1000,
});
const server = serverPackage.createCallServer({
  container,
  logger,
  startTimeoutMs: 300,
  pipelineSampleRate: 16000,
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
console.log(`soak: ${warmUp} warm-up cycles, then ${cycles} measured cycles against ${url}`);
await runCyclesElsewhere(url, warmUp, 0);
await waitForIdle(server.stats);
const before = await memoryMb();
const startedAt = performance.now();
const counts = await runCyclesElsewhere(url, cycles, warmUp);
const seconds = (performance.now() - startedAt) / 1000;
const idle = await waitForIdle(server.stats);
const after = await memoryMb();
const hangUps = api.requests.filter((request) => request.method === 'DELETE').length;
await server.close();
await api.close();

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
const phase1Leaks = logLines.filter((line) => line.includes(AUTH_TOKEN) || line.includes(BASIC));
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

const cliApi = await testing.startFakePlivoApi({ authId: AUTH_ID, authToken: AUTH_TOKEN });
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
  ],
  {
    env: {
      ...process.env,
      PLIVO_AUTH_ID: AUTH_ID,
      PLIVO_AUTH_TOKEN: AUTH_TOKEN,
      PLIVO_API_BASE_URL: cliApi.url,
      PUBLIC_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
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
  const socket = await connect(cliUrl);
  let echoed = 0;
  if (socket) {
    socket.on('message', (data) => {
      if (String(data).includes('"playAudio"')) echoed += 1;
    });
    const streamId = randomUUID();
    socket.send(startMessage(randomUUID(), streamId));
    for (let chunk = 0; chunk < 25; chunk += 1) {
      socket.send(mediaMessage(streamId, chunk));
      await sleep(20);
    }
    await sleep(300);
    socket.close();
    await closedOf(socket);
  }
  // The answer endpoint: unsigned, wrongly signed, correctly signed.
  const answerUrl = `http://127.0.0.1:${cliPort}/answer`;
  const form = 'CallUUID=soak-call&From=15550001111&To=15550002222';
  const params = Object.fromEntries(new URLSearchParams(form));
  const nonce = '12345678901234567890';
  const signature =
    plivoPackage.computePlivoSignatureV3({
      method: 'POST',
      url: answerUrl,
      params,
      nonce,
      authToken: AUTH_TOKEN,
    }) ?? '';
  const post = (headers: Record<string, string>) =>
    fetch(answerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form,
    });
  const unsigned = await post({});
  const wrong = await post({ 'x-plivo-signature-v3': 'AAAA', 'x-plivo-signature-v3-nonce': nonce });
  const signed = await post({ 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': nonce });
  const signedBody = await signed.text();
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  const text = output.join('');
  const leaks = [AUTH_TOKEN, BASIC].filter((secret) => text.includes(secret)).length;
  console.log(`cli: echo call got ${echoed} playAudio messages back`);
  console.log(
    `cli: POST /answer unsigned ${unsigned.status}, wrongly signed ${wrong.status}, signed ${signed.status} (${signedBody.includes('<Stream') ? '<Stream> XML' : 'no <Stream> XML'})`,
  );
  console.log(
    `cli: exit code ${child.exitCode}, ${text.split('\n').length} output lines, credential found in them: ${leaks > 0 ? 'YES' : 'no'}`,
  );
  if (
    leaks > 0 ||
    echoed === 0 ||
    ![401, 403].includes(unsigned.status) ||
    wrong.status !== 403 ||
    signed.status !== 200
  ) {
    failed = true;
  }
}
await cliApi.close();
console.log(failed ? 'soak: FAILED' : 'soak: passed');
process.exit(failed ? 1 : 0);

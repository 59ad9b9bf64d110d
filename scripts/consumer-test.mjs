// The packages as a user installs them: pack every publishable package, install the tarballs with npm
// into a scratch project outside the workspace, type-check the README's TypeScript blocks there (strict,
// NodeNext and Bundler, no skipLibCheck, on TypeScript 5.9 and the current latest), run the README's
// handler against a simulated Plivo call and check that audio comes back, run the carrier test kit
// (describeCarrier on the installed Plivo carrier) under the user's vitest, check the ESM-only error a
// CommonJS require gets, and run publint and @arethetypeswrong/cli on every tarball.
//
// Usage: pnpm consumer [--keep]   (--keep leaves the scratch project in os.tmpdir() for a look)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const KEEP = process.argv.includes('--keep');
/** The TypeScript versions users get: the one the workspace builds with, and what `npm i typescript` installs. */
const TYPESCRIPTS = { 'typescript-5.9': 'typescript@~5.9.3', 'typescript-latest': 'typescript@latest' };
/** The README blocks a user copies, by the heading of their section. */
const README_BLOCKS = { 'Using a carrier': 'using-a-carrier.ts', 'Write a handler': 'handler.ts' };

const failures = [];
const step = (text) => console.log(`\n▸ ${text}`);
const fail = (text) => {
  failures.push(text);
  console.log(`  ✗ ${text}`);
};
const pass = (text) => console.log(`  ✓ ${text}`);
const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
/** Runs and reports instead of throwing: `{ ok, output }`. */
function attempt(command, args, options = {}) {
  try {
    return { ok: true, output: run(command, args, options) };
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error) };
  }
}

const publishable = readdirSync(join(ROOT, 'packages'))
  .map((dir) => ({
    dir: join(ROOT, 'packages', dir),
    manifest: readJson(join(ROOT, 'packages', dir, 'package.json')),
  }))
  .filter(({ manifest }) => manifest && !manifest.private);

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'callwire-consumer-'));
const tarballs = join(scratch, 'tarballs');
const app = join(scratch, 'app');
mkdirSync(tarballs);
mkdirSync(join(app, 'src'), { recursive: true });
console.log(`scratch project: ${scratch}`);

try {
  step('build from clean and pack every publishable package');
  // tsc -b never deletes the output of a moved or deleted source, and turbo's cache would restore it:
  // build from nothing, so a tarball holds only what the sources make.
  run('pnpm', ['clean'], { cwd: ROOT });
  run(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--force', '--output-logs=errors-only'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  const packed = new Map();
  for (const { dir, manifest } of publishable) {
    const printed = run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
    packed.set(manifest.name, printed.trim().split('\n').at(-1).trim());
  }
  pass(`${packed.size} tarballs: ${[...packed.keys()].join(', ')}`);

  step('what each tarball holds');
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  for (const [name, tarball] of packed) {
    const listing = run('tar', ['-tzf', tarball]).split('\n');
    const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json']));
    const problems = [];
    for (const file of [
      'package/LICENSE',
      'package/README.md',
      'package/esm-only.cjs',
      'package/esm-only.d.cts',
      'package/dist/index.d.ts',
    ]) {
      if (!listing.includes(file)) problems.push(`no ${file.slice('package/'.length)}`);
    }
    if (listing.some((file) => /\.test\.ts$|test-support/.test(file)))
      problems.push('ships tests or test support');
    if (
      listing.includes('package/LICENSE') &&
      run('tar', ['-xzOf', tarball, 'package/LICENSE']) !== license
    ) {
      problems.push('LICENSE differs from the root LICENSE');
    }
    // Source and declaration maps point at src/, which ships, so stack traces and go-to-definition resolve.
    for (const map of listing.filter((file) => file.endsWith('.map'))) {
      const { sources } = JSON.parse(run('tar', ['-xzOf', tarball, map]));
      const missing = sources
        .map((source) => join(dirname(map), source))
        .filter((file) => !listing.includes(file));
      if (missing.length > 0) problems.push(`${map} points at unshipped ${missing.join(', ')}`);
    }
    const ranges = JSON.stringify([manifest.dependencies, manifest.peerDependencies]);
    if (ranges.includes('workspace:')) problems.push(`a workspace: range survived packing: ${ranges}`);
    for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'license']) {
      if (manifest[field] === undefined) problems.push(`no ${field}`);
    }
    if (problems.length > 0) fail(`${name}: ${problems.join('; ')}`);
    else
      pass(
        `${name}: LICENSE, README, dist, src (no tests) for its maps, metadata, ranges ${describeRanges(manifest)}`,
      );
  }

  step('npm install the tarballs into a fresh project outside the workspace');
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'callwire-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const typescripts = Object.entries(TYPESCRIPTS).map(([alias, spec]) => `${alias}@npm:${spec}`);
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...packed.values(),
      '@types/node@20',
      ...typescripts,
    ],
    { cwd: app, stdio: 'inherit' },
  );
  for (const alias of Object.keys(TYPESCRIPTS)) {
    pass(`${alias}: ${readJson(join(app, 'node_modules', alias, 'package.json')).version}`);
  }
  const zod = readJson(join(app, 'node_modules', 'zod', 'package.json'));
  if (zod) pass(`zod ${zod.version} installed as the carriers' peer dependency`);
  else fail('zod, the peer dependency, was not installed');

  step('extract the README blocks');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const [heading, file] of Object.entries(README_BLOCKS)) {
    const code = firstBlock(readme, heading, 'ts');
    writeFileSync(join(app, 'src', file), code);
    pass(`"${heading}" → src/${file} (${code.split('\n').length} lines)`);
  }
  const tsconfig = JSON.parse(firstBlock(readme, 'Install', 'json'));
  const nodenext = {
    ...tsconfig,
    compilerOptions: { ...tsconfig.compilerOptions, noEmit: true },
    include: ['src'],
  };
  const bundler = {
    ...nodenext,
    compilerOptions: { ...nodenext.compilerOptions, module: 'preserve', moduleResolution: 'bundler' },
  };
  writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify(nodenext, null, 2)}\n`);
  writeFileSync(join(app, 'tsconfig.bundler.json'), `${JSON.stringify(bundler, null, 2)}\n`);
  if (nodenext.compilerOptions.skipLibCheck) fail("the README's tsconfig sets skipLibCheck");
  if (!nodenext.compilerOptions.strict) fail("the README's tsconfig is not strict");

  step('type-check the README blocks (strict, no skipLibCheck)');
  for (const alias of Object.keys(TYPESCRIPTS)) {
    for (const [label, project] of [
      ['NodeNext', 'tsconfig.json'],
      ['Bundler', 'tsconfig.bundler.json'],
    ]) {
      const tsc = join(app, 'node_modules', alias, 'bin', 'tsc');
      const result = attempt(process.execPath, [tsc, '-p', project], { cwd: app });
      if (result.ok) pass(`${alias}, ${label}`);
      else fail(`${alias}, ${label}:\n${indent(result.output)}`);
    }
  }

  step('run the README handler and call it with simulateCall (plivoHarness)');
  await runHandlerAgainstSimulatedCall();

  step("the carrier test kit from the tarballs: describeCarrier(plivoHarness) under the user's vitest");
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '-D', 'vitest@^4'], {
    cwd: app,
    stdio: 'inherit',
  });
  mkdirSync(join(app, 'test'));
  writeFileSync(
    join(app, 'test', 'plivo.test.ts'),
    `import { plivoHarness } from '@callwire/plivo/testing';
import { describeCarrier } from '@callwire/testing/vitest';

describeCarrier(plivoHarness);
`,
  );
  const suite = await runAsync(
    process.execPath,
    [join(app, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', app, '--reporter', 'dot'],
    app,
    300_000,
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: vitest's colour codes
  const tally = suite.output.replace(/\x1b\[[0-9;]*m/g, '').match(/Tests\s+.*\(\d+\)/)?.[0];
  if (suite.ok) pass(`describeCarrier(plivoHarness): ${tally}`);
  else fail(`describeCarrier(plivoHarness):\n${indent(suite.output.slice(-4000))}`);

  step('CommonJS gets the ESM-only error');
  for (const name of packed.keys()) {
    const result = attempt(process.execPath, ['-e', `require(${JSON.stringify(name)})`], { cwd: app });
    const expected = `${name} is ESM only: use import, or await import() from CommonJS`;
    if (!result.ok && result.output.includes(expected)) pass(`require('${name}') throws "${expected}"`);
    else fail(`require('${name}') did not throw the ESM-only error:\n${indent(result.output)}`);
  }

  step('publint and @arethetypeswrong/cli on every tarball');
  const tools = join(scratch, 'tools');
  mkdirSync(tools);
  writeFileSync(join(tools, 'package.json'), '{ "private": true, "type": "module" }\n');
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', 'publint@^0.3', '@arethetypeswrong/cli@^0.18'],
    {
      cwd: tools,
      stdio: 'inherit',
    },
  );
  const bin = (name) => join(tools, 'node_modules', '.bin', name);
  for (const [name, tarball] of packed) {
    const lint = attempt(bin('publint'), ['run', tarball, '--strict', '--level', 'suggestion'], {
      cwd: tools,
    });
    if (lint.ok && lint.output.includes('All good!')) pass(`publint ${name}`);
    else fail(`publint ${name}:\n${indent(lint.output)}`);
    // A `require` resolves to esm-only.cjs and its .d.cts, so both node16 modes have matching types. The
    // node16 profile leaves out node10 resolution, which has no `exports` and so no subpaths (./testing).
    const types = attempt(bin('attw'), [tarball, '--profile', 'node16', '--format', 'ascii'], { cwd: tools });
    if (types.ok) pass(`attw ${name}`);
    else fail(`attw ${name}:\n${indent(types.output)}`);
  }
} catch (error) {
  fail(error.stack ?? String(error));
} finally {
  if (KEEP || failures.length > 0) console.log(`\nscratch project kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.log(`\n${failures.length} consumer check(s) failed`);
  process.exit(1);
}
console.log('\nconsumer tests passed');

/** The first ```lang block under `## heading`. */
function firstBlock(markdown, heading, lang) {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (section === undefined) throw new Error(`README.md has no "## ${heading}" section`);
  const match = section.match(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'm'));
  if (!match) throw new Error(`README.md's "${heading}" section has no \`\`\`${lang} block`);
  return match[1];
}

function describeRanges(manifest) {
  const internal = Object.entries(manifest.dependencies ?? {}).filter(([name]) =>
    name.startsWith('@callwire/'),
  );
  return internal.length === 0
    ? '(no internal dependencies)'
    : internal.map(([name, range]) => `${name}@${range}`).join(' ');
}

function indent(text) {
  return text
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

/** Like `attempt`, without blocking the event loop: `{ ok, output }`. */
function runAsync(command, args, cwd, timeoutMs) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolveRun({ ok: code === 0, output }));
  });
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function runHandlerAgainstSimulatedCall() {
  // The README's handler, as written, compiled by the TypeScript the user installed.
  const emit = attempt(
    process.execPath,
    [
      join(app, 'node_modules', 'typescript-5.9', 'bin', 'tsc'),
      '-p',
      'tsconfig.json',
      '--noEmit',
      'false',
      '--outDir',
      'dist',
    ],
    { cwd: app },
  );
  if (!emit.ok) return fail(`compiling the handler:\n${indent(emit.output)}`);
  const port = await freePort();
  // No Plivo credentials: the server must still serve the call (auto hang-up off).
  const env = {
    ...process.env,
    PORT: String(port),
    PLIVO_AUTH_ID: '',
    PLIVO_AUTH_TOKEN: '',
    CALLWIRE_LOG_LEVEL: 'info',
  };
  delete env.PLIVO_AUTH_ID;
  delete env.PLIVO_AUTH_TOKEN;
  const server = spawn(process.execPath, ['dist/handler.js'], {
    cwd: app,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout.on('data', (chunk) => (log += chunk));
  server.stderr.on('data', (chunk) => (log += chunk));
  try {
    writeFileSync(
      join(app, 'simulate.mjs'),
      `import { simulateCall } from '@callwire/testing';
import { tone, toneSnrDb } from '@callwire/testing/audio';
import { plivoHarness } from '@callwire/plivo/testing';

const url = process.argv[2];
for (let tries = 0; ; tries++) {
  try {
    await fetch(url.replace(/^ws/, 'http').replace(/\\/stream$/, '/healthz'));
    break;
  } catch (error) {
    if (tries > 100) throw error;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const sampleRate = plivoHarness.wireSampleRate;
const summary = await simulateCall({
  url,
  harness: plivoHarness,
  audio: tone({ frequencyHz: 440, durationMs: 500, sampleRate }),
  realTime: false,
  dtmf: [{ digit: '#', atMs: 5000 }],
  tailMs: 500,
});
console.log(JSON.stringify({
  receivedSamples: summary.receivedAudio.length,
  // Measured past the first and last 50 ms, where the resamplers' filters fill and drain.
  snrDb: summary.receivedAudio.length > 1600 ? toneSnrDb(summary.receivedAudio.subarray(400, -400), 440, sampleRate) : null,
  closeCode: summary.closeCode,
  closedBy: summary.closedBy,
  errors: summary.errors,
}));
`,
    );
    // Asynchronous, so that the server's log keeps arriving while the call runs.
    const result = await runAsync(
      process.execPath,
      ['simulate.mjs', `ws://127.0.0.1:${port}/stream`],
      app,
      30_000,
    );
    if (!result.ok) return fail(`simulateCall:\n${indent(result.output)}\n    server log:\n${indent(log)}`);
    const summary = JSON.parse(result.output.trim().split('\n').at(-1));
    const heard = `${summary.receivedSamples} samples back, tone SNR ${summary.snrDb?.toFixed(1)} dB, closed by ${summary.closedBy} (${summary.closeCode})`;
    if (
      summary.receivedSamples >= 3000 &&
      summary.snrDb >= 30 &&
      summary.errors.length === 0 &&
      summary.closeCode !== 1011
    ) {
      pass(`the echo came back: ${heard}`);
    } else
      fail(
        `the simulated call: ${heard}, errors ${JSON.stringify(summary.errors)}\n    server log:\n${indent(log)}`,
      );
    if (/auto hang-up/i.test(log))
      pass(`the server said why auto hang-up is off: ${log.match(/[^\n"]*auto hang-up[^\n"]*/i)[0]}`);
  } finally {
    server.kill('SIGINT');
  }
}

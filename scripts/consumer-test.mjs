// The packages as a user installs them: pack every publishable package, install the tarballs with npm
// into scratch projects outside the workspace, and there:
// - type-check every ```ts block of every README (root, packages/*, examples/*) with the root README's
//   tsconfig (strict, NodeNext and Bundler, no skipLibCheck) on TypeScript 5.9 and the current latest. A
//   block that is not code to copy is marked `<!-- readme-check: not compiled (reason) -->` on the line
//   before it; a block headed `// src/<file>` is that file of examples/acme-carrier and must equal it;
// - run the README's handler against a simulated Plivo call and check that audio comes back;
// - run the carrier test kit (describeCarrier) on the installed Plivo carrier and on the example carrier
//   copied from examples/acme-carrier/src, under vitest 4 with zod 4, and the example again under vitest 3
//   with zod 3.25 (its schemas on `zod/v4`), installed without --legacy-peer-deps (no ERESOLVE);
// - install @callwire/testing alone: no vitest comes with it, its main entry loads; sizes with and without;
// - check the ESM-only error a CommonJS require gets, and run publint and attw on every tarball.
//
// Usage: pnpm consumer [--keep]   (--keep leaves the scratch project in os.tmpdir() for a look)
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const KEEP = process.argv.includes('--keep');
/** The TypeScript versions users get: the one the workspace builds with, and what `npm i typescript` installs. */
const TYPESCRIPTS = { 'typescript-5.9': 'typescript@~5.9.3', 'typescript-latest': 'typescript@latest' };
/** The example carrier authors copy: type-checked and run through describeCarrier from the tarballs. */
const ACME_SOURCE = 'examples/acme-carrier/src';
/** The READMEs whose ```ts blocks a user copies. */
const READMES = [
  'README.md',
  ...['packages', 'examples'].flatMap((parent) =>
    readdirSync(join(ROOT, parent))
      .map((dir) => `${parent}/${dir}/README.md`)
      .filter((file) => existsSync(join(ROOT, file))),
  ),
];
const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--loglevel=error'];

const failures = [];
const started = Date.now();
let stepStarted = started;
const step = (text) => {
  const now = Date.now();
  console.log(`  (${((now - stepStarted) / 1000).toFixed(0)} s)\n\n▸ ${text}`);
  stepStarted = now;
};
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

/** `names` and every @callwire package they depend on (npm cannot fetch unpublished ones from the registry). */
function withInternalDependencies(names) {
  const manifests = new Map(publishable.map(({ manifest }) => [manifest.name, manifest]));
  const wanted = new Set();
  const visit = (name) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dependency of Object.keys(manifests.get(name)?.dependencies ?? {})) {
      if (manifests.has(dependency)) visit(dependency);
    }
  };
  for (const name of names) visit(name);
  return [...wanted];
}

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
const zod3 = join(scratch, 'zod3-vitest3');
const simulatorOnly = join(scratch, 'simulator-only');
mkdirSync(tarballs);
mkdirSync(zod3);
mkdirSync(simulatorOnly);
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
    // Unpacked once: one tar per file would cost a process per source map.
    const unpacked = join(scratch, 'unpacked', name);
    mkdirSync(unpacked, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', unpacked]);
    const listing = run('tar', ['-tzf', tarball]).split('\n');
    const read = (file) => readFileSync(join(unpacked, file), 'utf8');
    const manifest = JSON.parse(read('package/package.json'));
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
    if (listing.includes('package/LICENSE') && read('package/LICENSE') !== license) {
      problems.push('LICENSE differs from the root LICENSE');
    }
    // Source and declaration maps point at src/, which ships, so stack traces and go-to-definition resolve.
    for (const map of listing.filter((file) => file.endsWith('.map'))) {
      const { sources } = JSON.parse(read(map));
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

  step('npm install the tarballs into a fresh project outside the workspace (zod 4, vitest 4)');
  writePackageJson(app, 'callwire-consumer');
  const typescripts = Object.entries(TYPESCRIPTS).map(([alias, spec]) => `${alias}@npm:${spec}`);
  npmInstall(app, [...packed.values(), '@types/node@20', 'vitest@^4', ...typescripts]);
  for (const alias of Object.keys(TYPESCRIPTS)) {
    pass(`${alias}: ${installedVersion(app, alias)}`);
  }
  const zod = installedVersion(app, 'zod');
  if (zod) pass(`zod ${zod} installed as the peer dependency, vitest ${installedVersion(app, 'vitest')}`);
  else fail('zod, the peer dependency, was not installed');

  step('every README code block a user copies, extracted');
  // The example carrier first: README blocks headed `// src/<file>` are its files, and must match them.
  cpSync(join(ROOT, ACME_SOURCE), join(app, 'src', 'acme'), { recursive: true });
  const blocks = readmeBlocks();
  let handlerFile;
  for (const block of blocks) {
    const where = `${block.readme} block ${block.index} (line ${block.line})`;
    if (block.skip !== undefined) {
      if (block.skip.trim() === '') fail(`${where} is marked not compiled without a reason`);
      else pass(`${where}: not compiled — ${block.skip}`);
      continue;
    }
    if (block.acmeFile !== undefined) {
      const file = join(app, 'src', 'acme', block.acmeFile);
      if (!existsSync(file))
        fail(`${where} is headed // src/${block.acmeFile}, which ${ACME_SOURCE} does not have`);
      else if (readFileSync(file, 'utf8') !== block.body)
        fail(`${where} differs from ${ACME_SOURCE}/${block.acmeFile}`);
      else pass(`${where} = ${ACME_SOURCE}/${block.acmeFile}, type-checked and run there`);
      continue;
    }
    const name = `${block.readme.replace(/\/?README\.md$/, '').replace(/[/]/g, '-') || 'root'}-${block.index}.ts`;
    block.file = join('src', 'readme', name);
    mkdirSync(join(app, 'src', 'readme'), { recursive: true });
    writeFileSync(join(app, block.file), block.code);
    // The first block under the heading: the handler that listens (later ones are snippets).
    if (block.readme === 'README.md' && block.heading === 'Write a handler') handlerFile ??= block.file;
    pass(`${where} ("${block.heading}") → ${block.file}`);
  }
  if (handlerFile === undefined) fail('README.md has no ts block under "## Write a handler"');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
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

  step("type-check the README blocks and the example carrier (README's tsconfig: strict, no skipLibCheck)");
  const checks = Object.keys(TYPESCRIPTS).flatMap((alias) =>
    [
      ['NodeNext', 'tsconfig.json'],
      ['Bundler', 'tsconfig.bundler.json'],
    ].map(([label, project]) => ({ label: `${alias}, ${label}`, alias, project })),
  );
  // Two at a time: the four compilers are independent, and CI machines have two cores.
  for (let at = 0; at < checks.length; at += 2) {
    const pair = checks.slice(at, at + 2);
    const results = await Promise.all(
      pair.map(({ alias, project }) =>
        runAsync(
          process.execPath,
          [join(app, 'node_modules', alias, 'bin', 'tsc'), '-p', project],
          app,
          600_000,
        ),
      ),
    );
    for (const [index, result] of results.entries()) {
      if (result.ok) pass(pair[index].label);
      else fail(`${pair[index].label}:\n${indent(result.output)}`);
    }
  }

  step(
    'run the README handler and call it with simulateAnsweredCall (plivoHarness): answer URL, then the tokened stream',
  );
  if (handlerFile !== undefined) await runHandlerAgainstSimulatedCall(handlerFile);

  step("the carrier test kit from the tarballs under the user's vitest 4: Plivo, and the example carrier");
  mkdirSync(join(app, 'test'));
  writeFileSync(
    join(app, 'test', 'plivo.test.ts'),
    `import { plivoHarness } from '@callwire/plivo/testing';
import { describeCarrier } from '@callwire/testing/vitest';

describeCarrier(plivoHarness);
`,
  );
  await runVitest(
    app,
    ['test/plivo.test.ts', 'src/acme/carrier.test.ts'],
    'describeCarrier(plivoHarness), describeCarrier(acmeHarness)',
  );

  step(
    'zod 3.25 and vitest 3: the kit and the test kit install without ERESOLVE, the example carrier on zod/v4 passes',
  );
  writePackageJson(zod3, 'callwire-consumer-zod3');
  const kitTarballs = withInternalDependencies(['@callwire/kit', '@callwire/testing']).map((name) =>
    packed.get(name),
  );
  const zod3Install = attempt(
    'npm',
    [
      ...NPM_INSTALL,
      ...kitTarballs,
      'zod@~3.25.0',
      'vitest@^3.2.0',
      '@types/node@20',
      TYPESCRIPTS['typescript-5.9'],
    ],
    { cwd: zod3 },
  );
  if (!zod3Install.ok) fail(`npm install with zod 3 and vitest 3:\n${indent(zod3Install.output)}`);
  else {
    pass(`installed: zod ${installedVersion(zod3, 'zod')}, vitest ${installedVersion(zod3, 'vitest')}`);
    cpSync(join(ROOT, ACME_SOURCE), join(zod3, 'src'), { recursive: true });
    // What the kit's README tells a zod 3 author to write.
    for (const file of ['events.ts', 'options.ts']) {
      const path = join(zod3, 'src', file);
      writeFileSync(path, readFileSync(path, 'utf8').replaceAll("from 'zod'", "from 'zod/v4'"));
    }
    writeFileSync(join(zod3, 'tsconfig.json'), `${JSON.stringify(nodenext, null, 2)}\n`);
    const checked = attempt(
      process.execPath,
      [join(zod3, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      {
        cwd: zod3,
      },
    );
    if (checked.ok) pass('the example carrier type-checks on zod 3.25 (zod/v4), TypeScript 5.9');
    else fail(`type-checking the example carrier on zod 3:\n${indent(checked.output)}`);
    await runVitest(zod3, ['src/carrier.test.ts'], 'describeCarrier(acmeHarness) on zod 3.25 + vitest 3');
  }

  step('@callwire/testing without vitest: the simulator alone');
  writePackageJson(simulatorOnly, 'callwire-consumer-simulator');
  npmInstall(
    simulatorOnly,
    withInternalDependencies(['@callwire/testing']).map((name) => packed.get(name)),
  );
  const withoutVitest = directoryBytes(join(simulatorOnly, 'node_modules'));
  if (existsSync(join(simulatorOnly, 'node_modules', 'vitest')))
    fail('npm installed vitest with @callwire/testing');
  const loaded = attempt(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { startFakeCarrierApi, simulateCall } from '@callwire/testing';
const api = await startFakeCarrierApi([]);
await api.close();
console.log(typeof simulateCall);`,
    ],
    { cwd: simulatorOnly },
  );
  if (loaded.ok && loaded.output.trim() === 'function')
    pass(`@callwire/testing loads and starts a fake API without vitest; node_modules ${mb(withoutVitest)}`);
  else fail(`@callwire/testing without vitest:\n${indent(loaded.output)}`);
  npmInstall(simulatorOnly, ['-D', 'vitest@^4']);
  const withVitest = directoryBytes(join(simulatorOnly, 'node_modules'));
  pass(
    `with vitest ${installedVersion(simulatorOnly, 'vitest')} added: node_modules ${mb(withVitest)} (+${mb(withVitest - withoutVitest)})`,
  );

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
console.log(`\nconsumer tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);

function writePackageJson(dir, name) {
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name, private: true, type: 'module' }, null, 2)}\n`,
  );
}

function npmInstall(dir, specs) {
  run('npm', [...NPM_INSTALL, ...specs], { cwd: dir, stdio: 'inherit' });
}

function installedVersion(dir, name) {
  return readJson(join(dir, 'node_modules', name, 'package.json'))?.version;
}

function tsc(dir, alias, args) {
  return attempt(process.execPath, [join(dir, 'node_modules', alias, 'bin', 'tsc'), ...args], { cwd: dir });
}

/** Runs vitest in `dir` on `files` and reports the tally. */
async function runVitest(dir, files, label) {
  const suite = await runAsync(
    process.execPath,
    [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '--reporter', 'dot', ...files],
    dir,
    600_000,
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: vitest's colour codes
  const plain = suite.output.replace(/\x1b\[[0-9;]*m/g, '');
  const tally = plain.match(/Tests\s+.*\(\d+\)/)?.[0];
  const filesTally = plain.match(/Test Files\s+.*\(\d+\)/)?.[0];
  if (suite.ok && filesTally?.includes(`${files.length} passed`)) pass(`${label}: ${filesTally}; ${tally}`);
  else fail(`${label}:\n${indent(suite.output.slice(-4000))}`);
}

/** Every ```ts block of the READMEs: its code, where it is, its section and how it is to be checked. */
function readmeBlocks() {
  const blocks = [];
  for (const readme of READMES) {
    const lines = readFileSync(join(ROOT, readme), 'utf8').split('\n');
    let heading = '';
    let index = 0;
    for (let at = 0; at < lines.length; at++) {
      if (/^#+ /.test(lines[at])) heading = lines[at].replace(/^#+ /, '');
      if (!/^```(ts|typescript)\s*$/.test(lines[at])) continue;
      const end = lines.indexOf('```', at + 1);
      const code = `${lines.slice(at + 1, end).join('\n')}\n`;
      const marker = lines[at - 1]?.match(/^<!-- readme-check: not compiled(?: \((.*)\))? -->$/);
      const acmeFile = code.match(/^\/\/ src\/(\S+\.ts)\n/)?.[1];
      index += 1;
      blocks.push({
        readme,
        index,
        line: at + 1,
        heading,
        code,
        ...(marker ? { skip: marker[1] ?? '' } : {}),
        ...(acmeFile ? { acmeFile, body: code.slice(code.indexOf('\n') + 1) } : {}),
      });
      at = end;
    }
  }
  return blocks;
}

function directoryBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

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

async function runHandlerAgainstSimulatedCall(handlerFile) {
  // The README's handler, as written, compiled by the TypeScript the user installed.
  // Only the handler and what it imports: the other blocks were type-checked above.
  const { include: _all, ...handlerOnly } = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8'));
  writeFileSync(
    join(app, 'tsconfig.handler.json'),
    JSON.stringify({
      ...handlerOnly,
      compilerOptions: { ...handlerOnly.compilerOptions, noEmit: false, rootDir: 'src', outDir: 'dist' },
      files: [handlerFile],
    }),
  );
  const emit = tsc(app, 'typescript-5.9', ['-p', 'tsconfig.handler.json']);
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
  const server = spawn(process.execPath, [handlerFile.replace(/^src/, 'dist').replace(/\.ts$/, '.js')], {
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
      `import { simulateAnsweredCall } from '@callwire/testing';
import { tone, toneSnrDb } from '@callwire/testing/audio';
import { plivoHarness } from '@callwire/plivo/testing';

const answerUrl = process.argv[2];
for (let tries = 0; ; tries++) {
  try {
    await fetch(new URL('/healthz', answerUrl));
    break;
  } catch (error) {
    if (tries > 100) throw error;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const sampleRate = plivoHarness.wireSampleRate;
const summary = await simulateAnsweredCall({
  answerUrl,
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
      ['simulate.mjs', `http://127.0.0.1:${port}/answer`],
      app,
      30_000,
    );
    if (!result.ok)
      return fail(`simulateAnsweredCall:\n${indent(result.output)}\n    server log:\n${indent(log)}`);
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

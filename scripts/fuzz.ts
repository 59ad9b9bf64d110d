/**
 * `pnpm fuzz [--runs N] [--seed S] [carrier...]`: throws N hostile messages (default 100,000) at the
 * `deserialize` of every harness of every carrier package found by convention (a package under
 * `packages/` whose keywords include `callwire-carrier` and whose `./testing` entry exports `harnesses`),
 * and prints cases per second and every finding with its input. Exits 1 when anything was found.
 * The normal test suites run the same fuzzer with 2,000 cases (each carrier's `describeCarrier` suite).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const packagesDirectory = join(root, 'packages');
const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '100000' }, seed: { type: 'string' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs <= 0) {
  console.error(`--runs must be a positive integer, got ${values.runs}`);
  process.exit(2);
}

// The carrier packages by the same convention `discoverCarriers` uses, to build them before loading them.
const carrierDirectories = readdirSync(packagesDirectory).filter((entry) => {
  const manifest = join(packagesDirectory, entry, 'package.json');
  if (!existsSync(manifest)) return false;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { keywords?: string[] };
  return pkg.keywords?.includes('callwire-carrier') ?? false;
});
execFileSync(
  'npx',
  ['tsc', '-b', ...['testing', ...carrierDirectories].map((name) => join('packages', name))],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

type Testing = typeof import('../packages/testing/src/index.js');
const testing: Testing = await import(pathToFileURL(join(packagesDirectory, 'testing/dist/index.js')).href);
const carriers = (await testing.discoverCarriers(packagesDirectory)).filter(
  (carrier) => positionals.length === 0 || positionals.includes(carrier.name),
);
if (carriers.length === 0) {
  console.error(
    positionals.length > 0
      ? `no carrier named ${positionals.join(', ')} found under packages/`
      : 'no carrier package found under packages/',
  );
  process.exit(2);
}

let failed = false;
console.log(`fuzzing deserialize with ${runs.toLocaleString('en-US')} cases per harness\n`);
for (const carrier of carriers) {
  for (const harness of carrier.harnesses) {
    const name = `${carrier.name} ${harness.wireCodec}/${harness.wireSampleRate / 1000}k`;
    const report = await testing.fuzzCarrier(harness, {
      runs,
      ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    });
    const rate = Math.round(report.casesPerSecond).toLocaleString('en-US');
    const outcomes = Object.entries(report.outcomes)
      .sort(([, a], [, b]) => b - a)
      .map(([type, count]) => `${type} ${count}`)
      .join(', ');
    console.log(
      `${name.padEnd(18)} ${report.cases.toLocaleString('en-US')} cases in ${(report.durationMs / 1000).toFixed(1)} s` +
        ` = ${rate} cases/s, seed ${report.seed}, findings ${report.findingCount}`,
    );
    console.log(`${''.padEnd(18)} outcomes: ${outcomes}`);
    if (report.findingCount > 0) {
      failed = true;
      console.log(testing.describeFindings(report).replace(/^/gm, ''.padEnd(19)));
    }
  }
}
process.exit(failed ? 1 : 0);

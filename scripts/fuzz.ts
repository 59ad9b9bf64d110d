/**
 * `pnpm fuzz [--runs N] [--seed S] [carrier...]`: throws N hostile messages (default 100,000) at the
 * `deserialize` of every carrier package that has a conformance harness (`packages/<carrier>/src/harness.ts`),
 * and prints cases per second and every finding with its input. Exits 1 when anything was found.
 * The normal test suites run the same fuzzer with 2,000 cases (`src/fuzz.test.ts` in each carrier).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '100000' }, seed: { type: 'string' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs <= 0) {
  console.error(`--runs must be a positive integer, got ${values.runs}`);
  process.exit(2);
}

const carriers = readdirSync(join(root, 'packages')).filter(
  (name) =>
    existsSync(join(root, 'packages', name, 'src', 'harness.ts')) &&
    (positionals.length === 0 || positionals.includes(name)),
);
if (carriers.length === 0) {
  console.error('no carrier package with src/harness.ts found');
  process.exit(2);
}

// The harnesses import the packages' built output: make sure it is current.
execFileSync('npx', ['tsc', '-b', ...['testing', ...carriers].map((name) => join('packages', name))], {
  cwd: root,
  stdio: 'inherit',
});

type Testing = typeof import('../packages/testing/src/index.js');
const testing: Testing = await import(pathToFileURL(join(root, 'packages/testing/dist/index.js')).href);

let failed = false;
console.log(`fuzzing deserialize with ${runs.toLocaleString('en-US')} cases per carrier\n`);
for (const carrier of carriers) {
  const module = (await import(
    pathToFileURL(join(root, 'packages', carrier, 'src', 'harness.ts')).href
  )) as Record<string, unknown>;
  // Every exported harness object (Plivo has one per wire format).
  const harnesses = Object.entries(module).filter(
    ([, value]) => typeof value === 'object' && value !== null && 'plugin' in value && 'wire' in value,
  ) as [string, Parameters<Testing['fuzzCarrier']>[0]][];
  if (harnesses.length === 0) console.log(`${carrier}: no harness exported by src/harness.ts, skipped`);
  for (const [name, harness] of harnesses) {
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

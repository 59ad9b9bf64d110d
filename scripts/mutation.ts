/**
 * `pnpm mutation [package...]`: runs StrykerJS in every package that has a `stryker.config.json`
 * (or only the named ones), one after the other, and prints each mutation score with the surviving
 * mutants per file. Slow (minutes per package): not part of CI. Reports: `packages/<pkg>/reports/mutation/`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const packages = readdirSync(join(root, 'packages')).filter(
  (name) =>
    existsSync(join(root, 'packages', name, 'stryker.config.json')) &&
    (wanted.length === 0 || wanted.includes(name)),
);
if (packages.length === 0) {
  console.error('no package with a stryker.config.json matches');
  process.exit(2);
}

interface MutantReport {
  status: string;
  mutatorName: string;
  location: { start: { line: number } };
}

/** Stryker's score: detected (killed or timed out) over valid mutants (detected, survived, no coverage). */
function summarize(reportPath: string) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    files: Record<string, { mutants: MutantReport[] }>;
  };
  const counts: Record<string, number> = {};
  const survivors: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const mutant of mutants) {
      counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        survivors.push(`${file}:${mutant.location.start.line} ${mutant.mutatorName} (${mutant.status})`);
      }
    }
  }
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { score: valid > 0 ? (100 * detected) / valid : 100, counts, survivors };
}

let failed = false;
for (const name of packages) {
  const cwd = join(root, 'packages', name);
  console.log(`\n== ${name}: stryker run`);
  const run = spawnSync('npx', ['stryker', 'run'], { cwd, stdio: 'inherit' });
  const reportPath = join(cwd, 'reports', 'mutation', 'mutation.json');
  if (run.status !== 0 || !existsSync(reportPath)) {
    console.log(`== ${name}: stryker failed (exit ${run.status})`);
    failed = true;
    continue;
  }
  const { score, counts, survivors } = summarize(reportPath);
  console.log(`== ${name}: mutation score ${score.toFixed(1)}% ${JSON.stringify(counts)}`);
  for (const survivor of survivors) console.log(`   survived: ${survivor}`);
}
process.exit(failed ? 1 : 0);

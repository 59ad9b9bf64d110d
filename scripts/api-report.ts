// Writes (or, with --check, verifies) each package's public API report: one `api/<entry>.api.md`
// per entry point in its package.json `exports`, made by api-extractor from the built `.d.ts`.
// `pnpm api` updates the reports; `pnpm api:check` (run by CI) fails when a report is out of date.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));

interface PackageJson {
  readonly name: string;
  readonly private?: boolean;
  readonly exports?: Record<string, { readonly types?: string }>;
}

/** Every publishable workspace package and its typed entry points (`.` and subpaths). */
function entryPoints(): { dir: string; pkg: PackageJson; entry: string; types: string }[] {
  const found: { dir: string; pkg: PackageJson; entry: string; types: string }[] = [];
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', name);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
    if (pkg.private || (only.length > 0 && !only.includes(name))) continue;
    for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
      if (target.types) found.push({ dir, pkg, entry, types: target.types });
    }
  }
  return found;
}

/** `.` -> `index`, `./testing` -> `testing`. */
function reportName(entry: string): string {
  return entry === '.' ? 'index' : entry.replace(/^\.\//, '').replaceAll('/', '-');
}

let failed = 0;
for (const { dir, pkg, entry, types } of entryPoints()) {
  const name = reportName(entry);
  const reportFolder = join(dir, 'api');
  mkdirSync(reportFolder, { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: dir,
      mainEntryPointFilePath: join(dir, types),
      compiler: { tsconfigFilePath: join(dir, 'tsconfig.json') },
      apiReport: {
        enabled: true,
        reportFileName: `${name}.api.md`,
        reportFolder,
        reportTempFolder: join(root, 'node_modules', '.cache', 'api-report', pkg.name),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.None },
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        },
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: join(dir, 'api-extractor.json'),
    packageJsonFullPath: join(dir, 'package.json'),
  });
  const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false });
  const label = `${pkg.name}${entry === '.' ? '' : entry.slice(1)}`;
  if (!result.succeeded || (check && result.apiReportChanged)) {
    failed += 1;
    console.error(`${label}: API report ${check ? 'is out of date (run pnpm api and commit it)' : 'failed'}`);
  } else {
    console.log(`${label}: ${result.apiReportChanged ? 'updated' : 'unchanged'} (${name}.api.md)`);
  }
}
if (failed > 0) process.exit(1);

// Publishes what `pnpm version-packages` (changeset version) versioned: builds every package from clean,
// runs every test and the consumer test, then `changeset publish`, with npm provenance (publishConfig in
// each package, and NPM_CONFIG_PROVENANCE here; provenance needs a CI with OIDC, such as GitHub Actions
// with `id-token: write`).
//
// Usage: pnpm release            build, test, publish
//        pnpm release:dry-run    build from clean, then `pnpm publish --dry-run` every package: what would
//                                be uploaded, with nothing uploaded and no tests (CI runs them before it);
//                                and `changeset version` in a scratch copy: the versions and CHANGELOGs the
//                                pending changesets would write, checked
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DRY_RUN = process.argv.includes('--dry-run');
const env = { ...process.env, NPM_CONFIG_PROVENANCE: DRY_RUN ? 'false' : 'true' };

function pnpm(...args) {
  console.log(`\n$ pnpm ${args.join(' ')}`);
  execFileSync('pnpm', args, { cwd: ROOT, stdio: 'inherit', env });
}

pnpm('clean');
pnpm('exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--force', '--output-logs=errors-only');
if (DRY_RUN) {
  // Provenance is off here: it needs the CI's identity token, and a dry run uploads nothing to attest.
  pnpm('--filter', './packages/*', 'publish', '--dry-run', '--no-git-checks', '--provenance=false');
  versionInScratchCopy();
} else {
  pnpm('test');
  pnpm('consumer');
  pnpm('exec', 'changeset', 'publish');
}

/** The packages each pending changeset bumps, with its summary's first line. */
function pendingChangesets(root) {
  const dir = join(root, '.changeset');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .map((file) => {
      const [, front = '', body = ''] =
        /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(readFileSync(join(dir, file), 'utf8')) ?? [];
      const packages = [...front.matchAll(/^['"]?(@callwire\/[a-z0-9-]+)['"]?:\s*(patch|minor|major)/gm)].map(
        (m) => m[1],
      );
      return { file, packages, summary: body.trim().split('\n')[0] ?? '' };
    });
}

/**
 * `changeset version` on a copy of the working tree (tracked and unignored files; the workspace's
 * node_modules linked in), then checks that every package a pending changeset names got a new version
 * and a CHANGELOG.md entry with that changeset's summary. The repository itself is not touched.
 */
function versionInScratchCopy() {
  console.log('\n$ changeset version (in a scratch copy): the versions and CHANGELOGs a release would write');
  const changesets = pendingChangesets(ROOT);
  if (changesets.length === 0) {
    console.log('no pending changesets: nothing to version');
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'callwire-version-'));
  try {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((file) => file !== '' && existsSync(join(ROOT, file)));
    for (const file of files) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      cpSync(join(ROOT, file), join(scratch, file));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    execFileSync(process.execPath, [join(ROOT, 'node_modules/@changesets/cli/bin.js'), 'version'], {
      cwd: scratch,
      stdio: 'inherit',
    });
    const problems = [];
    const named = new Set(changesets.flatMap((changeset) => changeset.packages));
    for (const dir of readdirSync(join(ROOT, 'packages'))) {
      const manifestFile = join('packages', dir, 'package.json');
      if (!existsSync(join(ROOT, manifestFile))) continue;
      const before = JSON.parse(readFileSync(join(ROOT, manifestFile), 'utf8'));
      if (!named.has(before.name)) continue;
      const after = JSON.parse(readFileSync(join(scratch, manifestFile), 'utf8'));
      const changelogFile = join(scratch, 'packages', dir, 'CHANGELOG.md');
      const changelog = existsSync(changelogFile) ? readFileSync(changelogFile, 'utf8') : '';
      if (after.version === before.version)
        problems.push(`${before.name}: version not bumped (${before.version})`);
      if (!changelog.includes(`## ${after.version}`))
        problems.push(`${before.name}: CHANGELOG.md has no "## ${after.version}"`);
      for (const changeset of changesets.filter((c) => c.packages.includes(before.name))) {
        if (!changelog.includes(changeset.summary))
          problems.push(`${before.name}: CHANGELOG.md lacks ${changeset.file}'s summary`);
      }
      if (problems.length === 0)
        console.log(`${before.name} ${before.version} -> ${after.version}, CHANGELOG.md written`);
    }
    if (existsSync(join(scratch, '.changeset', changesets[0].file)))
      problems.push('the changesets were not consumed');
    if (problems.length > 0) {
      console.error(`changeset version: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Publishes what `pnpm version-packages` (changeset version) versioned: builds every package from clean,
// runs every test and the consumer test, then `changeset publish`, with npm provenance (publishConfig in
// each package, and NPM_CONFIG_PROVENANCE here; provenance needs a CI with OIDC, such as GitHub Actions
// with `id-token: write`).
//
// Usage: pnpm release            build, test, publish
//        pnpm release:dry-run    build from clean, then `pnpm publish --dry-run` every package: what would
//                                be uploaded, with nothing uploaded and no tests (CI runs them before it)
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

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
} else {
  pnpm('test');
  pnpm('consumer');
  pnpm('exec', 'changeset', 'publish');
}

import { configDefaults, defineConfig } from 'vitest/config';

// One test configuration for every package. CI machines are shared and have 2 cores, and turbo
// runs several packages' suites at once: generous timeouts keep slow-but-correct tests green
// (no test asserts on time). Mutation runs copy packages into .stryker-tmp/; never pick those up.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    exclude: [...configDefaults.exclude, '**/.stryker-tmp/**'],
  },
});

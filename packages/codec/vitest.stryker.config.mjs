// Vitest settings for mutation runs only (`pnpm mutation`): instrumented code runs slower, so
// property tests get a longer timeout than in the normal suite. CALLWIRE_MUTATION_TESTS (comma-separated
// globs) narrows the test files, e.g. to the G.711 tests when only the G.711 files are mutated.
import { defineConfig } from 'vitest/config';

const include = process.env.CALLWIRE_MUTATION_TESTS?.split(',') ?? ['src/**/*.test.ts'];

export default defineConfig({ test: { include, testTimeout: 120_000 } });

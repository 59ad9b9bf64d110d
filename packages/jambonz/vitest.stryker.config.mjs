// Vitest settings for mutation runs only (`pnpm mutation`): instrumented code runs slower, so tests get
// a longer timeout. The 100,000-case fuzz run is not needed here; the normal 2,000 (or
// CALLWIRE_FUZZ_RUNS) are. CALLWIRE_MUTATION_TESTS (comma-separated globs) narrows the test files.
import { defineConfig } from 'vitest/config';

const include = process.env.CALLWIRE_MUTATION_TESTS?.split(',') ?? ['src/**/*.test.ts'];

export default defineConfig({ test: { include, testTimeout: 120_000 } });

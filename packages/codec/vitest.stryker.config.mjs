// Vitest settings for mutation runs only (`pnpm mutation`): instrumented code runs slower, so
// property tests get a longer timeout than in the normal suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 120_000 } });

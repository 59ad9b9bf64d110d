import { configDefaults, defineConfig } from 'vitest/config';

// Mutation runs copy the package into .stryker-tmp/; never pick those copies up here.
export default defineConfig({ test: { exclude: [...configDefaults.exclude, '**/.stryker-tmp/**'] } });

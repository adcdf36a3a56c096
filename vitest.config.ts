import { defineConfig } from 'vitest/config';

// Tests import workspace packages through the "pushline-source" export condition, so they run
// against TypeScript sources without a build. Spawned server processes use the built dist/.
export default defineConfig({
  resolve: {
    conditions: ['pushline-source', 'module', 'node', 'import', 'default'],
  },
  ssr: {
    resolve: {
      conditions: ['pushline-source', 'module', 'node', 'import', 'default'],
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});

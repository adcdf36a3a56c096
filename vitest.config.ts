import { availableParallelism } from 'node:os';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages through the "pushline-source" export condition, so they run
// against TypeScript sources without a build. Spawned server processes use the built dist/.
const conditions = ['pushline-source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one file at a time on a 2-core machine (cores - 1), but most of a file's time is
    // spent waiting on the servers, simulators and browsers it starts: two files at a time halve CI's test
    // phase there. Capped because every test server pools up to 10 PostgreSQL connections (the server's
    // default allows 100). The files share nothing but those services: each has its own databases, Redis key
    // prefix, ports and directories (test/helpers).
    maxWorkers: Math.min(4, Math.max(2, availableParallelism() - 1)),
  },
});

// One vitest run for the whole monorepo: fast pure unit tests, then integration tests
// against the real PostgreSQL, Redis and storage (a database per test file, see test/int-setup.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
          // RSA-4096 key generation in beforeAll hooks takes seconds on a busy 2-core machine.
          hookTimeout: 60_000,
          // Pure tests (no process.env writes, no module mocks): the files share one process and its
          // module cache instead of each paying a fresh process and its imports.
          isolate: false,
        },
      },
      {
        test: {
          name: 'int',
          include: ['packages/*/src/**/*.int.test.ts', 'apps/*/src/**/*.int.test.ts'],
          setupFiles: ['test/int-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

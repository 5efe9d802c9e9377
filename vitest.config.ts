import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn node processes and servers; two cores on CI.
    pool: 'forks',
    maxWorkers: 2,
  },
});

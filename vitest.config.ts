import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that run dist/ test the src/ of this checkout: build first.
    globalSetup: ['test/support/build-dist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn node processes and servers and mostly wait on them: three files at a time keep
    // two cores busy (measured: 47.5 s wall for 56.4 s CPU, vs 66 s wall with two).
    pool: 'forks',
    maxWorkers: 3,
  },
});

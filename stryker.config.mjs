// Mutation testing of the boundary modules: how many deliberate bugs the unit tests catch.
// `npm run mutation` (all modules, about 15 minutes) or one module:
//   npx stryker run --mutate src/secrets.ts
// Not part of `.ci/run`: too long for every push.
//
// Equivalent mutants left alive (no test can tell them apart from the original):
// (listed per module after the runs; see the `Stryker disable` comments in the source for
// the ones marked there)

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // Unit tests only: the e2e tests build and spawn the bundle, which mutants never reach.
  vitest: { configFile: 'vitest.unit.config.ts', related: true },
  checkers: [],
  mutate: ['src/untrusted-text.ts', 'src/secrets.ts', 'src/retry.ts', 'src/validate.ts', 'src/report/resource-changes.ts', 'src/report/verdict.ts', 'src/input-parsers.ts'],
  // The machine is shared: one or two test processes at a time.
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.tmp/mutation/report.html' },
  jsonReporter: { fileName: '.tmp/mutation/report.json' },
  tempDirName: '.tmp/stryker',
  // Scratch, build output and reports never go into the sandboxes.
  ignorePatterns: ['.tmp', 'dist', 'coverage', 'reports'],
  incremental: false,
  timeoutMS: 10_000,
};

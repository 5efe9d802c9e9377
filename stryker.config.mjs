// Mutation testing of the boundary modules: how many deliberate bugs the unit tests catch.
// `npm run mutation` (all modules: about 14 minutes on an idle machine, over half an hour on a busy one)
// or one module:
//   npx stryker run --mutate src/runner-io/secrets.ts
// Not part of `.ci/run`: too long for every push.
//
// Equivalent mutants left alive (no test can tell them from the original; the ones in
// input-parsers.ts are marked in the source with `// Stryker disable next-line ...: reason`):
// input-parsers.ts (1)
// - parseDurationText's /^\d+$/ as /\d+$/: a valid duration that ends in a digit is all digits.
// report/resource-changes.ts (2)
// - `typeof count !== 'number'` as `false`: Number.isSafeInteger is false for non-numbers anyway.
// - updateUrl's `at < 0` as `at <= 0`: the stack path at index 0 needs a console URL without origin, and
//   console URLs are absolute (they pass safeUrl).
// retry.ts (3)
// - httpFailureOf's `depth < 4` as `<= 4`: the depth only stops a cycle of causes; how deep is not a rule.
// - sleep's `{ once: true }` as `{}` or `{ once: false }`: `done` removes the listener itself.
// report/verdict.ts (2)
// - In the succeeded branch, no counts means the changes are unknown, so the `: ''` arm of the summary is
//   never taken (`changed === 'unknown'` as `true`, and the `''` literal).
// untrusted-text.ts (4)
// - cut's `end > 0` as `true` or `end >= 0`: at 0, text[-1] is undefined and the surrogate test is false anyway.
// - CSI_SEQUENCE without `^` or `$`: it only ever tests one whole IGNORABLE match.
// secrets.ts (19)
// - `patterns` sorted longest first (3 mutants: no sort, `b.length + a.length`, `() => undefined`):
//   findRanges collects every occurrence of every pattern and merges by position, so order is moot.
// - `add`: `added = true` / `if (false) return` only rebuild the same patterns; split on
//   /[\r\n]/ instead of /[\r\n]+/ only adds empty lines, which are skipped (< 2 characters).
// - Fast paths that return what the general path returns: `if (!this.patterns.length) return line`,
//   `if (!ranges.length) return text` (twice), `found.slice(1)` (merging the first range with itself).
// - `i <= text.length` in redactAroundCodes: one index past the view, never read.
// - `patterns = ["Stryker was here"]` before any secret: only that exact text would tell.
// - base64Forms: `Buffer.from(value, "")` is UTF-8 too; `/=+/` for `/=+$/` (base64 has `=` only at
//   the end); `bytes.length - shift >= 3` as `true` or `+ shift`, and `if (true)` for
//   `trimmed.length >= 4`: fewer than 3 bytes never give 4 stable characters, so the length rule decides alike.
// - powerShellSections without '&' (`if (false)`, `includes("")`): the parts are '' and the value itself,
//   both already handled.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // Unit tests only: the e2e tests build and spawn the bundle, which mutants never reach.
  vitest: { configFile: 'vitest.unit.config.ts', related: true },
  checkers: [],
  mutate: [
    'src/runner-io/untrusted-text.ts',
    'src/runner-io/secrets.ts',
    'src/cloud/retry.ts',
    'src/domain/names.ts',
    'src/report/resource-changes.ts',
    'src/report/verdict.ts',
    'src/inputs/parsers.ts',
  ],
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

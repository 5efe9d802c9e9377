// The layering rules of .dependency-cruiser.cjs catch what they forbid: a fixture tree with one
// forbidden arrow per rule fails with each rule's name, and the real src/ passes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const depcruise = (cwd: string) =>
  spawnSync(
    process.execPath,
    [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'), 'src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'],
    {
      cwd,
      encoding: 'utf8',
    },
  );
const violations = (stdout: string) => (JSON.parse(stdout) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } }).summary.violations;

/** file -> what it imports (each import one forbidden arrow, except the leaves). */
const FIXTURE: Record<string, string[]> = {
  'deployment/flow.ts': ['../report/outputs.js', '../runner-io/outputs.js'],
  'runner-io/outputs.ts': [],
  'report/outputs.ts': ['../deployment/events.js'],
  'deployment/events.ts': [],
  'cloud/client.ts': ['../deployment/request.js'],
  'deployment/request.ts': [],
  'inputs/parsers.ts': ['../cloud/errors.js', '../runner-io/untrusted-text.js'],
  'cloud/errors.ts': [],
  'runner-io/untrusted-text.ts': [],
  'runner-io/clock.ts': ['../cloud/retry.js'],
  'cloud/retry.ts': [],
  'login/login.ts': ['../report/token.js'],
  'report/token.ts': [],
  'domain/outcome.ts': ['../cloud/types.js'],
  'cloud/types.ts': [],
  'deployment/logs.ts': ['@actions/core'],
  'report/a.ts': ['./b.js'],
  'report/b.ts': ['./a.js'],
};

describe('layering rules (dependency-cruiser)', () => {
  it('names each forbidden arrow of a fixture tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layering-'));
    try {
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', allowJs: false }, include: ['src'] }));
      mkdirSync(join(dir, 'node_modules/@actions/core'), { recursive: true });
      writeFileSync(join(dir, 'node_modules/@actions/core/package.json'), JSON.stringify({ name: '@actions/core', main: 'index.js' }));
      writeFileSync(join(dir, 'node_modules/@actions/core/index.js'), '');
      for (const [file, imports] of Object.entries(FIXTURE)) {
        mkdirSync(dirname(join(dir, 'src', file)), { recursive: true });
        writeFileSync(join(dir, 'src', file), imports.map((i) => `import '${i}';\n`).join('') + 'export const x = 1;\n');
      }
      const result = depcruise(dir);
      const found = violations(result.stdout).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
      expect(found.sort()).toEqual(
        [
          'cloud-below-the-flow: src/cloud/client.ts -> src/deployment/request.ts',
          'deployment-not-to-report: src/deployment/flow.ts -> src/report/outputs.ts',
          'outputs-only-from-the-top: src/deployment/flow.ts -> src/runner-io/outputs.ts',
          'domain-is-the-bottom: src/domain/outcome.ts -> src/cloud/types.ts',
          'inputs-are-pure: src/inputs/parsers.ts -> src/cloud/errors.ts',
          'login-below-the-flow: src/login/login.ts -> src/report/token.ts',
          'no-circular: src/report/a.ts -> src/report/b.ts',
          'report-reads-domain-data: src/report/outputs.ts -> src/deployment/events.ts',
          'runner-io-is-a-leaf: src/runner-io/clock.ts -> src/cloud/retry.ts',
          'sinks-only-from-the-top: src/deployment/logs.ts -> node_modules/@actions/core/index.js',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds no forbidden arrow in src/', () => {
    const result = depcruise(root);
    expect(violations(result.stdout)).toEqual([]);
  });
});

// npm run demo is the first thing a newcomer runs: it must show what it says it shows.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('npm run demo', () => {
  it('runs a preview with a PR comment, then an update that fails in a step', () => {
    const demo = spawnSync(process.execPath, ['scripts/demo.mjs', '--no-build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(demo.status, demo.stderr).toBe(0);
    const out = demo.stdout;
    expect(out).toMatch(/PR comment created: http:\/\/127\.0\.0\.1:\d+\/acme\/website\/pull\/42#issuecomment-\d+/);
    expect(out).toMatch(/=== PR comments the GitHub stand-in received ===\n--- comment \d+ on acme\/website#42/);
    expect(out).toContain("failed in step 'Pulumi update'");
    expect(out).not.toContain("Input '");
  }, 150_000);
});

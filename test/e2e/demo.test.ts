// npm run demo is the first thing a newcomer runs: it must show what it says it shows.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('npm run demo', () => {
  it('runs a preview with a PR comment, an update that fails in a step, several stacks (two in order, one that fails, the rest skipped), then a GitHub deployment and a check run', () => {
    const demo = spawnSync(process.execPath, ['scripts/demo.mjs', '--no-build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(demo.status, demo.stderr).toBe(0);
    const out = demo.stdout;
    expect(out).toMatch(/PR comment created: http:\/\/127\.0\.0\.1:\d+\/acme\/website\/pull\/42#issuecomment-\d+/);
    expect(out).toMatch(/=== PR comments the GitHub stand-in received ===\n--- comment \d+ on acme\/website#42/);
    expect(out).toContain("failed in step 'Pulumi update'");
    expect(out).not.toContain("Input '");
    // Several stacks: network and database in order, app fails, cdn is skipped.
    expect(out).toContain('Stacks: running acme/platform/database; queued acme/platform/app, acme/platform/cdn; done acme/platform/network (succeeded).');
    expect(out).toContain('acme/platform/cdn was not deployed: an earlier stack failed (fail-fast).');
    const results = [...out.matchAll(/^results\s+(\{.*\})$/gm)].find((m) => m[1]!.includes('acme/platform/network'));
    expect(Object.entries(JSON.parse(results![1]!) as Record<string, { status: string }>).map(([k, v]) => `${k} ${v.status}`)).toEqual([
      'acme/platform/network succeeded',
      'acme/platform/database succeeded',
      'acme/platform/app failed',
      'acme/platform/cdn skipped',
    ]);
    // a GitHub deployment goes from in_progress to success with an environment URL; a check run holds more than 10 annotations
    expect(out).toMatch(/POST \/repos\/acme\/website\/deployments\/\d+\/statuses -> 201 state=in_progress\n/);
    expect(out).toMatch(/POST \/repos\/acme\/website\/deployments\/\d+\/statuses -> 201 state=success environment_url=https:\/\/staging\.website\.example\n/);
    expect(out).toMatch(/deployment \d+ \(staging\): in_progress -> success; environment URL https:\/\/staging\.website\.example/);
    const annotations = Number(/check run "Pulumi update: acme\/website\/staging": success, (\d+) annotations/.exec(out)?.[1]);
    expect(annotations).toBeGreaterThan(10);
  }, 150_000);
});

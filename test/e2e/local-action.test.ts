// `npm run local-action` runs the action from source with @github/local-action; .env.example is
// the file users copy to .env. Both must keep working as the source changes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('@github/local-action with .env.example', () => {
  it('runs main and post from source: a dry run of a preview', { timeout: 60_000 }, () => {
    const bin = join(root, 'node_modules/.bin', process.platform === 'win32' ? 'local-action.cmd' : 'local-action');
    const run = spawnSync(bin, ['.', 'src/main.ts', '.env.example', '--post', 'src/post.ts'], {
      cwd: root,
      encoding: 'utf8',
      shell: process.platform === 'win32',
      timeout: 55_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('dry-run: would POST https://api.pulumi.com/api/stacks/acme/infra/dev/deployments');
    expect(run.stdout).toContain('"operation": "preview"');
    expect(run.stdout).toContain('Running Post Step');
    expect(run.stdout).not.toContain('::error::');
  });
});

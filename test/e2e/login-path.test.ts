// A login-only step (no stack, no operation) loads only the login path: none of the deployment or
// report chunks, no undici (npm's, or node's internal one an ESM import of node:http pulls in).
// A load hook in the action's process lists every dist/ file it loads.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRuns, runE2E, startEmulators, type Emulators } from '../support/harness.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const HOOK = `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
const log = process.env.LOAD_LOG;
registerHooks({ load(url, context, next) { if (url.includes('/dist/')) appendFileSync(log, url.slice(url.lastIndexOf('/dist/') + 6) + '\\n'); return next(url, context); } });
process.on('exit', () => appendFileSync(log, process.moduleLoadList.filter((m) => m.includes('undici')).map((m) => 'node: ' + m + '\\n').join('')));
`;
const DEPLOYMENT_CHUNKS = /^chunks\/(deployment|deployment-request|cancellation|markdown|pr-comment)-/;

let emu: Emulators;
let dir: string;
beforeAll(async () => {
  emu = await startEmulators();
  dir = mkdtempSync(join(tmpdir(), 'login-path-'));
  writeFileSync(join(dir, 'hook.mjs'), HOOK);
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The dist/ files main loaded, and node's internal undici modules if any. */
async function loadedBy(name: string, inputs: Record<string, string>) {
  const log = join(dir, `${name}.txt`);
  writeFileSync(log, '');
  const run = await runE2E(emu, { inputs, runPost: false, env: { LOAD_LOG: log, NODE_OPTIONS: `--import=${join(dir, 'hook.mjs')}` } });
  expect(run.main.exitCode, run.jobLog.slice(-2000)).toBe(0);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  const files = lines.filter((l) => !l.startsWith('node: '));
  return { files, bytes: files.reduce((a, f) => a + statSync(join(DIST, f)).size, 0), nodeUndici: lines.filter((l) => l.startsWith('node: ')) };
}

describe('the login-only path', () => {
  it('loads no deployment or report chunk and no undici, under 100 KB of dist/ in all', async () => {
    const login = await loadedBy('login', {});
    expect(login.files).toContain('main.mjs');
    expect(login.files.filter((f) => DEPLOYMENT_CHUNKS.test(f))).toEqual([]);
    expect(login.files.filter((f) => readFileSync(join(DIST, f), 'utf8').includes('undici/lib/'))).toEqual([]);
    expect(login.nodeUndici).toEqual([]);
    expect(login.bytes).toBeLessThan(100 * 1024);
  });

  it('a deployment loads the deployment chunks (the hook sees them)', async () => {
    const deploy = await loadedBy('deploy', { stack: 'app/dev', operation: 'update' });
    expect(deploy.files.filter((f) => DEPLOYMENT_CHUNKS.test(f)).length).toBeGreaterThan(0);
  });
});

// A login-only step (no stack, no operation) loads only the login path. A load hook in the action's
// process lists every dist/ file it loads and the node builtins loaded by the end and when the first
// request was made; esbuild's metafile of the build (test/support/build-dist.ts) says which source
// modules each file holds. The hook itself loads no builtin module the checks look for.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRuns, runE2E, startEmulators, type Emulators } from '../support/harness.js';
import { METAFILE } from '../support/build-dist.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const HOOK = `const { registerHooks } = process.getBuiltinModule('node:module');
const { appendFileSync } = process.getBuiltinModule('node:fs');
const dc = process.getBuiltinModule('node:diagnostics_channel');
const log = process.env.LOAD_LOG;
const builtins = () => process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ');
registerHooks({ load(url, context, next) { if (url.includes('/dist/')) appendFileSync(log, 'file ' + url.slice(url.lastIndexOf('/dist/') + 6) + '\\n'); return next(url, context); } });
let first = true;
dc.subscribe('http.client.request.created', () => { if (first) appendFileSync(log, 'at-first-request ' + builtins() + '\\n'); first = false; });
process.on('exit', () => appendFileSync(log, 'at-exit ' + builtins() + '\\n'));
`;

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** Source modules no login-only step may load: the deployment flow, the reporters, GitHub's client, the proxy client. */
const NOT_FOR_LOGIN = [
  /^src\/(deployment|github)\//,
  /^src\/report\/(?!token\.ts$)/, // report/token.ts publishes the token's outputs
  /^src\/orchestrator\.ts$/,
  /(^|\/)node_modules\/(@actions\/github|@octokit|undici|tunnel)\//,
  // Only a proxy loads @actions/http-client itself (its tunnel agents load tls): its proxy.js decides.
  /(^|\/)node_modules\/@actions\/http-client\/lib\/index\.js$/,
];
/**
 * Builtins an ESM import or a global loads through lazy getters, which the login path never needs:
 * node's internal undici (node:http's WebSocket), fs/promises, readline and the REPL history (node:fs),
 * WebCrypto (node:crypto), perf_hooks (performance). tls: the stand-ins speak http, and only an https
 * URL (or a proxy) loads it.
 */
const NOT_LOADED_BUILTINS = ['internal/deps/undici/undici', 'internal/fs/promises', 'internal/readline/interface', 'internal/crypto/webcrypto', 'perf_hooks', 'tls'];

let emu: Emulators;
let dir: string;
let metafile: Metafile;
beforeAll(async () => {
  emu = await startEmulators();
  dir = mkdtempSync(join(tmpdir(), 'login-path-'));
  writeFileSync(join(dir, 'hook.mjs'), HOOK);
  metafile = JSON.parse(readFileSync(METAFILE, 'utf8')) as Metafile;
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The dist/ files main loaded, the source modules in them, and the builtins loaded by the first request and by the end. */
async function loadedBy(name: string, inputs: Record<string, string>) {
  const log = join(dir, `${name}.txt`);
  writeFileSync(log, '');
  const run = await runE2E(emu, { inputs, runPost: false, env: { LOAD_LOG: log, NODE_OPTIONS: `--import=${join(dir, 'hook.mjs')}` } });
  expect(run.main.exitCode, run.jobLog.slice(-2000)).toBe(0);
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  const entries = (kind: string) => lines.filter((l) => l.startsWith(`${kind} `)).map((l) => l.slice(kind.length + 1));
  const files = entries('file');
  const modules = files.flatMap((f) => Object.keys(metafile.outputs[`dist/${f}`]?.inputs ?? { [`(not in the metafile: ${f})`]: 0 }));
  return {
    files,
    modules,
    bytes: files.reduce((a, f) => a + statSync(join(DIST, f)).size, 0),
    atFirstRequest: (entries('at-first-request')[0] ?? '').split(' '),
    atExit: (entries('at-exit')[0] ?? '').split(' '),
  };
}

describe('the login-only path', () => {
  it('loads no deployment, report, GitHub or proxy code, in at most 20 files and under 100 KB of dist/', async () => {
    const login = await loadedBy('login', {});
    expect(login.files).toContain('main.mjs');
    expect(login.modules).toContain('src/login/login.ts');
    expect(login.modules.filter((m) => NOT_FOR_LOGIN.some((p) => p.test(m)))).toEqual([]);
    // One import per network half keeps the chunks few (27 files when main and post imported module by module).
    expect(login.files.length).toBeLessThanOrEqual(20);
    expect(login.bytes).toBeLessThan(100 * 1024);
  });

  it('loads none of the builtins only lazy getters would load, and node:crypto only once its first request is out', async () => {
    const login = await loadedBy('builtins', {});
    expect(login.atExit).toContain('http');
    expect(login.atExit.filter((m) => NOT_LOADED_BUILTINS.includes(m))).toEqual([]);
    // node:crypto (about 20 modules) loads while the ID token request is out, not before it.
    expect(login.atFirstRequest).toContain('http');
    expect(login.atFirstRequest).not.toContain('crypto');
    expect(login.atExit).toContain('crypto');
  });

  it('a deployment loads the deployment and report code (the hook and the metafile see them)', async () => {
    const deploy = await loadedBy('deploy', { stack: 'app/dev', operation: 'update' });
    expect(deploy.modules).toContain('src/orchestrator.ts');
    expect(deploy.modules.filter((m) => /^src\/report\//.test(m)).length).toBeGreaterThan(1);
  });
});

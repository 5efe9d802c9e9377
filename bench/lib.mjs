// Helpers for bench/bench.mjs: statistics, child-process timing, a /usr/bin/time wrapper for
// CPU and peak RSS, the emulators, the ncc comparison bundle, and table rendering.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startStandIns } from '../emulators/stand-ins.mjs';
import { runAction } from '../emulators/runner/runner.mjs';
import { DEFAULT_PR_HEAD_SHA, DEFAULT_PR_NUMBER, DEFAULT_REPOSITORY } from '../emulators/runner/action-context.mjs';
import { eventSource } from '../emulators/pulumi-cloud/events.mjs';
import { hugeEventStrings } from '../emulators/pulumi-cloud/scenarios.mjs';

// ---- statistics ----
export const median = (xs) => percentile(xs, 50);
/** Math.min/max without spreading (a million arguments overflow the stack). */
export const minOf = (xs) => xs.reduce((a, x) => (x < a ? x : a), Infinity);
export const maxOf = (xs) => xs.reduce((a, x) => (x > a ? x : a), -Infinity);
/** Nearest-rank percentile; NaN for an empty list. */
export function percentile(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export const ms = (x, d = 0) => (Number.isFinite(x) ? `${x.toFixed(d)} ms` : 'n/a');
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (kib) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(1)} MB` : 'n/a');
export const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');
export const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');

// ---- files ----
/** .mjs/.js files directly in dir and in dir/chunks (no source maps, no LEGAL files). */
export function jsFiles(dir) {
  const out = [];
  for (const sub of ['.', 'chunks']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      const file = join(d, name);
      if (/\.(m?js)$/.test(name) && statSync(file).isFile()) out.push({ file: relative(dir, file), bytes: statSync(file).size });
    }
  }
  return out;
}

/** Which build was measured: sha256 over the files' names and bytes, and the newest mtime. */
export function fingerprint(dir, files) {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.file).update(readFileSync(join(dir, f.file)));
  const newest = Math.max(...files.map((f) => statSync(join(dir, f.file)).mtimeMs));
  return { sha256: hash.digest('hex').slice(0, 16), newestMtime: new Date(newest).toISOString() };
}

/** Files an entry loads before it runs: its static imports, transitively (dynamic import() excluded). */
export function staticClosure(dir, entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(relative(dir, resolve(dirname(join(dir, file)), m[1])));
    }
  };
  visit(entry);
  return [...seen];
}

/** A temp dir removed by cleanup(). */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---- load time ----
/** Env without inputs or OIDC variables, so the action sees "no inputs" even inside a workflow. */
export function bareEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|ACTIONS_|GITHUB_|STATE_|RUNNER_)/.test(k)));
}

/** Runs each command `n` times, interleaved (a, b, c, a, b, c, ...) after one warm-up each; wall ms per run. */
export function timeInterleaved(commands, n) {
  const env = bareEnv();
  const once = ({ argv }) => {
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
    return { wallMs: performance.now() - t0, status: r.status, stdout: String(r.stdout), error: r.error };
  };
  const results = commands.map((c) => ({ ...c, runs: [], statuses: new Set(), firstLine: '' }));
  for (const r of results) r.firstLine = once(r).stdout.split('\n')[0];
  for (let i = 0; i < n; i++) {
    for (const r of results) {
      const x = once(r);
      r.runs.push(x.wallMs);
      r.statuses.add(x.error ? `error ${x.error.code}` : x.status);
    }
  }
  return results.map((r) => ({
    name: r.name,
    medianMs: median(r.runs),
    minMs: Math.min(...r.runs),
    maxMs: Math.max(...r.runs),
    exitCodes: [...r.statuses],
    firstLine: r.firstLine,
  }));
}

// ---- ncc ----
/** Builds src/entries/main.ts with @vercel/ncc (minified) into a temp dir: {ok, dir, files, bytes, ms, error}. */
export function buildNcc(root, outDir) {
  const cli = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
  if (!existsSync(cli)) return { ok: false, error: `@vercel/ncc not installed (${cli} missing)` };
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'build', 'src/entries/main.ts', '-o', outDir, '-m', '-q'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  const buildMs = performance.now() - t0;
  const version = JSON.parse(readFileSync(join(root, 'node_modules/@vercel/ncc/package.json'), 'utf8')).version;
  if (r.status !== 0) {
    const msg = `${r.stderr || r.stdout || r.error?.message || ''}`.trim().split('\n').slice(-3).join(' | ');
    return { ok: false, version, error: `ncc exit ${r.status}: ${msg}` };
  }
  const files = jsFiles(outDir);
  const entry = files.find((f) => f.file === 'index.mjs') ? 'index.mjs' : 'index.js';
  return { ok: true, version, dir: outDir, entry, files, bytes: files.reduce((a, f) => a + f.bytes, 0), buildMs };
}

// ---- CPU and peak RSS of the action process ----
/**
 * A node "binary" for the runner emulator that runs the real node under GNU time, which writes
 * `user sys maxrssKB` of the node process to a file. It is a node script (shebang = the real
 * node), not a shell script: sh drops env names with '-', such as INPUT_CLOUD-URL. It replaces
 * itself with /usr/bin/time via process.execve where available (Node >= 22.15), else spawns it.
 * Without /usr/bin/time: plain node, CPU and RSS n/a.
 */
export function timedNode(dir, realNode = process.execPath) {
  if (!existsSync('/usr/bin/time')) return { node: realNode, available: false, read: () => null };
  const out = join(dir, 'rusage.txt');
  const wrapper = join(dir, 'node-timed.mjs');
  const argv = JSON.stringify(['/usr/bin/time', '-f', '%U %S %M', '-o', out, realNode]);
  writeFileSync(
    wrapper,
    `#!${realNode}
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
const args = process.argv.slice(2);
// The runner emulator asks for --version after the run: answer without overwriting the numbers.
const argv = args[0] === '--version' ? [${JSON.stringify(realNode)}] : ${argv};
if (typeof process.execve === 'function') process.execve(argv[0], [...argv, ...args], process.env);
const r = spawnSync(argv[0], [...argv.slice(1), ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
`,
  );
  chmodSync(wrapper, 0o755);
  return {
    node: wrapper,
    available: true,
    read() {
      if (!existsSync(out)) return null;
      // GNU time writes "Command exited with non-zero status N" first when the exit code is not 0.
      const last = readFileSync(out, 'utf8').trim().split('\n').at(-1);
      const [user, sys, maxRssKb] = last.split(/\s+/).map(Number);
      return { userS: user, sysS: sys, cpuS: user + sys, maxRssKb };
    },
  };
}

// ---- emulators ----
/** Fresh GitHub + Pulumi Cloud emulators (one deployment per instance keeps request counts clean). */
export function startEmulators(cloudOptions = {}) {
  return startStandIns({ cloud: { stacks: ['acme/app/dev'], ...cloudOptions } });
}

/** Runs the committed dist/ through the runner emulator against `emu`. */
export function runDist(emu, { inputs = {}, env = {}, ...options } = {}) {
  // The pull request of a pull_request event exists on the GitHub stand-in, as on GitHub (the action reads its head).
  if (options.event?.name === 'pull_request' && !options.event.payload) {
    const repo = env.GITHUB_REPOSITORY ?? DEFAULT_REPOSITORY;
    if (!emu.github.hasPullRequest(repo, DEFAULT_PR_NUMBER)) emu.github.openPullRequest({ repo, number: DEFAULT_PR_NUMBER, headSha: DEFAULT_PR_HEAD_SHA });
  }
  return runAction({
    timeoutMs: 20 * 60_000,
    ...options,
    inputs: { organization: 'acme', 'cloud-url': emu.cloud.url, ...inputs },
    env: { ...emu.env, ...env },
  });
}

/**
 * Login-only steps through the runner emulator against one set of stand-ins, interleaved (a, b, c,
 * a, b, c, ...) after one warm-up each: `actions` are {name, actionDir, inputs}. Per run: main's
 * wall time (spawn to exit) and, when it made one, spawn to the token-exchange request's arrival.
 */
export async function timeLogins(actions, n) {
  const emu = await startEmulators();
  const results = actions.map((a) => ({ ...a, wallMs: [], toExchangeMs: [], exitCodes: new Set() }));
  try {
    for (let i = 0; i <= n; i++) {
      for (const r of results) {
        const run = await runDist(emu, { actionDir: r.actionDir, inputs: r.inputs, runPost: false, timeoutMs: 60_000 });
        const spawnedAt = run.main.startedAtEpochMs;
        const exchange = emu.cloud.requests.find((q) => q.endpoint === 'token' && q.at >= spawnedAt);
        run.cleanup();
        if (i === 0) continue; // warm-up: file cache
        r.wallMs.push(run.main.durationMs);
        if (exchange) r.toExchangeMs.push(exchange.at - spawnedAt);
        r.exitCodes.add(run.main.exitCode);
      }
    }
  } finally {
    await emu.close();
  }
  return results.map((r) => ({
    name: r.name,
    wallMs: r.wallMs,
    medianMs: median(r.wallMs),
    toExchangeMs: r.toExchangeMs,
    medianToExchangeMs: median(r.toExchangeMs),
    exitCodes: [...r.exitCodes],
  }));
}

/** An action whose main is an empty module: the runner emulator's floor for a node step. */
export function emptyAction(dir) {
  writeFileSync(join(dir, 'action.yml'), 'name: empty\ndescription: does nothing\nruns:\n  using: node24\n  main: index.mjs\n');
  writeFileSync(join(dir, 'index.mjs'), '');
  return dir;
}

/**
 * Huge strings in engine events: HUGE_STRINGS.events event pages (one event each) that each hold
 * one URN or message `bytes` long, read by a preview that comments on a PR, under the
 * /usr/bin/time wrapper. The budget is the peak RSS over the same run with short strings.
 */
export const HUGE_STRINGS = { events: 60, bytes: 8 * 1024 * 1024, shortBytes: 100, growthMaxMb: 50 };
export async function hugeStringsRun(bytes) {
  const tmp = tempDir('bench-huge-');
  const timed = timedNode(tmp.dir);
  const emu = await startEmulators({ scenario: hugeEventStrings(HUGE_STRINGS.events, bytes), eventPageSize: 1 });
  try {
    const run = await runDist(emu, {
      inputs: { stack: 'app/dev', operation: 'preview', 'comment-on-pr': 'true' },
      event: { name: 'pull_request' },
      env: { GITHUB_REPOSITORY: 'acme/infra' },
      node: timed.node,
      runPost: false,
    });
    const result = { bytes, exitCode: run.main.exitCode, usage: timed.read(), eventRequests: emu.cloud.requests.filter((r) => r.endpoint === 'events').length };
    run.cleanup();
    return result;
  } finally {
    await emu.close();
    tmp.cleanup();
  }
}

/** Requests the Pulumi emulator saw, by endpoint, plus the total. */
export function requestCounts(cloud) {
  const by = {};
  for (const r of cloud.requests) by[r.endpoint] = (by[r.endpoint] ?? 0) + 1;
  return { total: cloud.requests.length, by };
}

/** Engine events the emulator serves for each update of a deployment record (built from the scenario data). */
export function eventsPerUpdate(deployment) {
  const where = { org: deployment.org, project: deployment.project, stack: deployment.stackName };
  return deployment.updates.map((u) => eventSource({ ...u, endTimeMs: deployment.endsAt }, where).length);
}

/** The bound of src/deployment/events.ts eventRequestBudget: ceil(events / page size) per update, + 1 per update, + 1. */
export function eventRequestBudget(perUpdate, pageSize) {
  return perUpdate.reduce((n, e) => n + Math.ceil(e / pageSize), 0) + perUpdate.length + 1;
}

/**
 * Delay between each log line's availability on the emulator and its arrival on the action's
 * stdout (matched by exact text, in order for repeated texts).
 */
export function lineDelays(deployment, stdoutLines) {
  const pending = new Map();
  let expected = 0;
  for (const l of deployment.lines) {
    if (l.header !== undefined) continue;
    expected++;
    const q = pending.get(l.text);
    if (q) q.push(l.availableAt);
    else pending.set(l.text, [l.availableAt]);
  }
  const delays = [];
  let extra = 0; // printed more often than the deployment had it
  for (const l of stdoutLines) {
    const q = pending.get(l.text);
    if (q?.length) delays.push(l.atEpochMs - q.shift());
    else if (q) extra++;
  }
  const first = minOf(deployment.lines.map((l) => l.availableAt));
  const last = maxOf(deployment.lines.map((l) => l.availableAt));
  return { expected, matched: delays.length, extra, delays, medianMs: median(delays), p99Ms: percentile(delays, 99), worstMs: maxOf(delays), producedOverMs: last - first };
}

// ---- output ----
/** Plain-text table; rows are arrays of cells. */
export function textTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(header, rows) {
  const esc = (c) => String(c ?? '').replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

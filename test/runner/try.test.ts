// The newcomer's commands: `npm run try` (scripts/try.mjs) runs the built action against fresh
// stand-ins and stops them; `emulators/start.mjs --help` explains itself; bad flags get one line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TRY = fileURLToPath(new URL('../../scripts/try.mjs', import.meta.url));
const START = fileURLToPath(new URL('../../emulators/start.mjs', import.meta.url));

function run(script: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  // 'close' only comes once the process and its pipes are done: a leaked server would hang here.
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ stdout, stderr, code });
    }),
  );
}

function oneLine(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('npm run try (scripts/try.mjs)', () => {
  it('logs in and out against fresh stand-ins, prints outputs, then exits (servers stopped)', async () => {
    expect(existsSync(`${ROOT}/dist/main.mjs`), 'run npm run build first').toBe(true);
    const r = await run(TRY, []);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stand-ins: GitHub http:\/\/127\.0\.0\.1:\d+, Pulumi Cloud http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toContain('sub: repo:acme/infra:ref:refs/heads/main');
    expect(r.stdout).toMatch(/Logged in to http:\/\/127\.0\.0\.1:\d+ for organization acme/);
    expect(r.stdout).toContain('▶ Post Run ./');
    expect(r.stdout).toContain('── outputs (');
    expect(r.stdout).toMatch(/main exit code: 0, post: 0/);
  });

  it('--dry-run starts nothing and says what would run', async () => {
    const r = await run(TRY, ['--dry-run', '--input', 'operation=preview', '--event', 'pull_request', '--scenario', 'previewNoChanges']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run: would start');
    expect(r.stdout).toContain('stack acme/infra/dev, scenario previewNoChanges, event pull_request');
  });

  it.each([
    [['--inptu', 'operation=preview'], "Unknown option '--inptu'"],
    [['--input', 'stak=infra/dev'], "unknown input 'stak'"],
    [['--input', 'operation'], "--input expects name=value, got 'operation'"],
    [['--scenario', 'nope'], "unknown scenario 'nope'"],
    [['--event', 'pull-request'], '--event must be one of'],
  ])('%j: one clear line on stderr, exit 2', async (args, message) => {
    const r = await run(TRY, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    oneLine(r.stderr);
    expect(r.stdout).toBe('');
  });
});

describe('emulators/start.mjs', () => {
  it('--help lists the flags, the scenarios and examples', async () => {
    const r = await run(START, ['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--github-port', '--cloud-port', '--scenario', '--stack', '--time-scale', '--log-page-size', '--max-token-lifetime', '--faults']) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('scenarios: quickSuccess, previewWithChanges');
    expect(r.stdout).toContain('manySteps:LINES');
    expect(r.stdout).toContain('examples:');
  });

  it.each([
    [['--scenaro', 'quickSuccess'], "Unknown option '--scenaro'"],
    [['--scenario', 'nope'], "unknown scenario 'nope'"],
    [['--time-scale', 'fast'], "--time-scale must be a non-negative number, got 'fast'"],
    [['--faults', '{'], '--faults is not JSON'],
    [['--stack', 'acme/dev'], '--stack expects ORG/PROJECT/STACK'],
  ])('%j: one clear line on stderr, exit 2, nothing started', async (args, message) => {
    const r = await run(START, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    oneLine(r.stderr);
    expect(r.stdout).toBe('');
  });
});

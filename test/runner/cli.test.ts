// The runner CLI: Ctrl-C cancels like the runner (SIGINT to the step, post still runs, temp folder
// removed), a second Ctrl-C skips ahead, and bad flags get one line and exit 2.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../emulators/runner/cli.mjs', import.meta.url));
const TINY = fileURLToPath(new URL('../fixtures/tiny-action', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Cli {
  stdout: string;
  stderr: string;
  code: number | null;
  ms: number;
}

/** Runs the CLI; each time its stdout first shows a text of `interrupts`, sends it SIGINT. */
function runCli(args: string[], interrupts: string[] = []): Promise<Cli> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const pending = [...interrupts];
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
    while (pending.length && stdout.includes(pending[0]!)) {
      pending.shift();
      child.kill('SIGINT');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ stdout, stderr, code, ms: Date.now() - t0 });
    }),
  );
}

function tmp() {
  const d = mkdtempSync(join(tmpdir(), 'cli-test-'));
  dirs.push(d);
  return d;
}

describe('emulators/runner/cli.mjs', () => {
  it('Ctrl-C: SIGINT reaches the step, post runs with its state, outputs print, the temp folder is gone', async () => {
    const parent = tmp();
    const r = await runCli(['--action-dir', TINY, '--input', 'mode=wait', '--tmp-dir', parent], ['ready']);
    expect(r.stdout).toContain('main got SIGINT (wait)');
    expect(r.stdout).toContain('post ran (main started=yes)');
    expect(r.stdout).toContain('started=yes');
    expect(r.stdout).toContain('(cancelled)');
    expect(r.stderr).toContain('SIGINT: cancelling');
    expect(r.code).toBe(130);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a second Ctrl-C skips the 7.5 s SIGINT grace and sends SIGTERM at once', async () => {
    const parent = tmp();
    const r = await runCli(['--action-dir', TINY, '--input', 'mode=stubborn', '--tmp-dir', parent], ['ready', 'main got SIGINT']);
    expect(r.stderr).toContain('skipping ahead');
    expect(r.stdout).toContain('main exit code: SIGTERM (cancelled)');
    expect(r.stdout).toContain('post ran (main started=yes)');
    expect(r.ms).toBeLessThan(7500);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('masks the summary and outputs it prints', async () => {
    const r = await runCli(['--action-dir', TINY, '--input', 'secret=cli-secret-77', '--tmp-dir', tmp()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('summary secret: ***');
    expect(r.stdout).toContain('secret-out=***');
    expect(r.stdout).not.toContain('cli-secret-77');
  });

  it('a mistyped flag gets one line on stderr and exit 2', async () => {
    const r = await runCli(['--inptu', 'x=1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("Unknown option '--inptu'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

// Shared bits for the runner emulator tests: the hand-written fixture action.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { runAction, type RunActionOptions, type RunResult } from '../../emulators/runner/runner.mjs';

export const FIXTURE = fileURLToPath(new URL('../fixtures/echo-action', import.meta.url));

const runs: RunResult[] = [];

// Runs the fixture action; work dirs are removed after each test.
export async function runFixture(options: RunActionOptions = {}): Promise<RunResult> {
  const run = await runAction({ actionDir: FIXTURE, timeoutMs: 20_000, ...options });
  runs.push(run);
  return run;
}

afterEach(() => {
  for (const r of runs.splice(0)) r.cleanup();
});

/** The env the fixture's main (or post) process actually received. */
export function envSeen(run: RunResult, step: 'main' | 'post' = 'main'): Record<string, string> {
  const temp = run.main.env.RUNNER_TEMP;
  if (!temp) throw new Error('RUNNER_TEMP was not set');
  return JSON.parse(readFileSync(join(temp, `${step}-env.json`), 'utf8'));
}

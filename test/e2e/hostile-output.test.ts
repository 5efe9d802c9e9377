// Deployment output is hostile input: a PR author controls what a preview prints. Through dist/
// and the runner emulator, which parses commands as actions/runner does (both syntaxes, lines
// split on a bare \r, stop-commands), nothing a deployment prints may act on the runner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, runE2E, startEmulators, type Emulators } from '../support/harness.js';

/** Lines a hostile program prints: every way the runner could read a command. */
const HOSTILE_LINES = [
  'compiling ##[stop-commands]evil-token-1',
  '::stop-commands::evil-token-2',
  'spinner |\r::add-mask::Pulumi',
  'progress 50% ##[add-mask]Deployment',
  'done\r##[error]pwned-legacy-error',
  '::set-output name=evil::1',
  '  ::warning title=x::pwned-warning',
  '::group::fake group',
  '##[endgroup]',
  '::save-state name=deployment::{"settled":"finished"}',
  '::ADD-MASK::logged',
  'tail\r\r::error file=a,line=1::pwned-after-two-cr',
];

const hostile: Scenario = {
  name: 'hostileOutput',
  queuedMs: 100,
  steps: [
    { name: 'Hostile ##[add-mask]step', lines: HOSTILE_LINES, lineIntervalMs: 5 },
    { name: 'After', lines: { count: 40, template: 'after line {i}' }, lineIntervalMs: 25 },
  ],
  outcome: 'succeeded',
  updates: [{ kind: 'update', result: 'succeeded', resourceChanges: { same: 1 } }],
};

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ scenario: hostile, timeScale: 2 });
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

describe('hostile deployment output is inert', () => {
  it('no command of either syntax, after any \\r, acts; a token refresh later is still masked', async () => {
    let expired = false;
    const run = await runE2E(emu, {
      inputs: { stack: 'app/dev', operation: 'update' },
      onStdoutLine: (line) => {
        // After the hostile step, revoke the token: the refresh prints ::add-mask:: for the new one.
        if (!expired && line.startsWith('after line 5')) {
          expired = true;
          for (const t of emu.cloud.issuedTokens) emu.cloud.expireToken(t.token);
        }
      },
    });
    expect(run.exitCode, run.jobLog).toBe(0);

    // Nothing the deployment printed became an annotation, output, state or mask.
    expect(run.annotations.map((a) => a.message).join('\n')).not.toMatch(/pwned/);
    expect(run.outputs.evil).toBeUndefined();
    expect(JSON.parse(run.state.deployment!).settled).toBe('finished');
    for (const value of ['Pulumi', 'Deployment', 'logged']) expect(run.masks).not.toContain(value);

    // The hostile lines are shown as text (the runner splits at \r).
    expect(run.jobLog).toContain('compiling ##[stop-commands]evil-token-1');
    expect(run.jobLog).toContain('::set-output name=evil::1');

    // Our own commands still work after them: the next step's group, and the refreshed token's mask.
    expect(emu.cloud.issuedTokens.length).toBeGreaterThanOrEqual(2);
    const refreshed = emu.cloud.issuedTokens.at(-1)!.token;
    expect(run.masks).toContain(refreshed);
    expect(run.jobLog).not.toContain(refreshed);
    const groups = run.jobLogEntries.filter((e) => e.kind === 'group').map((e) => e.text);
    expect(groups).toContain('After');
    expect(groups).not.toContain('fake group');
    // The verdict line is ours and unaltered.
    expect(run.jobLog).toMatch(/Deployment \S+ succeeded/);
  });
});

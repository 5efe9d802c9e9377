// Several stacks in one step, through dist/ and the runner emulator against the stand-ins: the
// order, fail-fast and its skipped stacks, the results output, and with max-parallel every
// line of every stack exactly once, in groups labelled with its stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, runE2E, startEmulators, type Emulators } from '../support/harness.js';

const STACKS = ['net', 'db', 'app', 'web', 'api'].map((s) => `acme/infra/${s}`);
let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ stacks: STACKS, timeScale: 10 });
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const deploymentsOf = (stack: string) => [...emu.cloud.deployments.values()].filter((d) => d.stack === stack);

describe('several stacks in one step', () => {
  it('in order, each created after the previous ended; a failure skips the rest (fail-fast); results names every stack', async () => {
    for (const stack of STACKS) emu.cloud.setScenario(stack.endsWith('/app') ? scenarios.failsInUpdateStep : scenarios.quickSuccess, stack);
    const run = await runE2E(emu, { inputs: { operation: 'update', stack: '# in order\ninfra/net\ninfra/db\n\ninfra/app\ninfra/web\ninfra/api\n' } });
    expect(run.exitCode, run.jobLog).toBe(1);
    const [net, db, app] = ['net', 'db', 'app'].map((s) => deploymentsOf(`acme/infra/${s}`));
    expect([net, db, app].map((d) => d!.length)).toEqual([1, 1, 1]);
    expect(deploymentsOf('acme/infra/web')).toHaveLength(0);
    expect(deploymentsOf('acme/infra/api')).toHaveLength(0);
    expect(db![0]!.createdAt).toBeGreaterThanOrEqual(net![0]!.endsAt);
    expect(app![0]!.createdAt).toBeGreaterThanOrEqual(db![0]!.endsAt);
    const results = JSON.parse(run.outputs.results!) as Record<string, { status: string; 'deployment-id': string; 'deployment-url': string }>;
    expect(Object.entries(results).map(([k, v]) => `${k} ${v.status}`)).toEqual([
      'acme/infra/net succeeded',
      'acme/infra/db succeeded',
      'acme/infra/app failed',
      'acme/infra/web skipped',
      'acme/infra/api skipped',
    ]);
    expect(results['acme/infra/db']!['deployment-id']).toBe(db![0]!.id);
    expect(run.outputs['deployment-status']).toBe('failed');
    expect(run.outputs['deployment-id'] ?? '').toBe('');
    expect(run.jobLog).toContain('acme/infra/web was not deployed: an earlier stack failed (fail-fast).');
    // The job summary opens with one row per stack, then each stack's own report.
    expect(run.summary.indexOf('### Pulumi update of 5 stacks')).toBe(0);
    expect(run.summary).toContain(
      `| \`acme/infra/net\` | update | ✅ succeeded | \\+2 created, \\~1 updated, 3 unchanged | [open](${results['acme/infra/net']!['deployment-url']}) |`,
    );
    expect(run.summary).toContain('| `acme/infra/app` | update | ❌ failed |');
    expect(run.summary).toContain('| `acme/infra/api` | update | ⏭️ skipped | unknown |  |');
    expect(run.jobLog).toContain('Stacks: running acme/infra/db; queued acme/infra/app, acme/infra/web, acme/infra/api; done acme/infra/net (succeeded).');
    // One at a time, so each streamed live: its groups are today's, unlabelled.
    const groups = run.jobLogEntries.filter((e) => e.step === 'main' && e.kind === 'group' && !e.text.startsWith('GitHub')).map((e) => e.text);
    expect(groups.filter((g) => g === 'Get source')).toHaveLength(3);
  });

  it('max-parallel 2: both run at once, and every line of each stack appears exactly once, in its labelled groups', async () => {
    for (const stack of STACKS) emu.cloud.setScenario(scenarios.quickSuccess, stack);
    const before = emu.cloud.deployments.size;
    const run = await runE2E(emu, { inputs: { operation: 'update', stack: 'infra/web\ninfra/api', 'max-parallel': '2' } });
    expect(run.exitCode, run.jobLog).toBe(0);
    const created = [...emu.cloud.deployments.values()].slice(before);
    expect(created.map((d) => d.stack)).toEqual(['acme/infra/web', 'acme/infra/api']);
    // At once: the second was created before the first ended.
    expect(created[1]!.createdAt).toBeLessThan(created[0]!.endsAt);
    const main = run.jobLogEntries.filter((e) => e.step === 'main');
    for (const d of created) {
      const label = `[${d.stack}]`;
      const expected = d.lines.filter((l) => l.header === undefined && l.text !== '').map((l) => l.text);
      expect(expected.length).toBeGreaterThan(5);
      const mine = main.filter((e) => e.kind === 'line' && e.group?.startsWith(label)).map((e) => e.text);
      expect(mine.filter((t) => t !== '')).toEqual(expected);
      // A live group closed by another stack's block reopens as "(continued)".
      const groups = main.filter((e) => e.kind === 'group' && e.text.startsWith(label)).map((e) => e.text.replace(/ \(continued\)$/, ''));
      expect(groups.filter((g, i) => g !== groups[i - 1])).toEqual(['Get source', 'Install dependencies', 'Pulumi update'].map((g) => `${label} ${g}`));
    }
    // Nothing printed twice or outside the stacks' lines: each text as often as the deployments printed it in all.
    const printed = new Map<string, number>();
    for (const d of created) for (const l of d.lines) if (l.header === undefined && l.text !== '') printed.set(l.text, (printed.get(l.text) ?? 0) + 1);
    for (const [text, times] of printed) expect(main.filter((e) => e.kind === 'line' && e.text === text)).toHaveLength(times);
    // The first streamed live; the second was held and written whole when it ended.
    expect(run.jobLog).not.toContain('[acme/infra/web] ---- log of acme/infra/web ----');
    expect(run.jobLog).toContain('[acme/infra/api] ---- log of acme/infra/api ----');
    const results = JSON.parse(run.outputs.results!) as Record<string, { status: string }>;
    expect(Object.values(results).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(run.outputs['has-changes']).toBe('true');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios, type Scenario } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, errorOf, runE2E, startEmulators, type Emulators } from '../support/harness.js';
import { findLeaks } from '../support/secret-scan.js';

const PR = 42;
const event = { name: 'pull_request', payload: { number: PR, pull_request: { number: PR, head: { sha: 'a'.repeat(40) } } } };
const SECRET = 'hunter2-pr-comment-secret';

/** A preview whose log echoes a secret, as a careless program might. */
const leakyPreview: Scenario = {
  ...scenarios.previewWithChanges,
  name: 'leakyPreview',
  steps: [...scenarios.previewWithChanges.steps, { name: 'Print config', lines: [`DB_PASSWORD is ${SECRET}`, 'done'] }],
};

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ stacks: ['acme/app/dev', 'acme/app/prod', 'acme/api/dev'] });
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const preview = (stack: string, inputs: Record<string, string> = {}) =>
  runE2E(emu, { event, env: { GITHUB_REPOSITORY: 'acme/infra' }, inputs: { stack, operation: 'preview', 'comment-on-pr': 'true', 'secret-env': `DB_PASSWORD=${SECRET}`, ...inputs } });
const commentsOnPr = () => emu.github.comments.filter((c) => c.issueNumber === PR && c.repo === 'acme/infra');

describe('PR comments, summary and change outputs', () => {
  it('two stacks make two comments; re-running updates each in place', async () => {
    emu.cloud.setScenario(leakyPreview, 'acme/app/dev');
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/app/prod');
    const dev = await preview('app/dev');
    const prod = await preview('app/prod');
    expect(dev.exitCode, dev.jobLog).toBe(0);
    expect(prod.exitCode, prod.jobLog).toBe(0);
    expect(commentsOnPr()).toHaveLength(2);
    const [devComment, prodComment] = commentsOnPr();
    expect(devComment!.body.startsWith('<!-- pulumi-cloud-deploy-action stack=acme/app/dev -->')).toBe(true);
    expect(prodComment!.body.startsWith('<!-- pulumi-cloud-deploy-action stack=acme/app/prod -->')).toBe(true);
    expect(devComment!.body).toContain('| 1 | 1 | 0 | 0 | 4 |');
    expect(prodComment!.body).toContain('no changes');
    expect(dev.outputs['has-changes']).toBe('true');
    expect(prod.outputs['has-changes']).toBe('false');
    expect(JSON.parse(prod.outputs['resource-changes']!)).toEqual({ create: 0, update: 0, delete: 0, replace: 0, same: 6 });

    const firstBody = devComment!.body;
    const again = await preview('app/dev');
    expect(again.exitCode).toBe(0);
    expect(commentsOnPr()).toHaveLength(2);
    expect(commentsOnPr()[0]!.id).toBe(devComment!.id);
    expect(commentsOnPr()[0]!.body).not.toBe(firstBody); // new deployment link
    expect(again.jobLog).toContain('PR comment updated');
    // the secret the deployment printed is redacted from comments and summaries
    for (const c of commentsOnPr()) expect(c.body).not.toContain(SECRET);
    expect(commentsOnPr()[0]!.body).toContain('DB_PASSWORD is ***');
    for (const run of [dev, prod, again]) {
      const token = emu.cloud.issuedTokens.map((t) => t.token);
      expect(findLeaks(run, [SECRET, ...token, run.githubToken], { output: ['pulumi-access-token'], env: ['PULUMI_ACCESS_TOKEN'] })).toEqual([]);
    }
  });

  it('a comment of another workflow or person is never touched', async () => {
    const before = emu.github.requests.filter((r) => r.method === 'PATCH').length;
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/api/dev');
    const run = await preview('api/dev');
    expect(run.exitCode).toBe(0);
    expect(commentsOnPr()).toHaveLength(3);
    expect(emu.github.requests.filter((r) => r.method === 'PATCH').length).toBe(before);
  });

  it('expect-no-changes fails a preview that changes something, naming the counts', async () => {
    emu.cloud.setScenario(scenarios.previewWithChanges, 'acme/app/dev');
    const run = await preview('app/dev', { 'expect-no-changes': 'true', 'comment-on-pr': 'false' });
    expect(run.exitCode).toBe(1);
    expect(errorOf(run)).toMatch(/^Deployment \S+ would change resources \(1 to create, 1 to update\) but expect-no-changes is true: http:\/\/\S+\/previews\/\S+$/);
    expect(run.outputs['has-changes']).toBe('true');
  });

  it('expect-no-changes passes a preview without changes', async () => {
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/app/prod');
    const run = await preview('app/prod', { 'expect-no-changes': 'true', 'comment-on-pr': 'false' });
    expect(run.exitCode, run.jobLog).toBe(0);
  });

  it('a failed deployment still sets the change outputs and comments with the failing step', async () => {
    emu.cloud.setScenario(scenarios.failsInUpdateStep, 'acme/app/prod');
    const run = await preview('app/prod', { operation: 'update' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['has-changes']).toBe('true');
    expect(JSON.parse(run.outputs['resource-changes']!)).toEqual({ create: 1, update: 0, delete: 0, replace: 0, same: 0 });
    const comment = commentsOnPr().find((c) => c.body.includes('stack=acme/app/prod'))!;
    expect(comment.body).toContain('Failed step | Pulumi update');
    expect(comment.body).toContain('BucketAlreadyExists');
    expect(run.summary).toContain('Failed step | Pulumi update');
  });

  it('a 200,000-line log yields a comment under 65,536 characters that says what was cut', { timeout: 180_000 }, async () => {
    emu.cloud.setScenario(scenarios.manySteps(200_000, { durationMs: 4000, steps: 4 }), 'acme/app/dev');
    const run = await preview('app/dev', { operation: 'update' });
    expect(run.exitCode, run.jobLog.slice(-500)).toBe(0);
    const comment = commentsOnPr().find((c) => c.body.includes('stack=acme/app/dev'))!;
    expect(comment.body.length).toBeLessThan(65_536);
    expect(comment.body).toMatch(/_\d+ earlier lines not shown/);
    expect(comment.body).toContain('step 4 line 49999 of 50000');
    // eslint-disable-next-line no-control-regex -- no ANSI escapes left
    expect(comment.body).not.toMatch(/\u001b\[/);
    expect(run.summary.length).toBeLessThan(65_536);
  });

  it('on a push event comment-on-pr says why no comment was posted', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess, 'acme/app/dev');
    const before = emu.github.comments.length;
    const run = await runE2E(emu, { inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true' } });
    expect(run.exitCode).toBe(0);
    expect(run.jobLog).toContain('comment-on-pr is true but this is a push event: no comment posted.');
    expect(emu.github.comments.length).toBe(before);
  });
});

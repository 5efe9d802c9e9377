// github-environment end to end: dist/ through the runner emulator against the stand-ins, which
// answer as GitHub does (deployments, statuses, the workflow token's permissions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longRunning, scenarios, type Scenario } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, runE2E, startEmulators, type Emulators } from '../support/harness.js';
import { githubContractViolations } from '../support/github-contract.js';

const REPO = 'acme/infra';
const SHA = 'c'.repeat(40);
const SITE = 'https://site.example/app';

/** An update whose stack has a `url` output. */
const withUrl: Scenario = {
  ...scenarios.quickSuccess,
  name: 'withUrl',
  updates: scenarios.quickSuccess.updates!.map((u) => ({ ...u, events: { ...u.events, outputs: { ...u.events?.outputs, url: SITE } } })),
};

const deploy = (emu: Emulators, inputs: Record<string, string>, options: Record<string, unknown> = {}) =>
  runE2E(emu, {
    env: { GITHUB_REPOSITORY: REPO, GITHUB_SHA: SHA, PULUMI_DEPLOY_ACTION_TIME_SCALE: '20' },
    inputs: { stack: 'app/dev', operation: 'update', 'github-environment': 'production', 'environment-url-output': 'url', ...inputs },
    ...options,
  });

describe('github-environment', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators({ timeScale: 20 });
  });
  afterAll(async () => {
    cleanupRuns();
    await emu.close();
  });

  it('records a deployment of the commit: in_progress with the console link, then success with the environment URL', async () => {
    emu.cloud.setScenario(withUrl, 'acme/app/dev');
    const run = await deploy(emu, {});
    expect(run.exitCode, run.jobLog).toBe(0);
    const recorded = [...emu.github.deployments.values()];
    expect(recorded).toHaveLength(1);
    const [d] = recorded;
    expect(d).toMatchObject({ repo: REPO, ref: SHA, environment: 'production', transient: false, autoMerge: false, requiredContexts: [] });
    expect(d!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(d!.statuses[0]!.log_url).toBe(run.outputs['deployment-url']);
    expect(d!.statuses[1]!.environment_url).toBe(SITE);
    expect(run.jobLog).toContain(`GitHub deployment ${d!.id} in production: success (${SITE}).`);
    // main ended it: post has nothing to end
    expect(run.post!.stdout).not.toContain(`GitHub deployment ${d!.id}: error`);
  });

  it('a failed update is a failure; a preview is transient', async () => {
    emu.cloud.setScenario(scenarios.failsInUpdateStep, 'acme/app/dev');
    const before = emu.github.deployments.size;
    const failed = await deploy(emu, {});
    expect(failed.exitCode).not.toBe(0);
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/app/dev');
    const preview = await deploy(emu, { operation: 'preview' });
    expect(preview.exitCode, preview.jobLog).toBe(0);
    const [f, p] = [...emu.github.deployments.values()].slice(before);
    expect(f!.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(p!.transient).toBe(true);
    expect(p!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(p!.statuses[1]!.environment_url).toBe(''); // a preview deploys nothing
  });

  it('main killed mid-run: post sets the deployment to error', async () => {
    emu.cloud.setScenario(longRunning(600_000), 'acme/app/dev');
    const before = emu.github.deployments.size;
    // Killed (SIGINT, then SIGTERM and SIGKILL at once) once the GitHub deployment is in progress.
    const inProgress = () => [...emu.github.deployments.values()].slice(before).some((d) => d.statuses.length > 0);
    const run = await deploy(emu, {}, { cancelWhen: inProgress, cancelGraceMs: { sigint: 0, sigterm: 0 } });
    expect(run.exitCode).not.toBe(0);
    const [d] = [...emu.github.deployments.values()].slice(before);
    expect(d, run.jobLog).toBeDefined();
    expect(
      d!.statuses.map((s) => s.state),
      `${run.jobLog.slice(-2000)}\n${run.post?.stdout}`,
    ).toEqual(['in_progress', 'error']);
    expect(run.post!.stdout).toContain(`GitHub deployment ${d!.id}: error (the action stopped before the deployment ended).`);
  });

  it("every request the action sent and every answer of the GitHub stand-in match GitHub's REST description", () => {
    expect(githubContractViolations(emu.github.requests)).toEqual([]);
  });
});

describe('github-environment without deployments: write', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators({ timeScale: 20 }, { permissions: { 'pull-requests': 'write', deployments: 'read' } });
  });
  afterAll(async () => {
    cleanupRuns();
    await emu.close();
  });

  it('one warning names the permission; the verdict stays the deployment’s', async () => {
    emu.cloud.setScenario(withUrl, 'acme/app/dev');
    const run = await deploy(emu, {});
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(emu.github.deployments.size).toBe(0);
    const warnings = run.jobLog.split('\n').filter((line) => line.includes('deployments: write'));
    expect(warnings, run.jobLog).toHaveLength(1);
    expect(warnings[0]).toContain('403');
  });
});

describe('github-environment in a repository GitHub does not know', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators({ timeScale: 20 }, { repositories: [] });
  });
  afterAll(async () => {
    cleanupRuns();
    await emu.close();
  });

  it("GitHub's 404 gives one warning naming the permission; the verdict stays the deployment’s", async () => {
    emu.cloud.setScenario(withUrl, 'acme/app/dev');
    const run = await deploy(emu, {});
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(emu.github.deployments.size).toBe(0);
    expect(emu.github.requests.filter((r) => r.path === `/repos/${REPO}/deployments`).map((r) => r.status)).toEqual([404]);
    const warnings = run.annotations.filter((a) => a.step === 'main' && a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([
      expect.stringMatching(/^Could not create a GitHub deployment in environment production: GitHub answered 404; give the job `permissions: deployments: write`/),
    ]);
  });
});

// check-run end to end: dist/ through the runner emulator; the GitHub stand-in keeps GitHub's
// limits (50 annotations per request, 65,535 characters per text field) and the token's permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios, type Scenario } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, runE2E, startEmulators, type Emulators } from '../support/harness.js';
import { githubContractViolations } from '../support/github-contract.js';

const SHA = 'd'.repeat(40);
const SECRET = 'hunter2-check-run-secret';

/** An update that warns 60 times (one warning prints the secret) and breaks a policy. */
const noisy: Scenario = {
  ...scenarios.quickSuccess,
  name: 'noisy',
  updates: scenarios.quickSuccess.updates!.map((u) => ({
    ...u,
    events: {
      ...u.events,
      diagnostics: Array.from({ length: 60 }, (_, i) => ({ severity: 'warning', message: i === 7 ? `DB_PASSWORD is ${SECRET}` : `::error::warning ${i + 1}` })),
      policies: [{ pack: 'aws-guard', policy: 's3-no-public-read', level: 'advisory', message: 'Buckets should not allow public reads.', resource: 'site-bucket' }],
    },
  })),
};

const deploy = (emu: Emulators, env: Record<string, string> = {}) =>
  runE2E(emu, {
    env: { GITHUB_REPOSITORY: 'acme/infra', GITHUB_SHA: SHA, PULUMI_DEPLOY_ACTION_TIME_SCALE: '20', ...env },
    inputs: { stack: 'app/dev', operation: 'update', 'check-run': 'true', 'secret-env': `DB_PASSWORD=${SECRET}` },
  });

describe('check-run', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators({ timeScale: 20 });
  });
  afterAll(async () => {
    cleanupRuns();
    await emu.close();
  });

  it('holds every diagnostic and policy finding, far over the 10-per-type cap, in batches of 50', async () => {
    emu.cloud.setScenario(noisy, 'acme/app/dev');
    const run = await deploy(emu);
    expect(run.exitCode, run.jobLog).toBe(0);
    const [check] = [...emu.github.checkRuns.values()];
    expect(check, run.jobLog).toMatchObject({ name: 'Pulumi update: acme/app/dev', headSha: SHA, status: 'completed', conclusion: 'success' });
    expect(check!.annotations).toHaveLength(61);
    expect(check!.output.summary).toContain('acme/app/dev');
    const sent = emu.github.requests.filter((r) => r.path.includes('/check-runs'));
    expect(sent.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(JSON.stringify(check)).not.toContain(SECRET);
  });

  it('with ACTIONS_STEP_DEBUG, one debug line per request, Pulumi and GitHub, with no token', async () => {
    emu.cloud.setScenario(noisy, 'acme/app/dev');
    const run = await deploy(emu, { ACTIONS_STEP_DEBUG: 'true' });
    expect(run.exitCode, run.jobLog).toBe(0);
    const lines = run.jobLog.split('\n').filter((line) => / request-id /.test(line));
    expect(
      lines.some((l) => /Pulumi POST \/api\/stacks\/acme\/app\/dev\/deployments 2\d\d \d+ ms request-id [0-9a-f-]{36}$/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    expect(
      lines.some((l) => /GitHub PATCH \/repos\/acme\/infra\/check-runs\/\d+ 200 \d+ ms request-id [0-9A-F-]{36}$/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    expect(lines.join('\n')).not.toMatch(/\?|ghs_|pul-|Bearer/i);
  });

  it("every request the action sent and every answer of the GitHub stand-in match GitHub's REST description", () => {
    expect(githubContractViolations(emu.github.requests)).toEqual([]);
  });
});

describe('a workflow token without checks: write or pull-requests: write', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators({ timeScale: 20 }, { permissions: { checks: 'read', 'pull-requests': 'read' } });
  });
  afterAll(async () => {
    cleanupRuns();
    await emu.close();
  });

  it('one warning names the permission; the verdict stays the deployment’s', async () => {
    emu.cloud.setScenario(noisy, 'acme/app/dev');
    const run = await deploy(emu);
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(emu.github.checkRuns.size).toBe(0);
    expect(run.jobLog.split('\n').filter((line) => line.includes('checks: write'))).toHaveLength(1);
  });

  it('the PR comment reaches "could not comment", naming pull-requests: write; the verdict stays the deployment’s', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess, 'acme/app/dev');
    const run = await runE2E(emu, {
      event: { name: 'pull_request', payload: { number: 5, pull_request: { number: 5, head: { sha: SHA, repo: { full_name: 'acme/infra' } } } } },
      env: { GITHUB_REPOSITORY: 'acme/infra', PULUMI_DEPLOY_ACTION_TIME_SCALE: '20' },
      inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true' },
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(emu.github.comments).toHaveLength(0);
    const warnings = run.jobLog.split('\n').filter((line) => line.includes('Could not comment on pull request #5'));
    expect(warnings, run.jobLog).toHaveLength(1);
    expect(warnings[0]).toContain('403');
    expect(warnings[0]).toContain('pull-requests: write');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, errorOf, requestsTo, runE2E, startEmulators, type Emulators } from '../support/harness.js';
import { findLeaks } from '../support/secret-scan.js';

let emu: Emulators;
beforeAll(async () => {
  // Scenarios and the action's clock run 10x faster than real time.
  emu = await startEmulators({ timeScale: 10 });
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const deploy = (inputs: Record<string, string> = {}) => ({ stack: 'app/dev', operation: 'update', ...inputs });
const latestDeployment = () => [...emu.cloud.deployments.values()].at(-1)!;

describe('deployments: trigger, stream, verdict', () => {
  it('succeeds: streams every step in its own group, sets outputs and the summary', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess);
    const run = await runE2E(emu, { inputs: deploy() });
    expect(run.exitCode, run.jobLog).toBe(0);
    const d = latestDeployment();
    expect(run.outputs['deployment-id']).toBe(d.id);
    expect(run.outputs['deployment-version']).toBe(String(d.version));
    expect(run.outputs['deployment-url']).toMatch(new RegExp(`/acme/app/dev/deployments/${d.version}$`));
    expect(run.outputs['deployment-status']).toBe('succeeded');
    expect(run.outputs['update-url']).toBe(run.outputs['deployment-url']!.replace(/deployments\/\d+$/, `updates/${d.updates[0]!.version}`));
    expect(run.outputs['has-changes']).toBe('true');
    expect(JSON.parse(run.outputs['resource-changes']!)).toEqual({ create: 2, update: 1, delete: 0, replace: 0, same: 3 });
    // the console link is printed as soon as the deployment exists, before any log line
    const linkAt = run.main.stdout.indexOf(run.outputs['deployment-url']!);
    expect(linkAt).toBeGreaterThan(-1);
    expect(linkAt).toBeLessThan(run.main.stdout.indexOf('::group::Get source'));
    // one group per step, in order, each line once
    const groups = run.jobLogEntries.filter((e) => e.step === 'main' && e.kind === 'group').map((e) => e.text);
    expect(groups.filter((g) => !g.startsWith('GitHub ID token'))).toEqual(['Get source', 'Install dependencies', 'Pulumi update']);
    const streamed = run.jobLogEntries.filter((e) => e.step === 'main' && e.kind === 'line' && e.group && !e.group.startsWith('GitHub')).map((e) => e.text);
    expect(streamed).toEqual(
      d.lines
        .filter((l) => l.header === undefined || l.text !== '')
        .map((l) => l.text)
        .filter((t, i, all) => t !== '' || all[i] !== undefined),
    );
    expect(run.main.stdout).toContain('\u001b[32m+\u001b[0m'); // ANSI colours kept
    expect(run.summary).toContain('Pulumi update of `acme/app/dev` succeeded');
    expect(run.summary).toContain('succeeded: +2 created, \\~1 updated, 3 unchanged');
  });

  it('fails with one line naming the failed step and the link', async () => {
    emu.cloud.setScenario(scenarios.failsInUpdateStep);
    const run = await runE2E(emu, { inputs: deploy() });
    expect(run.exitCode).toBe(1);
    const d = latestDeployment();
    const cause = 'creating S3 Bucket (site-bucket): BucketAlreadyExists: The requested bucket name is not available.';
    // The verdict names the step and the failing resource's error (from the engine events).
    expect(errorOf(run).split('\n').at(-1)).toBe(`Deployment ${d.id} failed in step 'Pulumi update' (aws:s3:Bucket site-bucket: ${cause}): ${run.outputs['deployment-url']}`);
    // Each engine error is its own annotation, with the resource in the title.
    const engineErrors = run.annotations.filter((a) => a.step === 'main' && a.level === 'error').slice(0, -1);
    expect(engineErrors.map((a) => [a.properties.title, a.message])).toEqual([
      ['Pulumi error: aws:s3:Bucket site-bucket', cause],
      ['Pulumi error', 'update failed'],
    ]);
    expect(run.outputs['deployment-status']).toBe('failed');
    expect(run.outputs['has-changes']).toBe('true');
    expect(run.summary).toContain('failed step: Pulumi update');
  });

  it('skipped passes, unless fail-on-skipped', async () => {
    emu.cloud.setScenario(scenarios.skipped);
    const ok = await runE2E(emu, { inputs: deploy() });
    expect(ok.exitCode, ok.jobLog).toBe(0);
    expect(ok.outputs['deployment-status']).toBe('skipped');
    expect(ok.jobLog).toContain('was skipped');
    const strict = await runE2E(emu, { inputs: deploy({ 'fail-on-skipped': 'true' }) });
    expect(strict.exitCode).toBe(1);
    expect(errorOf(strict)).toMatch(/was skipped and fail-on-skipped is true/);
  });

  it('streams thousands of lines over several steps: complete, in order, once, while running', async () => {
    emu.cloud.setScenario(scenarios.manySteps(6000, { durationMs: 3000, steps: 5 }));
    const run = await runE2E(emu, { inputs: deploy() });
    expect(run.exitCode, run.jobLog.slice(-2000)).toBe(0);
    const d = latestDeployment();
    const expected = d.lines.filter((l) => l.header === undefined).map((l) => l.text);
    const got = run.main.lines.map((l) => l.text).filter((t) => /^(step \d+ line|\s.*resource \d)/.test(t));
    expect(got.length).toBe(6000);
    expect(got).toEqual(expected.filter((t) => /^(step \d+ line|\s.*resource \d)/.test(t)));
    const groups = run.main.stdout.match(/^::group::.*$/gm)!.filter((g) => !g.includes('GitHub ID token'));
    expect(groups).toEqual(['::group::Get source', '::group::Install dependencies', '::group::Run pre-run commands', '::group::Pulumi update', '::group::Export outputs']);
    // the first streamed line reached the job log before the deployment ended
    const first = run.main.lines.find((l) => l.text === expected[0])!;
    expect(first.atEpochMs).toBeLessThan(d.endsAt);
  });

  it('timeout: cancels the deployment and fails saying so', async () => {
    emu.cloud.setScenario(scenarios.longRunning(60_000));
    const run = await runE2E(emu, { inputs: deploy({ timeout: '3s' }) });
    expect(run.exitCode).toBe(1);
    const d = latestDeployment();
    expect(d.cancelRequestedAt).not.toBeNull();
    expect(errorOf(run)).toBe(`Deployment ${d.id} did not finish within 3s; cancellation requested: ${run.outputs['deployment-url']}`);
    expect(requestsTo(emu.cloud, 'cancel').filter((r) => r.path.includes(d.id))).toHaveLength(1);
    // A stopped run's changes are unknown, never "no changes".
    expect([run.outputs['has-changes'], run.outputs['resource-changes']]).toEqual(['unknown', '{"unknown":true}']);
  });

  it('timeout with cancel-on-timeout: false leaves it running and says so', async () => {
    emu.cloud.setScenario(scenarios.longRunning(20_000));
    const run = await runE2E(emu, { inputs: deploy({ timeout: '2s', 'cancel-on-timeout': 'false', 'cancel-on-job-cancel': 'false' }) });
    expect(run.exitCode).toBe(1);
    const d = latestDeployment();
    expect(d.cancelRequestedAt).toBeNull();
    expect(errorOf(run)).toContain('it is still running (cancel-on-timeout is false)');
    expect([run.outputs['has-changes'], run.outputs['resource-changes']]).toEqual(['unknown', '{"unknown":true}']);
  });

  it('workflow cancelled (SIGINT) while streaming: cancel reaches the service within 7.5 s', async () => {
    emu.cloud.setScenario(scenarios.longRunning(60_000));
    const run = await runE2E(emu, { inputs: deploy(), cancelWhen: (out) => out.includes('updating (2s)') });
    const d = latestDeployment();
    expect(run.main.cancelledAt).not.toBeNull();
    expect(d.cancelRequestedAt).not.toBeNull();
    const sigintAt = run.main.startedAtEpochMs + run.main.cancelledAt!;
    expect(d.cancelRequestedAt! - sigintAt).toBeLessThan(7500);
    expect(run.main.signals.map((s) => s.signal)).toEqual(['SIGINT']); // exited within the grace period
    expect(run.main.exitCode).toBe(1);
    expect(run.jobLog).toContain(`Cancellation of deployment ${d.id} requested`);
    // post sees it settled and does not cancel again
    expect(requestsTo(emu.cloud, 'cancel').filter((r) => r.path.includes(d.id))).toHaveLength(1);
  });

  it('post cancels a deployment that main could not cancel', async () => {
    emu.cloud.setScenario(scenarios.longRunning(60_000));
    // Every cancel main sends fails (however many its time-bounded retries get out); the faults end
    // as the post step begins, so its cancel succeeds.
    emu.cloud.setFaults([{ endpoint: 'cancel', status: 503 }]);
    const run = await runE2E(emu, {
      inputs: deploy(),
      cancelWhen: (out) => out.includes('updating (1s)'),
      onJobLogLine: (line) => {
        if (line.includes('Post Run')) emu.cloud.setFaults([]);
      },
    });
    emu.cloud.setFaults([]);
    const d = latestDeployment();
    expect(run.jobLog).toContain(`Could not cancel deployment ${d.id}`);
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain(`cancellation requested (${run.outputs['deployment-url']})`);
    expect(d.cancelRequestedAt).not.toBeNull();
  });

  it('workflow cancelled while the create request is in flight: the new deployment is cancelled', async () => {
    emu.cloud.setScenario(scenarios.longRunning(60_000));
    // 1.5 s at real speed: the answer comes within main's grace after SIGINT (4 s, time-scaled too).
    emu.cloud.setFaults([{ endpoint: 'create', calls: [1], delayMs: 1500 / emu.timeScale }]);
    const run = await runE2E(emu, { inputs: deploy(), cancelWhen: (out) => out.includes('Creating an update deployment') });
    emu.cloud.setFaults([]);
    const d = latestDeployment();
    expect(run.main.signals.map((s) => s.signal)).toEqual(['SIGINT']);
    expect(d.cancelRequestedAt).not.toBeNull();
    expect(errorOf(run)).toContain(`cancellation of deployment ${d.id} requested`);
  });

  it('workflow cancelled while the create answer is later than main can wait: post finds the deployment by listing and cancels it', async () => {
    emu.cloud.setScenario(scenarios.longRunning(60_000));
    // 20 s at real speed: far past main's grace; the service creates the deployment at once.
    emu.cloud.setFaults([{ endpoint: 'create', calls: [1], lateMs: 20_000 / emu.timeScale }]);
    const listsBefore = requestsTo(emu.cloud, 'list').length;
    const run = await runE2E(emu, { inputs: deploy(), cancelWhen: (out) => out.includes('Creating an update deployment') });
    emu.cloud.setFaults([]);
    const d = latestDeployment();
    expect(errorOf(run)).toContain(
      'The workflow was cancelled (SIGINT) before the create request was answered; the post step looks for the deployment and cancels it if it was created.',
    );
    expect(JSON.parse(run.state.deployment!)).toMatchObject({ stoppedBy: 'job-cancelled', createSentAt: expect.any(Number) });
    // Main reads the stack's newest version once before the create; post lists once to find it.
    expect(requestsTo(emu.cloud, 'list').length - listsBefore).toBe(2);
    expect(run.post!.stdout).toContain(`Found deployment ${d.id}, created by this run's unanswered request: cancellation requested.`);
    expect(d.cancelRequestedAt).not.toBeNull();
  });

  it('cancel-on-job-cancel: false is honoured by post too when the create answer never came', async () => {
    emu.cloud.setScenario(scenarios.longRunning(60_000));
    emu.cloud.setFaults([{ endpoint: 'create', calls: [1], lateMs: 20_000 / emu.timeScale }]);
    const listsBefore = requestsTo(emu.cloud, 'list').length;
    const run = await runE2E(emu, { inputs: deploy({ 'cancel-on-job-cancel': 'false' }), cancelWhen: (out) => out.includes('Creating an update deployment') });
    emu.cloud.setFaults([]);
    // Only main's read of the newest version before the create: post does not look.
    expect(requestsTo(emu.cloud, 'list').length - listsBefore).toBe(1);
    expect(latestDeployment().cancelRequestedAt).toBeNull();
    expect(run.post!.exitCode).toBe(0);
  });

  it('masks each line of a multi-line secret (an SSH key) and writes none of them', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess);
    const key = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUtest1', 'QyNTUxOQAAACBfakefakefakefakefake2', '-----END OPENSSH PRIVATE KEY-----'];
    const run = await runE2E(emu, { inputs: deploy({ 'git-ssh-private-key': key.join('\n'), 'git-ssh-password': 'pass phrase' }) });
    expect(run.exitCode, run.jobLog).toBe(0);
    for (const line of key) expect(run.masks).toContain(line);
    expect(latestDeployment().request.sourceContext.git.gitAuth.sshAuth.sshPrivateKey.secret).toBe(key.join('\n'));
    const token = emu.cloud.issuedTokens.at(-1)!.token;
    expect(findLeaks(run, [...key.slice(1, 3), 'pass phrase', token], { output: ['pulumi-access-token'], env: ['PULUMI_ACCESS_TOKEN'] })).toEqual([]);
  });

  it('a succeeded status with a failed update is a contradiction: a warning, and the step fails', async () => {
    emu.cloud.setScenario({ ...scenarios.quickSuccess, name: 'succeededButFailed', updates: [{ result: 'failed', resourceChanges: { same: 2 } }] });
    const run = await runE2E(emu, { inputs: deploy() });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'warning' && a.message === 'Contradiction: its status is succeeded but its update failed.')).toHaveLength(1);
    expect(errorOf(run)).toMatch(/^Deployment \S+ reported success, but what it reported does not agree \(its status is succeeded but its update failed\)/);
    expect(run.outputs['has-changes']).toBe('unknown');
  });

  it('wait: false creates, sets the outputs and returns', async () => {
    emu.cloud.setScenario(scenarios.longRunning(30_000));
    const run = await runE2E(emu, { inputs: deploy({ wait: 'false' }) });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(run.outputs['deployment-id']).toBe(latestDeployment().id);
    expect(['not-started', 'accepted', 'running']).toContain(run.outputs['deployment-status']);
    expect([run.outputs['has-changes'], run.outputs['resource-changes']]).toEqual(['unknown', '{"unknown":true}']);
    expect(requestsTo(emu.cloud, 'logs').filter((r) => r.path.includes(latestDeployment().id))).toHaveLength(0);
    expect(latestDeployment().cancelRequestedAt).toBeNull(); // post leaves it alone on purpose
  });

  it('stream-logs: false waits for the verdict without reading logs', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess);
    const run = await runE2E(emu, { inputs: deploy({ 'stream-logs': 'false' }) });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(run.outputs['deployment-status']).toBe('succeeded');
    expect(requestsTo(emu.cloud, 'logs').filter((r) => r.path.includes(latestDeployment().id))).toHaveLength(0);
  });

  it('dry-run prints the request with secrets as *** and sends nothing', async () => {
    const before = emu.cloud.requests.length + emu.github.requests.length;
    const secrets = ['ghp_dryruntoken123', 'sup3r-s3cret-value'];
    const run = await runE2E(emu, {
      inputs: deploy({ 'dry-run': 'true', 'git-auth-token': secrets[0]!, 'secret-env': `DB_PASSWORD=${secrets[1]}`, env: 'REGION=eu-west-1' }),
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    expect(emu.cloud.requests.length + emu.github.requests.length).toBe(before);
    expect(run.main.stdout).toContain('"DB_PASSWORD": {\n');
    expect(run.main.stdout).toContain('"secret": "***"');
    expect(run.main.stdout).toContain('"REGION": "eu-west-1"');
    expect(findLeaks(run, secrets)).toEqual([]);
  });

  it('secret env values and git credentials never appear in anything written', async () => {
    emu.cloud.setScenario(scenarios.quickSuccess);
    const secrets = ['ghp_realtoken456', 'multi-line-secret-first', 'second-line-of-it'];
    const run = await runE2E(emu, {
      inputs: deploy({ 'git-auth-token': secrets[0]!, 'secret-env': `A=${secrets[1]}\nB=${secrets[2]}` }),
    });
    expect(run.exitCode, run.jobLog).toBe(0);
    const d = latestDeployment();
    expect(d.request.operationContext.environmentVariables).toEqual({ A: { secret: secrets[1] }, B: { secret: secrets[2] } });
    expect(d.request.sourceContext.git.gitAuth).toEqual({ accessToken: { secret: secrets[0] } });
    const token = emu.cloud.issuedTokens.at(-1)!.token;
    expect(findLeaks(run, [...secrets, token], { output: ['pulumi-access-token'], env: ['PULUMI_ACCESS_TOKEN'] })).toEqual([]);
    for (const s of secrets) expect(run.masks).toContain(s);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failsInUpdateStep,
  longRunning,
  manySteps,
  previewNoChanges,
  previewWithChanges,
  queuedSilently,
  quickSuccess,
  skipped,
  stackTagged,
} from '../../emulators/pulumi-cloud/scenarios.mjs';
import { accessToken, call, createDeployment, DEPLOYMENTS, readAllLogs, sleep, startEmulators, type Emulators } from './harness.js';

async function waitForStatus(em: Emulators, token: string, id: string, done: (s: string) => boolean, pollMs = 10) {
  const seen: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const res = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${id}`, { token });
    expect(res.status).toBe(200);
    if (seen.at(-1) !== res.body.status) seen.push(res.body.status);
    if (done(res.body.status)) return { seen, last: res.body };
    await sleep(pollMs);
  }
  throw new Error('status did not settle');
}
const terminal = (s: string) => ['succeeded', 'failed', 'skipped'].includes(s);

describe('Pulumi emulator: create', () => {
  let em: Emulators;
  let token: string;
  beforeAll(async () => {
    em = await startEmulators({ timeScale: 10 });
    token = await accessToken(em);
  });
  afterAll(async () => {
    await em.close();
  });

  it('returns 202 {id, consoleUrl, version} and records the request', async () => {
    const body = {
      operation: 'update',
      inheritSettings: true,
      operationContext: { environmentVariables: { PLAIN: 'v', SECRET: { secret: 's' } }, preRunCommands: ['npm ci'], options: { skipInstallDependencies: true } },
      sourceContext: { git: { repoUrl: 'https://github.com/acme/app.git', commit: 'a'.repeat(40), repoDir: 'infra' } },
    };
    const res = await createDeployment(em.cloud, token, body);
    expect(res.status).toBe(202);
    expect(res.body.consoleUrl).toBe(`${em.cloud.url}/acme/app/dev/deployments/${res.body.version}`);
    const again = await createDeployment(em.cloud, token);
    expect(again.body.version).toBe(res.body.version + 1);
    const rec = em.cloud.deployments.get(res.body.id)!;
    expect(rec).toMatchObject({ stack: 'acme/app/dev', operation: 'update', request: body, cancelRequestedAt: null });

    const got = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${res.body.id}`, { token });
    expect(got.body.configuration).toEqual({
      environmentVariables: [
        { name: 'PLAIN', secret: false, value: 'v' },
        { name: 'SECRET', secret: true },
      ],
      source: { git: { repoURL: 'https://github.com/acme/app.git', commit: 'a'.repeat(40), repoDir: 'infra' } },
    });
    expect(got.body.latestVersion).toBe(again.body.version);
  });

  it.each([
    [{}, /operation/],
    [{ operation: 'deploy' }, /operation/],
    [{ operation: 'update', operationContext: { operation: 'update' } }, /top level/],
    [{ operation: 'update', stackName: 'dev' }, /unknown field 'stackName'/],
    [{ operation: 'update', operationContext: { environmentVariables: { A: 1 } } }, /environment variable 'A'/],
    [{ operation: 'update', sourceContext: { git: { branch: 'main', commit: 'abc' } } }, /mutually exclusive/],
    [[], /object/],
  ])('answers 400 {code, message} for %j', async (body, message) => {
    const res = await call(em.cloud, 'POST', DEPLOYMENTS, { token, body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 400, message: expect.stringMatching(message) });
  });

  it('answers 404 for an unknown stack, 403 for another org and 404 for an unknown deployment', async () => {
    const unknown = await call(em.cloud, 'POST', '/api/stacks/acme/app/prod/deployments', { token, body: { operation: 'update' } });
    expect(unknown.status).toBe(404);
    const otherOrg = await call(em.cloud, 'POST', '/api/stacks/other/app/dev/deployments', { token, body: { operation: 'update' } });
    expect(otherOrg.status).toBe(403);
    expect((await call(em.cloud, 'GET', `${DEPLOYMENTS}/00000000-0000-0000-0000-000000000000`, { token })).status).toBe(404);
  });
});

describe('Pulumi emulator: timeline, logs and updates', () => {
  let em: Emulators;
  let token: string;
  beforeAll(async () => {
    em = await startEmulators({ logPageSize: 7 });
    token = await accessToken(em);
  });
  afterAll(async () => {
    await em.close();
  });

  it('moves through not-started -> accepted -> running -> succeeded with jobs only after start', async () => {
    em.cloud.setScenario(quickSuccess);
    const { body } = await createDeployment(em.cloud, token);
    const first = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}`, { token });
    expect(first.body.status).toBe('not-started');
    expect(first.body.jobs).toBeUndefined();
    const { seen, last } = await waitForStatus(em, token, body.id, terminal);
    expect(seen).toEqual(['not-started', 'accepted', 'running', 'succeeded']);
    expect(last.jobs).toHaveLength(1);
    expect(last.jobs[0].steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['Get source', 'succeeded'],
      ['Install dependencies', 'succeeded'],
      ['Pulumi update', 'succeeded'],
    ]);
    expect(last.pulumiOperation).toBe('update');
  });

  it('streams every line once, in order, with headers starting steps and an unchanged token while idle', async () => {
    // Idle: a deployment queued for 10 minutes has no line to show, however slow the machine.
    em.cloud.setScenario(queuedSilently(600_000));
    const { body: queued } = await createDeployment(em.cloud, token);
    const early = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${queued.id}/logs`, { token });
    expect(early.body).toEqual({ __type: 'DeploymentLogs', lines: [], nextToken: expect.any(String) });
    const idle = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${queued.id}/logs?continuationToken=${early.body.nextToken}`, { token });
    expect(idle.body.nextToken).toBe(early.body.nextToken);

    em.cloud.setScenario(quickSuccess);
    const { body } = await createDeployment(em.cloud, token);
    const { lines, tokens } = await readAllLogs(em.cloud, token, body.id);
    const rec = em.cloud.deployments.get(body.id)!;
    expect(lines).toHaveLength(rec.lines.length);
    expect(lines.map((l) => l.header ?? l.line)).toEqual(rec.lines.map((l) => l.header ?? `${l.text}\n`));
    expect(lines.filter((l) => l.header).map((l) => l.header)).toEqual(['Get source', 'Install dependencies', 'Pulumi update']);
    expect(lines[0]!.header).toBe('Get source');
    expect(lines.every((l) => l.header !== undefined || l.line!.endsWith('\n'))).toBe(true);
    const times = lines.map((l) => Date.parse(l.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(tokens.at(-1)).toBeUndefined();
    expect(rec.lines.every((l) => typeof l.availableAt === 'number' && l.servedAt! >= l.availableAt)).toBe(true);

    // Step mode.
    const step = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/logs?job=0&step=2&offset=2&count=3`, { token });
    expect(step.body.__type).toBe('DeploymentLogsStep');
    expect(step.body.name).toBe('Pulumi update');
    expect(step.body.lines).toHaveLength(3);
    expect(step.body.nextOffset).toBe(5);
    const badCount = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/logs?job=0&step=0&count=500`, { token });
    expect(badCount.status).toBe(400);
    const badToken = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/logs?continuationToken=bogus`, { token });
    expect(badToken.status).toBe(400);

    const updates = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/updates`, { token });
    expect(updates.body).toHaveLength(1);
    expect(updates.body[0].info).toMatchObject({ kind: 'update', result: 'succeeded', resourceChanges: { create: 2, update: 1, same: 3 } });
  });

  it('returns no updates before the run has finished', async () => {
    em.cloud.setScenario(quickSuccess);
    const { body } = await createDeployment(em.cloud, token);
    expect((await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/updates`, { token })).body).toEqual([]);
  });

  it('fails in the update step', async () => {
    em.cloud.setScenario(failsInUpdateStep);
    const { body } = await createDeployment(em.cloud, token);
    const { last } = await waitForStatus(em, token, body.id, terminal, 25);
    expect(last.status).toBe('failed');
    expect(last.jobs[0].status).toBe('failed');
    expect(last.jobs[0].steps.at(-1)).toMatchObject({ name: 'Pulumi update', status: 'failed' });
    const { lines } = await readAllLogs(em.cloud, token, body.id);
    expect(lines.some((l) => l.line?.includes('BucketAlreadyExists'))).toBe(true);
    const updates = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/updates`, { token });
    expect(updates.body[0].info.result).toBe('failed');
  });

  it('previews with and without changes (no stack version bump)', async () => {
    em.cloud.setScenario(previewWithChanges);
    const a = await createDeployment(em.cloud, token, { operation: 'preview' });
    em.cloud.setScenario(previewNoChanges);
    const b = await createDeployment(em.cloud, token, { operation: 'preview' });
    await waitForStatus(em, token, b.body.id, terminal, 25);
    await waitForStatus(em, token, a.body.id, terminal, 25);
    const ua = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${a.body.id}/updates`, { token });
    const ub = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${b.body.id}/updates`, { token });
    expect(ua.body[0].info).toMatchObject({ kind: 'preview', resourceChanges: { create: 1, update: 1, same: 4 } });
    expect(ub.body[0].info).toMatchObject({ kind: 'preview', resourceChanges: { same: 6 } });
    expect(ua.body[0].version).toBe(ub.body[0].version);
    const { lines } = await readAllLogs(em.cloud, token, a.body.id);
    expect(lines.filter((l) => l.header).at(-1)!.header).toBe('Pulumi preview');
  });

  it('skips: no jobs, no logs, no updates', async () => {
    em.cloud.setScenario(skipped);
    const { body } = await createDeployment(em.cloud, token);
    const { seen, last } = await waitForStatus(em, token, body.id, terminal);
    expect(seen.at(-1)).toBe('skipped');
    expect(last.jobs).toBeUndefined();
    expect((await readAllLogs(em.cloud, token, body.id)).lines).toEqual([]);
    expect((await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/updates`, { token })).body).toEqual([]);
  });
});

describe('Pulumi emulator: big and slow scenarios', () => {
  let em: Emulators;
  let token: string;
  beforeAll(async () => {
    em = await startEmulators({ timeScale: 4, logPageSize: 200 });
    token = await accessToken(em);
  });
  afterAll(async () => {
    await em.close();
  });

  it('delivers 5000 lines with ANSI colours completely', async () => {
    em.cloud.setScenario(manySteps(5000));
    const { body } = await createDeployment(em.cloud, token);
    const { lines, calls } = await readAllLogs(em.cloud, token, body.id, { pollMs: 10 });
    const bodyLines = lines.filter((l) => !l.header);
    expect(bodyLines).toHaveLength(5000);
    expect(new Set(bodyLines.map((l) => l.line)).size).toBe(5000);
    expect(bodyLines.some((l) => l.line!.includes('\u001b[32m'))).toBe(true);
    expect(lines.filter((l) => l.header)).toHaveLength(5);
    expect(calls).toBeGreaterThanOrEqual(25);
  });

  it('stays queued silently, then runs', async () => {
    em.cloud.setScenario(queuedSilently(2000));
    const { body } = await createDeployment(em.cloud, token);
    await sleep(250);
    const res = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/logs`, { token });
    expect(res.body.lines).toEqual([]);
    expect(['not-started', 'accepted']).toContain(em.cloud.deployments.get(body.id)!.status);
    const { seen } = await waitForStatus(em, token, body.id, terminal, 50);
    expect(seen.at(-1)).toBe('succeeded');
  });
});

describe('Pulumi emulator: stackTagged', () => {
  let em: Emulators;
  let token: string;
  beforeAll(async () => {
    em = await startEmulators({ stacks: ['acme/app/dev', 'acme/app/prod'], timeScale: 10, scenario: stackTagged(quickSuccess) });
    token = await accessToken(em);
  });
  afterAll(async () => {
    await em.close();
  });

  it('gives every line of the same scenario on two stacks its own text, naming its stack and place', async () => {
    for (const stack of ['dev', 'prod'])
      expect((await call(em.cloud, 'POST', `/api/stacks/acme/app/${stack}/deployments`, { token, body: { operation: 'update' } })).status).toBe(202);
    const [dev, prod] = [...em.cloud.deployments.values()].map((d) => d.lines.filter((l) => l.header === undefined).map((l) => l.text));
    expect(dev).toHaveLength(quickSuccess.steps.reduce((n, s) => n + (s.lines as string[]).length, 0));
    expect(new Set([...dev!, ...prod!]).size).toBe(dev!.length * 2);
    expect(dev![0]).toBe("acme/app/dev 1.1 Cloning into '/deployments/source'...");
    expect(prod!.at(-1)).toBe('acme/app/prod 3.18 Duration: 5s');
    // A template keeps its count; `{i}` numbers the place too.
    expect(stackTagged(longRunning(3000)).steps[1]!.lines).toEqual({ count: 3, template: '{org}/{project}/{stack} 2.{i}  ~ aws:rds:Instance db updating ({i}s)' });
  });
});

describe('Pulumi emulator: cancel', () => {
  let em: Emulators;
  let token: string;
  beforeAll(async () => {
    em = await startEmulators({ timeScale: 2 });
    token = await accessToken(em);
  });
  afterAll(async () => {
    await em.close();
  });

  it('stops a running deployment: failed, with a final cancellation line', async () => {
    em.cloud.setScenario(longRunning(60_000));
    const { body } = await createDeployment(em.cloud, token);
    await waitForStatus(em, token, body.id, (s) => s === 'running');
    const before = Date.now();
    const res = await call(em.cloud, 'POST', `${DEPLOYMENTS}/${body.id}/cancel`, { token });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const rec = em.cloud.deployments.get(body.id)!;
    expect(rec.cancelRequestedAt).toBeGreaterThanOrEqual(before);
    const { last } = await waitForStatus(em, token, body.id, terminal);
    expect(last.status).toBe('failed');
    expect(last.jobs[0].steps.some((s: { status: string }) => s.status === 'failed')).toBe(true);
    const { lines } = await readAllLogs(em.cloud, token, body.id);
    expect(lines.at(-1)!.line).toMatch(/cancelled/);
    expect(Date.now() - before).toBeLessThan(5000);
    const updates = await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/updates`, { token });
    expect(updates.body[0].info.result).toBe('failed');
    // Cancelling again, or after the end, is accepted and changes nothing.
    expect((await call(em.cloud, 'POST', `${DEPLOYMENTS}/${body.id}/cancel`, { token })).status).toBe(200);
    expect(em.cloud.deployments.get(body.id)!.cancelIgnoredAt).toBeDefined();
  });

  it('removes a queued deployment: it never starts', async () => {
    em.cloud.setScenario(queuedSilently(20_000));
    const { body } = await createDeployment(em.cloud, token);
    await call(em.cloud, 'POST', `${DEPLOYMENTS}/${body.id}/cancel`, { token });
    const { seen, last } = await waitForStatus(em, token, body.id, terminal);
    expect(seen).not.toContain('running');
    expect(last.status).toBe('failed');
    expect(last.jobs).toBeUndefined();
    expect((await call(em.cloud, 'GET', `${DEPLOYMENTS}/${body.id}/updates`, { token })).body).toEqual([]);
  });
});

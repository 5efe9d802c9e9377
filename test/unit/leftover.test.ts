// Post finds the deployment of a create that got no answer by version, never by clock: the
// runner's clock may be hours off the service's.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cancelLeftover, newestVersionBefore } from '../../src/deployment/leftover.js';
import type { DeploymentList, PulumiCloudClient } from '../../src/cloud/client.js';
import type { DeploymentState } from '../../src/runner-io/state.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const SERVICE_NOW = Date.parse('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;

type Listed = DeploymentList['deployments'][number];
const listed = (version: number, status: string, createdAt: number, extra: Partial<Listed> = {}): Listed =>
  ({
    id: `d-${version}`,
    version,
    status,
    pulumiOperation: 'update',
    created: new Date(createdAt).toISOString().replace('T', ' ').replace('Z', ''),
    modified: new Date(createdAt).toISOString(),
    requestedBy: { githubLogin: 'octocat', name: 'Octo', avatarUrl: '' },
    ...extra,
  }) as Listed;

function fakeClient(deployments: Listed[]) {
  const cancelled: string[] = [];
  const client = {
    getCurrentUser: async () => ({ githubLogin: 'octocat' }),
    listDeployments: async (_stack: unknown, pageSize = 20) => ({ deployments: deployments.slice(0, pageSize), itemsPerPage: pageSize, total: deployments.length }),
    cancelDeployment: async (ref: { id: string }) => void cancelled.push(ref.id),
  } as unknown as PulumiCloudClient;
  return { client, cancelled };
}

/** What main recorded, on the runner's own clock. */
const unanswered = (newestBefore: number | undefined): DeploymentState => ({
  stack,
  operation: 'update',
  cancelOnTimeout: true,
  cancelOnJobCancel: true,
  createSentAt: Date.now(),
  ...(newestBefore === undefined ? {} : { newestVersionBefore: newestBefore }),
});

afterEach(() => vi.useRealTimers());

describe('cancelLeftover: a create that got no answer', () => {
  // Newest first: ours (8, created just now by the service's clock), an older run of the same
  // identity still running (7, ten minutes ago), older ones finished.
  const stackDeployments = () => [listed(8, 'running', SERVICE_NOW), listed(7, 'running', SERVICE_NOW - 10 * 60_000), listed(6, 'succeeded', SERVICE_NOW - 20 * 60_000)];

  it.each([
    ['3 hours ahead', 3 * HOUR],
    ['3 hours behind', -3 * HOUR],
    ['in step', 0],
    ['a day behind', -24 * HOUR],
  ])('runner clock %s of the service: cancels exactly the deployment newer than the one before the create', async (_name, skew) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(SERVICE_NOW + skew);
    const { client, cancelled } = fakeClient(stackDeployments());
    const outcome = await cancelLeftover(client, unanswered(7));
    expect(cancelled).toEqual(['d-8']);
    expect(outcome).toEqual({ level: 'info', message: "Found deployment d-8, created by this run's unanswered request: cancellation requested." });
  });

  it('no deployment newer than the one before: nothing is cancelled, whatever the clocks', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(SERVICE_NOW - 3 * HOUR);
    const { client, cancelled } = fakeClient(stackDeployments().slice(1));
    const outcome = await cancelLeftover(client, unanswered(7));
    expect(cancelled).toEqual([]);
    expect(outcome.message).toMatch(/got no answer, and no such deployment is running: nothing to cancel/);
  });

  it('two newer matches are ambiguous: none is cancelled', async () => {
    const { client, cancelled } = fakeClient([listed(9, 'running', SERVICE_NOW), ...stackDeployments()]);
    const outcome = await cancelLeftover(client, unanswered(7));
    expect(cancelled).toEqual([]);
    expect(outcome).toMatchObject({ level: 'warning', message: expect.stringMatching(/2 deployments match it; none was cancelled/) });
  });

  it('newer ones of another operation, another identity, or already ended are not ours', async () => {
    const others = [
      listed(11, 'running', SERVICE_NOW, { pulumiOperation: 'preview' }),
      listed(10, 'running', SERVICE_NOW, { requestedBy: { githubLogin: 'mallory', name: 'M', avatarUrl: '' } }),
      listed(9, 'failed', SERVICE_NOW),
    ];
    const { client, cancelled } = fakeClient([...others, ...stackDeployments()]);
    await cancelLeftover(client, unanswered(7));
    expect(cancelled).toEqual(['d-8']);
  });

  it('main could not read the versions before the create: says so and cancels nothing (fail closed)', async () => {
    const { client, cancelled } = fakeClient(stackDeployments());
    const outcome = await cancelLeftover(client, unanswered(undefined));
    expect(cancelled).toEqual([]);
    expect(outcome.level).toBe('warning');
    expect(outcome.message).toMatch(/could not be read before it, so this run's deployment cannot be told apart; none was cancelled/);
  });
});

describe('newestVersionBefore', () => {
  it('is the newest version of the stack, 0 for a stack without deployments, undefined when unreadable', async () => {
    expect(await newestVersionBefore(fakeClient([listed(5, 'succeeded', 0), listed(4, 'failed', 0)]).client, stack)).toBe(5);
    expect(await newestVersionBefore(fakeClient([]).client, stack)).toBe(0);
    const failing = { listDeployments: async () => Promise.reject(new Error('503')) } as unknown as PulumiCloudClient;
    expect(await newestVersionBefore(failing, stack)).toBeUndefined();
    const hostile = { listDeployments: async () => ({ deployments: [{ version: '9' }, { version: 2 ** 60 }, { version: 3 }] }) } as unknown as PulumiCloudClient;
    expect(await newestVersionBefore(hostile, stack)).toBe(3);
  });
});

// Why a deployment stays queued: the stack's and the organization's deployment metadata, in words;
// what the service cannot say is left unsaid, and a failed read never fails the deployment.
import { describe, expect, it } from 'vitest';
import { queueReason, type QueueClient } from '../../src/deployment/queue.js';
import { ProgressScheduler } from '../../src/deployment/progress.js';
import type { OrgQueueState, StackQueueState } from '../../src/cloud/client.js';

const stack = { organization: 'acme', project: 'app', stack: 'dev' };
const signal = new AbortController().signal;
const calm: StackQueueState = { paused: false, stackPaused: false, organizationPaused: false, hasSchedules: false };
const org = (over: Partial<OrgQueueState> = {}): OrgQueueState => ({
  paused: false,
  concurrency: 3,
  deploymentCounts: { notStarted: 2, accepted: 1, running: 2, failed: 0, succeeded: 9, skipped: 0, total: 14 },
  ...over,
});
const client = (ofStack: StackQueueState | Error, ofOrg: OrgQueueState | Error): QueueClient => ({
  getStackQueueState: async () => {
    if (ofStack instanceof Error) throw ofStack;
    return ofStack;
  },
  getOrgQueueState: async () => {
    if (ofOrg instanceof Error) throw ofOrg;
    return ofOrg;
  },
});

describe('queueReason', () => {
  it('names a paused stack first, then a paused organization', async () => {
    expect(await queueReason(client({ ...calm, paused: true, stackPaused: true, organizationPaused: true }, org()), stack, signal)).toBe(
      'deployments of acme/app/dev are paused; it starts once they are resumed',
    );
    expect(await queueReason(client({ ...calm, paused: true, organizationPaused: true }, org()), stack, signal)).toBe(
      'deployments of organization acme are paused; it starts once they are resumed',
    );
    // The organization's own answer says so even when the stack's read failed.
    expect(await queueReason(client(new Error('403'), org({ paused: true })), stack, signal)).toBe('deployments of organization acme are paused; it starts once they are resumed');
  });

  it('otherwise says how many of the concurrent deployments are taken and how many wait', async () => {
    expect(await queueReason(client(calm, org()), stack, signal)).toBe('acme runs 3 of its 3 concurrent deployments, 2 queued');
    const none = org({ deploymentCounts: { notStarted: 0, accepted: 0, running: 1, failed: 0, succeeded: 0, skipped: 0, total: 1 } });
    expect(await queueReason(client(calm, none), stack, signal)).toBe('acme runs 1 of its 3 concurrent deployments');
  });

  it('says nothing when neither answer can be read, and never throws', async () => {
    expect(await queueReason(client(new Error('boom'), new Error('boom')), stack, signal)).toBeUndefined();
    expect(await queueReason(client(calm, new Error('404')), stack, signal)).toBeUndefined();
    expect(await queueReason({} as QueueClient, stack, signal)).toBeUndefined();
  });
});

describe('the progress line with a reason', () => {
  it('puts the reason before the link, and is due only when a line is', () => {
    const progress = new ProgressScheduler({ startedAt: 0, consoleUrl: 'https://app.pulumi.com/d/1' });
    expect(progress.isDue(29_999)).toBe(false);
    expect(progress.isDue(30_000)).toBe(true);
    expect(progress.due('not-started', 30_000, 'acme runs 3 of its 3 concurrent deployments')).toBe(
      'Deployment queued; waited 30s; acme runs 3 of its 3 concurrent deployments: https://app.pulumi.com/d/1',
    );
    expect(progress.isDue(31_000)).toBe(false);
  });
});

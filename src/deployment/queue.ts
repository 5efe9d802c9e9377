// Why a deployment stays queued, for the progress line: its stack or organization paused, or the
// organization's concurrent deployments all taken. Read from the service's deployment metadata;
// what cannot be read is left unsaid.
import type { PulumiCloudClient } from '../cloud/client.js';
import { stackLabel, type StackRef } from '../domain/vocabulary.js';

export type QueueClient = Pick<PulumiCloudClient, 'getStackQueueState' | 'getOrgQueueState'>;

/** A few words on why the stack's deployment has not started, or undefined when the service cannot say. */
export async function queueReason(client: QueueClient, stack: StackRef, signal: AbortSignal): Promise<string | undefined> {
  const [ofStack, ofOrg] = await Promise.all([
    unlessFailed(() => client.getStackQueueState(stack, signal)),
    unlessFailed(() => client.getOrgQueueState(stack.organization, signal)),
  ]);
  const resume = 'it starts once they are resumed';
  if (ofStack?.stackPaused) return `deployments of ${stackLabel(stack)} are paused; ${resume}`;
  if (ofStack?.organizationPaused || ofOrg?.paused) return `deployments of organization ${stack.organization} are paused; ${resume}`;
  if (ofStack?.paused) return `deployments of ${stackLabel(stack)} are paused; ${resume}`;
  if (!ofOrg) return undefined;
  const { concurrency, deploymentCounts: counts } = ofOrg;
  const busy = counts.running + counts.accepted;
  const waiting = counts.notStarted > 0 ? `, ${counts.notStarted} queued` : '';
  return `${stack.organization} runs ${busy} of its ${concurrency} concurrent deployments${waiting}`;
}

/** The answer, or undefined when the call failed: a hint is never worth failing the deployment for. */
async function unlessFailed<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch {
    return undefined;
  }
}

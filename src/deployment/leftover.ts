// What post does with a deployment main left running: find it (by id, or among the stack's own
// deployments when the create got no answer) and cancel it. Main reads the newest version first.
import type { PulumiCloudClient } from '../cloud/client.js';
import type { DeploymentState } from '../runner-io/state.js';
import { isTerminal, knownStatus, stackLabel, type StackRef } from '../domain/vocabulary.js';

export interface LeftoverOutcome {
  /** What post did, in one line. */
  message: string;
  level: 'info' | 'warning';
}

/**
 * The stack's newest deployment version before our create request (0 for none), read by main:
 * post then knows ours is newer without comparing anyone's clock. Undefined when it could not be read.
 */
export async function newestVersionBefore(client: PulumiCloudClient, stack: StackRef, signal?: AbortSignal): Promise<number | undefined> {
  try {
    const list = await client.listDeployments(stack, 1, signal);
    const versions = (list.deployments ?? []).map((d) => d.version).filter((v) => Number.isSafeInteger(v) && v >= 0);
    return versions.length ? Math.max(...versions) : 0;
  } catch {
    return undefined;
  }
}

/**
 * Post's clean-up: cancels the deployment main left running. When main never got the create
 * answer, finds the deployment among the stack's own: a version newer than the newest before our
 * request (never a clock), same operation, requested by the same identity, not finished. Cancels
 * only an unambiguous match.
 */
export async function cancelLeftover(client: PulumiCloudClient, deployment: DeploymentState, signal?: AbortSignal): Promise<LeftoverOutcome> {
  if (deployment.run) {
    const { ref, consoleUrl } = deployment.run;
    const { status } = await client.getDeployment(ref, signal);
    if (isTerminal(status)) return { level: 'info', message: `Deployment ${ref.id} already ended (${knownStatus(status)}); nothing to cancel.` };
    await client.cancelDeployment(ref, undefined, signal);
    return { level: 'info', message: `The step ended while deployment ${ref.id} was ${knownStatus(status)}: cancellation requested (${consoleUrl}).` };
  }
  const a = /^[aeiu]/.test(deployment.operation) ? 'an' : 'a';
  const stack = stackLabel(deployment.stack);
  const unanswered = `The create request of ${a} ${deployment.operation} of ${stack} got no answer`;
  const newestBefore = deployment.newestVersionBefore;
  if (newestBefore === undefined) {
    return {
      level: 'warning',
      message: `${unanswered}, and the stack's deployments could not be read before it, so this run's deployment cannot be told apart; none was cancelled. Check the stack's deployments in the Pulumi console.`,
    };
  }
  const [me, list] = await Promise.all([client.getCurrentUser(signal), client.listDeployments(deployment.stack, LIST_PAGE_SIZE, signal)]);
  const login = me.githubLogin;
  const candidates = (list.deployments ?? []).filter(
    (d) =>
      Number.isSafeInteger(d.version) &&
      d.version > newestBefore &&
      !isTerminal(d.status) &&
      d.pulumiOperation === deployment.operation &&
      (login === undefined || d.requestedBy?.githubLogin === login),
  );
  if (candidates.length === 0) return { level: 'info', message: `${unanswered}, and no such deployment is running: nothing to cancel.` };
  if (candidates.length > 1) {
    return {
      level: 'warning',
      message: `${unanswered}, and ${candidates.length} deployments match it; none was cancelled. Check the stack's deployments in the Pulumi console.`,
    };
  }
  const found = candidates[0]!;
  const ref = { ...deployment.stack, id: found.id };
  await client.cancelDeployment(ref, undefined, signal);
  return { level: 'info', message: `Found deployment ${found.id}, created by this run's unanswered request: cancellation requested.` };
}
/** Newest first: a page this long holds ours unless the stack got as many deployments since. */
const LIST_PAGE_SIZE = 50;

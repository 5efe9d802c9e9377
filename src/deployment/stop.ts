import type { PulumiCloudClient } from '../cloud/client.js';
import type { DeploymentState } from '../runner-io/state.js';
import type { StackRef } from '../domain/vocabulary.js';
import type { RetryPolicy } from '../cloud/retry.js';
import { isTerminal, knownStatus, stackLabel, type StopReason } from '../domain/vocabulary.js';

/**
 * The runner sends SIGINT, waits 7.5 s, sends SIGTERM, waits 2.5 s, then kills. Everything main
 * does after a signal must fit in the first 7.5 s: wait for a create answer, then cancel.
 */
export const CREATE_GRACE_MS = 4_000;
export const CANCEL_AFTER_SIGNAL: RetryPolicy = { maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 1_000, maxRetryAfterMs: 1_000, maxElapsedMs: 3_000 };
/** A cancel after our own timeout has more time, but not unbounded time. */
export const CANCEL_AFTER_TIMEOUT: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000, maxRetryAfterMs: 5_000, maxElapsedMs: 20_000 };

/**
 * Why main stops following a deployment: the `timeout` input, or the workflow being cancelled
 * (SIGINT/SIGTERM). Every request made while following takes `signal`, so a stop aborts the
 * requests in flight too.
 */
/** Where SIGINT and SIGTERM arrive: the process, or a test's emitter. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
}

export class Stop {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private stopReason?: StopReason;
  signalName?: NodeJS.Signals;

  constructor(
    timeoutMs: number,
    private readonly signals: SignalSource = process,
  ) {
    this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    signals.on('SIGINT', this.onSignal);
    signals.on('SIGTERM', this.onSignal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  reason(): StopReason | undefined {
    return this.stopReason;
  }

  /** A signal that aborts at `grace()`'s deadline, started at the stop: for a request whose answer is still worth having. */
  after(grace: () => AbortSignal): AbortSignal {
    const later = new AbortController();
    const arm = () => grace().addEventListener('abort', () => later.abort(), { once: true });
    if (this.signal.aborted) arm();
    else this.signal.addEventListener('abort', arm, { once: true });
    return later.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signals.off('SIGINT', this.onSignal);
    this.signals.off('SIGTERM', this.onSignal);
  }

  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.stopReason) return;
    this.signalName = signal;
    this.stop('job-cancelled');
  };

  private stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    clearTimeout(this.timer);
    this.controller.abort();
  }
}

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

import type { PulumiCloudClient } from './pulumi-client.js';
import type { DeploymentState } from './state.js';
import type { RetryPolicy } from './retry.js';
import { knownStatus } from './report/outcome.js';

/**
 * The runner sends SIGINT, waits 7.5 s, sends SIGTERM, waits 2.5 s, then kills. Everything main
 * does after a signal must fit in the first 7.5 s: wait for a create answer, then cancel.
 */
export const CREATE_GRACE_MS = 4_000;
export const CANCEL_AFTER_SIGNAL: RetryPolicy = { maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 1_000, maxRetryAfterMs: 1_000, maxElapsedMs: 3_000 };
/** A cancel after our own timeout has more time, but not unbounded time. */
export const CANCEL_AFTER_TIMEOUT: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 5_000, maxRetryAfterMs: 5_000, maxElapsedMs: 20_000 };

export type StopReason = 'timeout' | 'job-cancelled';

/**
 * Why main stops following a deployment: the `timeout` input, or the workflow being cancelled
 * (SIGINT/SIGTERM). Every request made while following takes `signal`, so a stop aborts the
 * requests in flight too.
 */
export class Stop {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private stopReason?: StopReason;
  signalName?: NodeJS.Signals;

  constructor(timeoutMs: number) {
    this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  reason(): StopReason | undefined {
    return this.stopReason;
  }

  /** A signal that aborts `graceMs` after the stop: for a request whose answer is still worth having. */
  after(graceMs: number): AbortSignal {
    const later = new AbortController();
    const arm = () => setTimeout(() => later.abort(), graceMs).unref();
    if (this.signal.aborted) arm();
    else this.signal.addEventListener('abort', arm, { once: true });
    return later.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
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

const TERMINAL = ['succeeded', 'failed', 'skipped'];
export const isTerminal = (status: string): boolean => TERMINAL.includes(status);

/** How far the service's clock may be from ours when matching a deployment by its creation time. */
const CLOCK_SKEW_MS = 2 * 60_000;

export interface LeftoverOutcome {
  /** What post did, in one line. */
  message: string;
  level: 'info' | 'warning';
}

/**
 * Post's clean-up: cancels the deployment main left running. When main never got the create
 * answer, finds the deployment among the stack's own: created after our request was sent, same
 * operation, requested by the same identity, not finished. Cancels only an unambiguous match.
 */
export async function cancelLeftover(client: PulumiCloudClient, deployment: DeploymentState): Promise<LeftoverOutcome> {
  if (deployment.run) {
    const { ref, consoleUrl } = deployment.run;
    const { status } = await client.getDeployment(ref);
    if (isTerminal(status)) return { level: 'info', message: `Deployment ${ref.id} already ended (${knownStatus(status)}); nothing to cancel.` };
    await client.cancelDeployment(ref);
    return { level: 'info', message: `The step ended while deployment ${ref.id} was ${knownStatus(status)}: cancellation requested (${consoleUrl}).` };
  }
  const sentAt = deployment.createSentAt ?? Date.now();
  const [me, list] = await Promise.all([client.getCurrentUser(), client.listDeployments(deployment.stack)]);
  const login = me.githubLogin;
  const candidates = (list.deployments ?? []).filter(
    (d) =>
      !isTerminal(d.status) &&
      d.pulumiOperation === deployment.operation &&
      (login === undefined || d.requestedBy?.githubLogin === login) &&
      parseServiceTime(d.created) >= sentAt - CLOCK_SKEW_MS,
  );
  const a = /^[aeiu]/.test(deployment.operation) ? 'an' : 'a';
  const stack = `${deployment.stack.organization}/${deployment.stack.project}/${deployment.stack.stack}`;
  if (candidates.length === 0)
    return { level: 'info', message: `The create request of ${a} ${deployment.operation} of ${stack} got no answer, and no such deployment is running: nothing to cancel.` };
  if (candidates.length > 1) {
    return {
      level: 'warning',
      message: `The create request of ${a} ${deployment.operation} of ${stack} got no answer, and ${candidates.length} deployments match it; none was cancelled. Check the stack's deployments in the Pulumi console.`,
    };
  }
  const found = candidates[0]!;
  const ref = { ...deployment.stack, id: found.id };
  await client.cancelDeployment(ref);
  return { level: 'info', message: `Found deployment ${found.id}, created by this run's unanswered request: cancellation requested.` };
}

/** The service writes `2024-05-01T12:00:00Z` or `2024-05-01 12:00:00.000`; both are UTC. NaN when unreadable. */
export function parseServiceTime(text: string | undefined): number {
  if (!text) return Number.NaN;
  const iso = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  return Date.parse(iso);
}

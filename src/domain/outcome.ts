import { sanitizeLine } from '../runner-io/untrusted-text.js';
import type { Deployment, UpdateInfo } from '../cloud/client.js';
import type { CreatedRun } from '../runner-io/state.js';
import type { UpdatePlan } from '../deployment/events.js';

export type DeploymentStatus = Deployment['status'];

export const STATUSES: DeploymentStatus[] = ['not-started', 'accepted', 'running', 'failed', 'succeeded', 'skipped'];
/** A status from the service, as one of the spec's values or 'unknown': it goes to outputs, the log and the report. */
export const knownStatus = (status: unknown): DeploymentStatus | 'unknown' => ((STATUSES as unknown[]).includes(status) ? (status as DeploymentStatus) : 'unknown');

/** What following a deployment found: the input of the verdict and the report. */
export interface DeploymentOutcome extends CreatedRun {
  /** One of the spec's statuses, or 'unknown' when the service said something else. */
  status: DeploymentStatus | 'unknown';
  finished: boolean;
  timedOut: boolean;
  /** Set when this action asked the service to cancel (timeout or workflow cancelled). */
  cancelRequested: boolean;
  /** The Pulumi operation the service says it ran; undefined when it did not say. */
  operation?: string;
  failedStep?: string;
  steps: string[];
  tail: string[];
  linesStreamed: number;
  /** The deployment's updates; undefined when they could not be read (then changes are unknown). */
  updates?: UpdateInfo[];
  /** Why the updates could not be read, in one line. */
  updatesError?: string;
  /** What the engine events say each update did; undefined when they could not be read. */
  plans?: UpdatePlan[];
  /** The failing resource's error, one safe line. */
  cause?: string;
  durationMs: number;
}

export function failedStep(deployment: Deployment | undefined): string | undefined {
  for (const job of deployment?.jobs ?? []) {
    const step = job.steps?.find((s) => s.status === 'failed');
    // A step name from the service: one safe line wherever it is shown.
    if (step) return sanitizeLine(step.name, 200);
  }
  return undefined;
}

export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.round(total % 60);
  return [h && `${h}h`, m && `${m}m`, (s || (!h && !m)) && `${s}s`].filter(Boolean).join('');
}

// The data running returns and the reporters read: what this action created, what following
// it found, and what the engine events say each update did.
import type { components } from '../generated/pulumi-api.js';
import { sanitizeLine } from '../runner-io/untrusted-text.js';
import type { DeploymentStatus, StackRef, StopReason } from './vocabulary.js';

/** One update of a deployment, as the service lists it. */
export type UpdateInfo = components['schemas']['UpdateInfo'];
type DeploymentRead = components['schemas']['GetDeploymentResponse'];

/** A deployment this run created. */
export interface CreatedRun {
  ref: StackRef & { id: string };
  consoleUrl: string;
  version: number;
}

/** What following a deployment to its end (or to a timeout) found: the input of the verdict and the report. */
export interface FollowedDeployment extends CreatedRun {
  /** One of the spec's statuses, or 'unknown' when the service said something else. */
  status: DeploymentStatus | 'unknown';
  finished: boolean;
  /** Why this action stopped following it before it ended; undefined when it was followed to its end. */
  stop?: StopReason;
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

/**
 * How running one stack ended: what the flow returns and the reporters read. Only a followed
 * deployment has a verdict of its own; every other end fails the step.
 */
export type StackOutcome = { stack: StackRef } & (
  | { end: 'followed'; followed: FollowedDeployment }
  /** Stopped before the create was answered; `createSent`: post looks for it. */
  | { end: 'not-created'; stop: StopReason; createSent: boolean; signalName?: string }
  /** wait is false: handed over, still running. */
  | { end: 'not-waited'; run: CreatedRun; status: DeploymentStatus | 'unknown' }
  /** The workflow was cancelled after the create. */
  | { end: 'workflow-cancelled'; run: CreatedRun; signalName?: string; cancel: 'requested' | 'failed' | 'not-asked' }
  /** Something went wrong on our side (run: it may still be running). */
  | { end: 'error'; run?: CreatedRun; error: unknown }
  /** Never started: an earlier stack failed (fail-fast), the step's timeout passed, or the workflow was cancelled. */
  | { end: 'skipped'; because: SkipReason }
);

/** One changed property of a resource or stack output, with its values as short one-line texts. */
export interface PropertyChange {
  /** The property path as Pulumi writes it (`tags.env`, `rules[0].port`). */
  key: string;
  kind: 'add' | 'delete' | 'update';
  /** Forces a replacement. */
  replace: boolean;
  /** The value before (absent for `add`, or when the event does not hold it), JSON, at most MAX_VALUE (deployment/property-diff.ts) characters. */
  old?: string;
  /** The value after (absent for `delete`, or when the event does not hold it). */
  new?: string;
}

/** Why a stack of the step was never started. */
export type SkipReason = 'fail-fast' | StopReason;

export interface ChangedResource {
  /** create, update, delete, replace, import, read, refresh (drift), discard... */
  op: string;
  urn: string;
  type: string;
  name: string;
  /** Changed properties (at most MAX_KEYS of deployment/events.ts); `more` counts the rest. */
  keys: string[];
  more: number;
  /** Properties that force a replacement. */
  replaceKeys: string[];
  /** For a replace: the engine steps seen (create-replacement, delete-replaced). */
  steps: string[];
  /** Changed properties with their old and new values (at most MAX_KEYS), in Pulumi's order. */
  props: PropertyChange[];
  /** The step failed (a resOpFailedEvent, or an error diagnostic about the resource, as Pulumi's display marks it). */
  failed?: boolean;
  /** The failed step's error, one line. */
  error?: string;
  /** A custom resource's step began but never finished (no resOutputsEvent): the update stopped mid-step. */
  interrupted?: boolean;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** `type name` of the resource, when the event names one. */
  resource?: string;
  message: string;
}

export interface PolicyFinding {
  pack: string;
  policy: string;
  /** mandatory, advisory (Pulumi sends `warning`), remediate, disabled */
  level: string;
  severity: 'error' | 'warning';
  resource?: string;
  message: string;
}

export interface UpdatePlan {
  kind: string;
  updateId: string;
  version: number;
  preview: boolean;
  /** Pulumi's counts from the summaryEvent; absent when the update never sent one. */
  changes?: Record<string, number>;
  result?: string;
  /** In the order first seen; the renderer groups them. */
  resources: ChangedResource[];
  omittedResources: number;
  diagnostics: Diagnostic[];
  omittedDiagnostics: number;
  policies: PolicyFinding[];
  omittedPolicies: number;
  /** The root stack's outputs with every secret replaced by "[secret]". */
  outputs?: Record<string, unknown>;
  /** Stack outputs that change (old from the stack's pre-event, new from its outputs event), secrets hidden. */
  outputChanges: PropertyChange[];
  omittedOutputChanges: number;
  /** The error of the resource whose operation failed (or the first error), one line. */
  failure?: Diagnostic;
  events: number;
  requests: number;
}

/** An update's plan before any of its events: what the events then fill in. */
export const emptyPlan = (update: Pick<UpdatePlan, 'kind' | 'updateId' | 'version' | 'preview'>): UpdatePlan => ({
  ...update,
  resources: [],
  omittedResources: 0,
  diagnostics: [],
  omittedDiagnostics: 0,
  policies: [],
  omittedPolicies: 0,
  outputChanges: [],
  omittedOutputChanges: 0,
  events: 0,
  requests: 0,
});

export function failedStep(deployment: DeploymentRead | undefined): string | undefined {
  for (const job of deployment?.jobs ?? []) {
    const step = job.steps?.find((s) => s.status === 'failed');
    // A step name from the service: one safe line wherever it is shown.
    if (step) return sanitizeLine(step.name, 200);
  }
  return undefined;
}

/** "aws:s3:Bucket site-bucket: creating S3 Bucket: BucketAlreadyExists", for the verdict line; one safe line. */
export function failureCause(plans: UpdatePlan[], max = 400): string | undefined {
  const failure = [...plans].reverse().find((p) => p.failure)?.failure;
  if (!failure) return undefined;
  return sanitizeLine(`${failure.resource ? `${failure.resource}: ` : ''}${failure.message}`, max);
}

export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.round(total % 60);
  return [h && `${h}h`, m && `${m}m`, (s || (!h && !m)) && `${s}s`].filter(Boolean).join('');
}

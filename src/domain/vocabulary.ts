// The words of the domain, each defined once: what a deployment runs, the statuses it goes
// through, why this action stopped following it, and how a stack is named.
import type { components } from '../generated/pulumi-api.js';

/** The Pulumi operation a deployment runs (the spec's values). */
export type Operation = NonNullable<components['schemas']['CreateDeploymentRequest']['operation']>;
export const OPERATIONS: Operation[] = ['update', 'preview', 'refresh', 'destroy', 'detect-drift', 'remediate-drift'];

/** A deployment's status, as the spec names them. */
export type DeploymentStatus = components['schemas']['GetDeploymentResponse']['status'];
export const STATUSES: DeploymentStatus[] = ['not-started', 'accepted', 'running', 'failed', 'succeeded', 'skipped'];
/** A status from the service, as one of the spec's values or 'unknown': it goes to outputs, the log and the report. */
export const knownStatus = (status: unknown): DeploymentStatus | 'unknown' => ((STATUSES as unknown[]).includes(status) ? (status as DeploymentStatus) : 'unknown');

const TERMINAL: string[] = ['succeeded', 'failed', 'skipped'];
/** The deployment has ended: nothing more will change. */
export const isTerminal = (status: string): boolean => TERMINAL.includes(status);

/** Why this action stopped following a deployment before it ended: the `timeout` passed, or the workflow was cancelled. */
export type StopReason = 'timeout' | 'job-cancelled';
export const STOP_REASONS: StopReason[] = ['timeout', 'job-cancelled'];

export interface StackRef {
  organization: string;
  project: string;
  stack: string;
}

/** `org/project/stack`: how a stack is named to the user. */
export const stackLabel = (ref: StackRef): string => `${ref.organization}/${ref.project}/${ref.stack}`;

/** A change kind (the engine's step op) the action passes on to outputs and reports: lower-case words joined by '-'. */
export const isChangeKind = (kind: string): boolean => /^[a-z][a-z-]{0,39}$/.test(kind);
/** Change kinds that change no resource (`refresh` is drift found, not a change made). */
export const NO_CHANGE_KINDS: readonly string[] = ['same', 'read', 'refresh'];
/** The engine's steps of one replacement: reported, and counted, as one `replace`. */
export const REPLACE_STEPS: ReadonlySet<string> = new Set(['create-replacement', 'delete-replaced', 'discard-replaced', 'import-replacement', 'read-replacement']);

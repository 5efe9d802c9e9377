import type { DeploymentOutcome } from './outcome.js';
import { formatSeconds } from './outcome.js';
import { describeChanges, hasChanges, latestUpdate, resourceChanges, updateUrl, type ResourceChanges } from './resource-changes.js';

export interface Verdict {
  ok: boolean;
  /** One line for the job log and the step's failure. */
  message: string;
  /** Undefined when the changes cannot be known. */
  changes?: ResourceChanges;
  /** 'unknown' when the changes could not be read: never reported as "no changes". */
  hasChanges: boolean | 'unknown';
  updateUrl?: string;
}

export interface VerdictOptions {
  failOnSkipped: boolean;
  expectNoChanges: boolean;
  timeoutSeconds: number;
}

/** Turns a finished (or stopped) deployment into pass/fail and the line that explains it. */
export function judge(outcome: DeploymentOutcome, options: VerdictOptions): Verdict {
  const updates = outcome.updates;
  const changes = updates ? resourceChanges(updates) : undefined;
  // Known only when read: unreadable updates, or a finished run without counts, is unknown.
  const known = changes !== undefined || (updates !== undefined && outcome.status !== 'succeeded');
  const changed: boolean | 'unknown' = known ? hasChanges(changes) : 'unknown';
  const link = updates ? updateUrl(outcome.consoleUrl, outcome.ref, latestUpdate(updates)) : undefined;
  const base = { changes, hasChanges: changed, updateUrl: link };
  const id = `Deployment ${outcome.ref.id}`;
  if (outcome.timedOut) {
    const cancel = outcome.cancelRequested ? '; cancellation requested' : '; it is still running (cancel-on-timeout is false)';
    return { ...base, ok: false, message: `${id} did not finish within ${formatSeconds(options.timeoutSeconds)}${cancel}: ${outcome.consoleUrl}` };
  }
  switch (outcome.status) {
    case 'succeeded': {
      if (options.expectNoChanges && changed === 'unknown') {
        const why = outcome.updatesError ?? 'the deployment reported no resource changes';
        return { ...base, ok: false, message: `${id} succeeded, but its changes cannot be known, and expect-no-changes is true: ${why}` };
      }
      if (options.expectNoChanges && changed && changes) {
        return { ...base, ok: false, message: `${id} would change resources (${describeChanges(changes)}) but expect-no-changes is true: ${link ?? outcome.consoleUrl}` };
      }
      const summary = changes ? ` (${describeChanges(changes)})` : changed === 'unknown' ? ' (changes unknown)' : '';
      return { ...base, ok: true, message: `${id} succeeded${summary}: ${outcome.consoleUrl}` };
    }
    case 'skipped':
      return {
        ...base,
        ok: !options.failOnSkipped,
        message: `${id} was skipped${options.failOnSkipped ? ' and fail-on-skipped is true' : ''}: ${outcome.consoleUrl}`,
      };
    case 'failed': {
      const step = outcome.failedStep ? ` in step '${outcome.failedStep}'` : '';
      const cancelled = outcome.cancelRequested ? ' after cancellation was requested' : '';
      const cause = outcome.cause ? ` (${outcome.cause})` : '';
      return { ...base, ok: false, message: `${id} failed${step}${cancelled}${cause}: ${outcome.consoleUrl}` };
    }
    default:
      return { ...base, ok: false, message: `${id} stopped while ${outcome.status}: ${outcome.consoleUrl}` };
  }
}

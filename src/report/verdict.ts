import { formatSeconds, type FollowedDeployment, type StackOutcome } from '../domain/outcome.js';
import { oneLine } from '../domain/input-error.js';
import { foldChanges, hasChanges, latestUpdate, resourceChanges, updateUrl, type ResourceChanges } from './resource-changes.js';
import { sanitizeLine } from '../runner-io/untrusted-text.js';
import { describeCounts } from './plan.js';
import { stackLabel } from '../domain/vocabulary.js';

export interface Verdict {
  ok: boolean;
  /** One line for the job log and the step's failure. */
  message: string;
  /** Undefined when the changes cannot be known. */
  changes?: ResourceChanges;
  /** 'unknown' when the changes could not be read: never reported as "no changes". */
  hasChanges: boolean | 'unknown';
  updateUrl?: string;
  /** What the engine events' summary counted, when it was read: shown next to `changes`. */
  engineChanges?: ResourceChanges;
  /** Two sources that disagree, one line each: each is a warning, and the verdict fails. */
  contradictions: string[];
  /** Change kinds from the service that are not change kinds, left out of the counts. */
  droppedKinds: string[];
}

/** One stack's outcome and what it means for the step. */
export interface Judged {
  outcome: StackOutcome;
  ok: boolean;
  /** The verdict line ('' when there is none to print: a deployment handed over with wait: false). */
  message: string;
  /** The verdict on a followed deployment. */
  verdict?: Verdict;
}

export interface VerdictOptions {
  failOnSkipped: boolean;
  expectNoChanges: boolean;
  /** Stack output changes (from the engine events) count as changes. */
  changesIncludeOutputs?: boolean;
  timeoutSeconds: number;
  /** The operation this action requested. */
  operation: string;
  /** The console's base URL, for the update's link; undefined when links are not shown. */
  consoleBase?: string;
}

/** Whether the step changes anything: true if any stack does, else unknown if any is unknown or was not judged. */
export function stepHasChanges(results: Judged[]): boolean | 'unknown' {
  const has = results.map((result) => result.verdict?.hasChanges ?? 'unknown');
  return has.includes(true) ? true : has.includes('unknown') ? 'unknown' : false;
}

/** Turns a finished (or stopped) deployment into pass/fail and the line that explains it. */
export function judge(outcome: FollowedDeployment, options: VerdictOptions): Verdict {
  const updates = outcome.updates;
  const droppedKinds: string[] = [];
  const drop = (kinds: string[]) => droppedKinds.push(...kinds);
  const changes = updates ? resourceChanges(updates, drop) : undefined;
  const summary = outcome.plans?.at(-1)?.changes;
  const engineChanges = summary ? foldChanges(summary, drop) : undefined;
  const contradictions = findContradictions(outcome, options, changes, engineChanges);
  // Known only when read, and only when the run ended on its own: a stopped run's counts are partial.
  const stopped = outcome.stop === 'timeout' || outcome.cancelRequested;
  const known = !stopped && contradictions.length === 0 && (changes !== undefined || (updates !== undefined && outcome.status !== 'succeeded'));
  const outputsChanged = options.changesIncludeOutputs === true && outputChangeCount(outcome) > 0;
  const changed: boolean | 'unknown' = known ? hasChanges(changes) || outputsChanged : 'unknown';
  const link = updates ? updateUrl(options.consoleBase, outcome.ref, latestUpdate(updates)) : undefined;
  const base = { changes: stopped ? undefined : changes, engineChanges, hasChanges: changed, updateUrl: link, contradictions, droppedKinds: [...new Set(droppedKinds)] };
  const id = `Deployment ${outcome.ref.id}`;
  if (outcome.stop === 'timeout') {
    const cancel = outcome.cancelRequested ? '; cancellation requested' : '; it is still running (cancel-on-timeout is false)';
    return { ...base, ok: false, message: `${id} did not finish within ${formatSeconds(options.timeoutSeconds)}${cancel}: ${outcome.consoleUrl}` };
  }
  if (contradictions.length && outcome.status === 'succeeded') {
    return { ...base, ok: false, message: `${id} reported success, but what it reported does not agree (${contradictions.join('; ')}): ${outcome.consoleUrl}` };
  }
  switch (outcome.status) {
    case 'succeeded': {
      if (options.expectNoChanges && changed === 'unknown') {
        const why = outcome.updatesError ?? 'the deployment reported no resource changes';
        return { ...base, ok: false, message: `${id} succeeded, but its changes cannot be known, and expect-no-changes is true: ${why}` };
      }
      if (options.expectNoChanges && changed && changes) {
        const what = hasChanges(changes) ? `resources (${describeCounts(changes, true)})` : `${outputChangeCount(outcome)} stack outputs`;
        return { ...base, ok: false, message: `${id} would change ${what} but expect-no-changes is true: ${link ?? outcome.consoleUrl}` };
      }
      const summary = changes ? ` (${describeCounts(changes, options.operation === 'preview')})` : changed === 'unknown' ? ' (changes unknown)' : '';
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

/** Stack outputs the last update changes, from its engine events (0 when they were not read). */
function outputChangeCount(outcome: FollowedDeployment): number {
  const last = outcome.plans?.at(-1);
  return last ? last.outputChanges.length + last.omittedOutputChanges : 0;
}

/** Where the service's own answers disagree with each other or with the request. */
function findContradictions(outcome: FollowedDeployment, options: VerdictOptions, changes: ResourceChanges | undefined, engineChanges: ResourceChanges | undefined): string[] {
  const found: string[] = [];
  if (outcome.operation !== undefined && outcome.operation !== options.operation) {
    found.push(`the deployment ran ${sanitizeLine(outcome.operation, 40)}, not the ${options.operation} requested`);
  }
  if (outcome.status === 'succeeded') {
    if (outcome.failedStep) found.push(`its status is succeeded but step '${outcome.failedStep}' failed`);
    const result = outcome.updates && latestUpdate(outcome.updates)?.info.result;
    if (result === 'failed') found.push('its status is succeeded but its update failed');
    else if (outcome.plans?.at(-1)?.result === 'failed') found.push("its status is succeeded but the engine's summary says the update failed");
  }
  if (changes && engineChanges && hasChanges(changes) !== hasChanges(engineChanges)) {
    const preview = options.operation === 'preview';
    found.push(`the update's counts say ${describeCounts(changes, preview)} but the engine events say ${describeCounts(engineChanges, preview)}`);
  }
  return found;
}

/** The verdict on any outcome: a followed deployment is judged; every other end fails the step, saying why. */
export function judgeOutcome(outcome: StackOutcome, options: VerdictOptions): Judged {
  switch (outcome.end) {
    case 'followed': {
      const verdict = judge(outcome.followed, options);
      return { outcome, ok: verdict.ok, message: verdict.message, verdict };
    }
    case 'not-waited':
      return { outcome, ok: true, message: '' };
    case 'not-created': {
      const why = outcome.stop === 'timeout' ? 'The timeout passed' : `The workflow was cancelled (${outcome.signalName})`;
      const message = outcome.createSent
        ? `${why} before the create request was answered; the post step looks for the deployment and cancels it if it was created.`
        : `${why} before the create request was sent; no deployment was created.`;
      return { outcome, ok: false, message };
    }
    case 'workflow-cancelled': {
      const { run } = outcome;
      const why = `The workflow was cancelled (${outcome.signalName})`;
      if (outcome.cancel === 'not-asked')
        return { outcome, ok: false, message: `${why}; deployment ${run.ref.id} keeps running (cancel-on-job-cancel is false): ${run.consoleUrl}` };
      const done = outcome.cancel === 'requested' ? `cancellation of deployment ${run.ref.id} requested` : `could not cancel deployment ${run.ref.id}`;
      return { outcome, ok: false, message: `${why}; ${done}: ${run.consoleUrl}` };
    }
    case 'error':
      return { outcome, ok: false, message: oneLine(outcome.error) };
    case 'skipped': {
      const why = { 'fail-fast': 'an earlier stack failed (fail-fast)', timeout: 'the timeout passed first', 'job-cancelled': 'the workflow was cancelled' }[outcome.because];
      return { outcome, ok: false, message: `${stackLabel(outcome.stack)} was not deployed: ${why}.` };
    }
  }
}

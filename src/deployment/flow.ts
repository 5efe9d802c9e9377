import type { DeploymentConfig } from '../inputs/parse.js';
import type { Deployment, DeploymentRef, DeploymentRequestBody, PulumiCloudClient } from '../cloud/client.js';
import type { RetryPolicy } from '../cloud/retry.js';
import type { SecretRegistry } from '../runner-io/secrets.js';
import type { DeploymentStateWriter } from '../runner-io/state.js';
import type { Log } from '../runner-io/log.js';
import type { Clock } from '../runner-io/clock.js';
import { safeUrl, sanitizeLine } from '../runner-io/untrusted-text.js';
import { oneLine } from '../domain/input-error.js';
import { isPlainId } from '../domain/names.js';
import { failedStep, failureCause, formatSeconds, type CreatedRun, type FollowedDeployment, type StackOutcome, type UpdateInfo } from '../domain/outcome.js';
import { isTerminal, knownStatus, stackLabel } from '../domain/vocabulary.js';
import { CANCEL_AFTER_SIGNAL, CANCEL_AFTER_TIMEOUT, CREATE_GRACE_MS, Stop, type SignalSource } from './stop.js';
import { newestVersionBefore } from './leftover.js';
import { streamDeploymentLogs, DEFAULT_POLL_TIMING, type PollTiming, type StreamResult } from './logs.js';
import { readEngineEvents, type EngineReport } from './events.js';
import { ProgressScheduler } from './progress.js';
import { queueReason } from './queue.js';

export interface DeploymentDeps {
  client: PulumiCloudClient;
  secrets: SecretRegistry;
  /** This stack's record for post. */
  state: DeploymentStateWriter;
  log: Log;
  clock: Clock;
  /** Poll intervals, in the clock's time (tests pass small ones). */
  timing?: PollTiming;
  /** Where console links may point (the origin of console-url, or the app host of cloud-url). */
  consoleOrigin?: string;
  /** Where the workflow's cancel arrives (SIGINT/SIGTERM): the process, or a test's emitter. */
  signals?: SignalSource;
  /** Told as soon as the deployment exists. */
  onCreated?: (run: CreatedRun) => void;
}

/**
 * One stack's deployment, top to bottom: create it, follow it (logs and status) until it ends or a
 * stop (timeout, cancelled workflow), settle what the stop requires. Reports nothing: it returns
 * what happened, and the caller's reporters say it.
 */
export async function runDeployment(deployment: DeploymentConfig, body: DeploymentRequestBody, deps: DeploymentDeps): Promise<StackOutcome> {
  const stop = new Stop(deployment.timeoutSeconds * 1000, deps.signals);
  const startedAt = Date.now();
  const { stack } = deployment;
  let run: CreatedRun | undefined;
  try {
    const created = await create(deployment, body, deps, stop);
    run = created.run;
    if (!run) return { stack, end: 'not-created', stop: stop.reason() ?? 'timeout', createSent: created.sent, signalName: stop.signalName };
    if (stop.reason() === 'job-cancelled') return await settleJobCancelled(run, deployment, deps, stop);

    if (!deployment.wait) {
      // Handed over on purpose: post leaves it running.
      deps.state.settle('left-running-on-purpose');
      const status = await deps.client.getDeployment(run.ref, stop.signal).then(
        (d) => knownStatus(d.status),
        () => 'unknown' as const,
      );
      deps.log.info(`wait is false: not waiting for the deployment (status ${status}).`);
      return { stack, end: 'not-waited', run, status };
    }

    const followed = await follow(run, deployment, deps, stop);
    if (stop.reason() === 'job-cancelled') return await settleJobCancelled(run, deployment, deps, stop);
    let cancelRequested = false;
    let last = followed.deployment;
    if (stop.reason() === 'timeout') {
      deps.state.stopped('timeout');
      if (deployment.cancelOnTimeout) {
        cancelRequested = await cancel(run, deps, `it did not finish within ${formatSeconds(deployment.timeoutSeconds)}`, CANCEL_AFTER_TIMEOUT);
        deps.state.settle(cancelRequested ? 'cancel-requested' : 'lost-track');
      } else {
        deps.state.settle('left-running-on-purpose');
      }
      // One last read, bounded like everything past the deadline.
      last = (await deps.client.getDeployment(run.ref, deps.clock.deadline(FINAL_READ_MS)).catch(() => undefined)) ?? last;
    } else {
      deps.state.settle('finished');
    }

    const status = knownStatus(last?.status ?? 'not-started');
    const finished = isTerminal(status);
    const updates = finished ? await readUpdates(run.ref, deps) : { updates: [] };
    const engine = updates.updates?.length ? await readEngine(run, updates.updates, deps) : undefined;
    return {
      stack,
      end: 'followed',
      followed: {
        ...run,
        status,
        finished,
        stop: stop.reason(),
        cancelRequested,
        operation: last?.pulumiOperation,
        failedStep: failedStep(last),
        steps: followed.streamed.steps,
        tail: followed.streamed.tail,
        linesStreamed: followed.streamed.lines,
        ...updates,
        plans: engine?.updates,
        cause: engine && failureCause(engine.updates),
        durationMs: Date.now() - startedAt,
      },
    };
  } catch (error) {
    if (stop.reason() === 'job-cancelled' && run) return await settleJobCancelled(run, deployment, deps, stop);
    if (run) {
      // Lost track of a run for our own reason: say where it is, and let post leave it be,
      // since cancelling an update half-way for our own failure could do more harm.
      deps.state.settle('lost-track');
      deps.log.warning(`Deployment ${run.ref.id} may still be running: ${run.consoleUrl}`);
    }
    return { stack, end: 'error', run, error };
  } finally {
    stop.dispose();
  }
}

/**
 * Sends the create request. Post is told before it leaves, so a killed main still gets it
 * cancelled. A stop does not abort it at once: its answer is worth `CREATE_GRACE_MS` (to cancel
 * what it made); after that, post looks for the deployment among the stack's own.
 */
async function create(deployment: DeploymentConfig, body: DeploymentRequestBody, deps: DeploymentDeps, stop: Stop): Promise<{ run?: CreatedRun; sent: boolean }> {
  const { stack, operation } = deployment;
  // Read first, so post can tell our deployment from older ones by version if no answer comes.
  const newestBefore = await newestVersionBefore(deps.client, stack, stop.signal);
  if (stop.reason()) return { sent: false };
  deps.log.info(`Creating ${/^[aeiu]/.test(operation) ? 'an' : 'a'} ${operation} deployment of ${stackLabel(stack)}...`);
  deps.state.createSending(
    { stack, operation, cancelOnTimeout: deployment.cancelOnTimeout, cancelOnJobCancel: deployment.cancelOnJobCancel, newestVersionBefore: newestBefore },
    Date.now(),
  );
  let response;
  try {
    response = await deps.client.createDeployment(
      stack,
      body,
      stop.after(() => deps.clock.deadline(CREATE_GRACE_MS)),
    );
  } catch (error) {
    const reason = stop.reason();
    if (reason) {
      deps.state.stopped(reason);
      return { sent: true };
    }
    throw error;
  }
  const run = checkCreated(response, stack, deps.consoleOrigin);
  deps.state.created(run);
  deps.onCreated?.(run);
  deps.log.info(`Deployment ${run.ref.id} (#${run.version}) created: ${run.consoleUrl}`);
  return { run, sent: true };
}

/**
 * The create answer is untrusted: the id goes into URL paths and outputs, the link into the log and
 * the report. An id that is not an id fails the step; a link off the console's host is not shown.
 */
function checkCreated(response: { id?: unknown; consoleUrl?: unknown; version?: unknown }, stack: DeploymentConfig['stack'], origin: string | undefined): CreatedRun {
  const id = isPlainId(response.id) ? response.id : undefined;
  if (!id) throw new Error(`Creating the deployment failed: the service answered an id that is not a deployment id (${sanitizeLine(JSON.stringify(response.id ?? null), 80)})`);
  const version = typeof response.version === 'number' && Number.isSafeInteger(response.version) && response.version >= 0 ? response.version : 0;
  const consoleUrl = (origin && safeUrl(response.consoleUrl, origin)) || '(no console link: the service gave one off its console host)';
  return { ref: { ...stack, id }, consoleUrl, version };
}

/** The workflow was cancelled: cancel the deployment within the runner's grace period, unless the user said not to. */
async function settleJobCancelled(run: CreatedRun, deployment: DeploymentConfig, deps: DeploymentDeps, stop: Stop): Promise<StackOutcome> {
  deps.state.stopped('job-cancelled');
  const outcome = { stack: deployment.stack, end: 'workflow-cancelled', run, signalName: stop.signalName } as const;
  if (!deployment.cancelOnJobCancel) {
    deps.state.settle('left-running-on-purpose');
    return { ...outcome, cancel: 'not-asked' };
  }
  const cancelled = await cancel(run, deps, `the workflow was cancelled (${stop.signalName})`, CANCEL_AFTER_SIGNAL);
  // Not settled when the cancel failed: post tries again.
  if (cancelled) deps.state.settle('cancel-requested');
  return { ...outcome, cancel: cancelled ? 'requested' : 'failed' };
}

async function cancel(run: CreatedRun, deps: DeploymentDeps, reason: string, policy: RetryPolicy): Promise<boolean> {
  try {
    await deps.client.cancelDeployment(run.ref, policy, deps.clock.deadline(policy.maxElapsedMs, CANCEL_SLACK_MS));
    deps.log.info(`Cancellation of deployment ${run.ref.id} requested: ${reason}.`);
    return true;
  } catch (error) {
    deps.log.warning(`Could not cancel deployment ${run.ref.id} (${reason}): ${oneLine(error)}. Cancel it at ${run.consoleUrl}`);
    return false;
  }
}

interface Followed {
  deployment?: Deployment;
  streamed: Pick<StreamResult, 'lines' | 'steps' | 'tail'>;
}

/**
 * Streams the logs and reads the status side by side until the deployment ends or the stop
 * fires. The status is read now and then while logs stream, so a log stream that never ends
 * still gives the verdict within one status interval (plus a bounded drain of the logs).
 */
async function follow(run: CreatedRun, deployment: DeploymentConfig, deps: DeploymentDeps, stop: Stop): Promise<Followed> {
  const timing = deps.timing ?? DEFAULT_POLL_TIMING;
  const followed: Followed = { streamed: { lines: 0, steps: [], tail: [] } };
  const failed = new AbortController();
  const signal = AbortSignal.any([stop.signal, failed.signal]);
  const now = () => deps.clock.now();
  // While queued, or when nothing prints for a while: a status line now and then, never in a step's group.
  const progress = new ProgressScheduler({ startedAt: now(), consoleUrl: run.consoleUrl });
  let wake = new AbortController();
  // A queued deployment has no logs: the stream starts once it runs (or has ended).
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const statusLoop = async () => {
    let waitMs = timing.idleStartMs / 2;
    while (!signal.aborted) {
      const current = await deps.client.getDeployment(run.ref, signal);
      followed.deployment = current;
      // Anything but the two queued statuses (an unknown one too) may have logs to show.
      const running = current.status !== 'not-started' && current.status !== 'accepted';
      if (running) markStarted();
      if (isTerminal(current.status)) return;
      if (progress.isDue(now())) {
        // Queued past the first progress line: say why, when the service can.
        const why = current.status === 'not-started' ? await queueReason(deps.client, run.ref, AbortSignal.any([signal, deps.clock.deadline(QUEUE_READ_MS)])) : undefined;
        const line = progress.due(current.status, now(), why);
        if (line) deps.log.info(line);
      }
      // While logs stream, the status is only a check that the stream ends; before, it is the only signal.
      await deps.clock.sleep(deployment.streamLogs && running ? timing.statusMs : waitMs, AbortSignal.any([signal, wake.signal]));
      wake = new AbortController();
      waitMs = Math.min(timing.queuedMaxMs ?? timing.idleMaxMs, waitMs * timing.growth);
    }
  };
  const streamLoop = async () => {
    await Promise.race([started, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    if (signal.aborted) return;
    await streamDeploymentLogs({
      fetchPage: (ref, token, pageSignal) => deps.client.getDeploymentLogs(ref, token, pageSignal),
      ref: run.ref,
      // stdout to a pipe buffers without limit when the reader is slow: wait for it to drain.
      sink: { write: (chunk) => deps.log.write(chunk) },
      redact: (line) => deps.secrets.redactLogLine(line),
      signal,
      timing,
      clock: deps.clock,
      finished: () => isTerminal(followed.deployment?.status ?? ''),
      onResult: (result) => (followed.streamed = result),
      onPage: ({ lines }) => lines > 0 && progress.printed(now()),
      onGroupCloser: (close) => deps.log.closeGroupWith(close),
    }).then((result) => {
      if (result.cutAfterEnd) deps.log.info(`The deployment ended but its log kept coming; the rest is in the console: ${run.consoleUrl}`);
    });
    // The logs are complete: read the status now rather than at the next interval.
    wake.abort();
  };
  const loops = [statusLoop(), ...(deployment.streamLogs ? [streamLoop()] : [])].map((loop) =>
    loop.catch((error: unknown) => {
      failed.abort();
      throw error;
    }),
  );
  try {
    await Promise.all(loops);
  } catch (error) {
    await Promise.allSettled(loops);
    // An error while stopping (timeout, cancelled workflow) is not the verdict: the stop is.
    if (!stop.signal.aborted) throw error;
  } finally {
    deps.log.closeGroupWith(undefined);
  }
  return followed;
}

/** How long the engine events may take, on top of the wait: they only make the report richer. */
const EVENTS_BUDGET_MS = 60_000;

/**
 * The engine events of every update: the resource plan, diagnostics, policy findings and stack
 * outputs. Anything wrong with them gives one warning and the report keeps the counts of
 * `/updates`; the verdict never depends on them.
 */
async function readEngine(run: CreatedRun, updates: UpdateInfo[], deps: DeploymentDeps): Promise<Extract<EngineReport, { ok: true }> | undefined> {
  const report = await readEngineEvents(deps.client, run.ref, updates, { signal: deps.clock.deadline(EVENTS_BUDGET_MS) });
  if (report.ok) return report;
  deps.log.warning(report.warning);
  return undefined;
}

async function readUpdates(ref: DeploymentRef, deps: DeploymentDeps): Promise<Pick<FollowedDeployment, 'updates' | 'updatesError'>> {
  try {
    return { updates: await deps.client.getDeploymentUpdates(ref) };
  } catch (error) {
    const reason = oneLine(error);
    deps.log.warning(`Could not read the deployment's updates, so its changes are unknown: ${reason}`);
    return { updates: undefined, updatesError: reason };
  }
}

/** After the deadline: the last status read, and the slack a cancel gets beyond its retry budget. */
const FINAL_READ_MS = 10_000;
const CANCEL_SLACK_MS = 5_000;
/** Why a deployment is queued is a hint: its reads never hold the status loop longer than this. */
const QUEUE_READ_MS = 10_000;

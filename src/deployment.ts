import * as core from '@actions/core';
import type { ActionConfig, DeploymentConfig } from './inputs.js';
import type { DeploymentRequestBody } from './deployment-request.js';
import type { Deployment, DeploymentRef, PulumiCloudClient, UpdateInfo } from './pulumi-client.js';
import type { GitHubContext } from './github-context.js';
import type { SecretRegistry } from './secrets.js';
import type { CreatedRun, PostStateWriter } from './state.js';
import { CANCEL_AFTER_SIGNAL, CANCEL_AFTER_TIMEOUT, CREATE_GRACE_MS, Stop, isTerminal, newestVersionBefore } from './cancellation.js';
import { streamDeploymentLogs, DEFAULT_POLL_TIMING, type PollTiming, type StreamResult } from './log-stream.js';
import { failedStep, formatSeconds, knownStatus, type DeploymentOutcome } from './report/outcome.js';
import { judge } from './report/verdict.js';
import { publishCreated, publishOutcome, publishStackOutputs, publishStatus, publishUnknownChanges, reportData, writeJobSummary } from './report/publish.js';
import { triggeringCommit } from './github-context.js';
import { oneLine } from './errors.js';
import { error, notice, onOwnLine, warn } from './notices.js';
import { readEngineEvents, type EngineReport, type UpdatePlan } from './engine-events.js';
import { engineAnnotations, failureCause } from './report/annotations.js';
import { decideComment } from './report/comment-decision.js';
import { ProgressScheduler } from './progress.js';
import { safeUrl, sanitizeLine } from './untrusted-text.js';
import { isPlainId } from './validate.js';
import { sleep, type RetryPolicy } from './retry.js';
import { scaledClock } from './time-scale.js';

export interface DeploymentDeps {
  client: PulumiCloudClient;
  secrets: SecretRegistry;
  context: GitHubContext;
  state: PostStateWriter;
  timing?: PollTiming;
  /** How long a create answer is still worth waiting for after a stop (scaled with the clock). */
  createGraceMs?: number;
  /** Where console links may point (the origin of console-url, or the app host of cloud-url). */
  consoleOrigin?: string;
  /** The console's base URL (console-url, or that origin), under which update links are built. */
  consoleBase?: string;
  /** The emulator-only clock speed-up (1 for a real service); `now` runs on it. */
  timeScale?: number;
  now?: () => number;
}

/**
 * The deployment, top to bottom: create it, follow it (logs and status) until it ends or a stop
 * (timeout, cancelled workflow), settle what the stop requires, then the verdict and the report.
 */
export async function runDeployment(config: ActionConfig, deployment: DeploymentConfig, body: DeploymentRequestBody, deps: DeploymentDeps): Promise<void> {
  const stop = new Stop(deployment.timeoutSeconds * 1000);
  const startedAt = Date.now();
  let run: CreatedRun | undefined;
  try {
    const created = await create(deployment, body, deps, stop);
    run = created.run;
    if (!run) return reportStoppedBeforeCreate(stop, created.sent);
    if (stop.reason() === 'job-cancelled') return await settleJobCancelled(run, deployment, deps, stop);

    if (!deployment.wait) {
      // Handed over on purpose: post leaves it running.
      deps.state.settle('left-running-on-purpose');
      const status = await deps.client.getDeployment(run.ref, stop.signal).then(
        (d) => knownStatus(d.status),
        () => 'unknown',
      );
      publishStatus(status);
      publishUnknownChanges();
      core.info(`wait is false: not waiting for the deployment (status ${status}).`);
      return;
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
      last = (await deps.client.getDeployment(run.ref, AbortSignal.timeout(FINAL_READ_MS / (deps.timeScale ?? 1))).catch(() => undefined)) ?? last;
    } else {
      deps.state.settle('finished');
    }

    const status = knownStatus(last?.status ?? 'not-started');
    const finished = isTerminal(status);
    const updates = finished ? await readUpdates(run.ref, deps) : { updates: [] };
    const engine = updates.updates?.length ? await readEngine(run, updates.updates, deps) : undefined;
    const outcome: DeploymentOutcome = {
      ...run,
      status,
      finished,
      timedOut: stop.reason() === 'timeout',
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
    };
    await report(config, deployment, outcome, deps, body.sourceContext?.git?.commit);
  } catch (error) {
    if (stop.reason() === 'job-cancelled' && run) return await settleJobCancelled(run, deployment, deps, stop);
    if (run) {
      // Lost track of a run for our own reason: say where it is, and let post leave it be,
      // since cancelling an update half-way for our own failure could do more harm.
      deps.state.settle('lost-track');
      publishUnknownChanges();
      core.warning(`Deployment ${run.ref.id} may still be running: ${run.consoleUrl}`);
    }
    throw error;
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
  core.info(`Creating ${/^[aeiu]/.test(operation) ? 'an' : 'a'} ${operation} deployment of ${stack.organization}/${stack.project}/${stack.stack}...`);
  deps.state.createSending(
    { stack, operation, cancelOnTimeout: deployment.cancelOnTimeout, cancelOnJobCancel: deployment.cancelOnJobCancel, newestVersionBefore: newestBefore },
    Date.now(),
  );
  let response;
  try {
    response = await deps.client.createDeployment(stack, body, stop.after(deps.createGraceMs ?? CREATE_GRACE_MS));
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
  publishCreated(run, deps.consoleOrigin);
  core.info(`Deployment ${run.ref.id} (#${run.version}) created: ${run.consoleUrl}`);
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

function reportStoppedBeforeCreate(stop: Stop, sent: boolean): void {
  publishUnknownChanges();
  const why = stop.reason() === 'timeout' ? 'The timeout passed' : `The workflow was cancelled (${stop.signalName})`;
  if (!sent) return core.setFailed(`${why} before the create request was sent; no deployment was created.`);
  core.setFailed(`${why} before the create request was answered; the post step looks for the deployment and cancels it if it was created.`);
}

/** The workflow was cancelled: cancel the deployment within the runner's grace period, unless the user said not to. */
async function settleJobCancelled(run: CreatedRun, deployment: DeploymentConfig, deps: DeploymentDeps, stop: Stop): Promise<void> {
  deps.state.stopped('job-cancelled');
  publishUnknownChanges();
  const why = `The workflow was cancelled (${stop.signalName})`;
  if (!deployment.cancelOnJobCancel) {
    deps.state.settle('left-running-on-purpose');
    core.setFailed(`${why}; deployment ${run.ref.id} keeps running (cancel-on-job-cancel is false): ${run.consoleUrl}`);
    return;
  }
  const cancelled = await cancel(run, deps, `the workflow was cancelled (${stop.signalName})`, CANCEL_AFTER_SIGNAL);
  // Not settled when the cancel failed: post tries again.
  if (cancelled) deps.state.settle('cancel-requested');
  core.setFailed(`${why}; ${cancelled ? 'cancellation of deployment ' + run.ref.id + ' requested' : 'could not cancel deployment ' + run.ref.id}: ${run.consoleUrl}`);
}

async function cancel(run: CreatedRun, deps: DeploymentDeps, reason: string, policy: RetryPolicy): Promise<boolean> {
  try {
    await deps.client.cancelDeployment(run.ref, policy, AbortSignal.timeout(policy.maxElapsedMs / (deps.timeScale ?? 1) + CANCEL_SLACK_MS));
    core.info(`Cancellation of deployment ${run.ref.id} requested: ${reason}.`);
    return true;
  } catch (error) {
    core.warning(`Could not cancel deployment ${run.ref.id} (${reason}): ${oneLine(error)}. Cancel it at ${run.consoleUrl}`);
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
  const now = deps.now ?? Date.now;
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
      const line = progress.due(current.status, now());
      if (line) notice(line);
      // While logs stream, the status is only a check that the stream ends; before, it is the only signal.
      await sleep(deployment.streamLogs && running ? timing.statusMs : waitMs, AbortSignal.any([signal, wake.signal]));
      wake = new AbortController();
      waitMs = Math.min(timing.idleMaxMs, waitMs * timing.growth);
    }
  };
  const streamLoop = async () => {
    await Promise.race([started, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    if (signal.aborted) return;
    await streamDeploymentLogs({
      fetchPage: (ref, token, pageSignal) => deps.client.getDeploymentLogs(ref, token, pageSignal),
      ref: run.ref,
      // stdout to a pipe buffers without limit when the reader is slow: wait for it to drain.
      sink: { write: (chunk) => (process.stdout.write(chunk) ? undefined : new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()))) },
      redact: (line) => deps.secrets.redactLogLine(line),
      signal,
      timing,
      finished: () => isTerminal(followed.deployment?.status ?? ''),
      onResult: (result) => (followed.streamed = result),
      onPage: ({ lines }) => lines > 0 && progress.printed(now()),
      onGroupCloser: onOwnLine,
    }).then((result) => {
      if (result.cutAfterEnd) core.info(`The deployment ended but its log kept coming; the rest is in the console: ${run.consoleUrl}`);
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
    onOwnLine(undefined);
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
  const report = await readEngineEvents(deps.client, run.ref, updates, { signal: AbortSignal.timeout(EVENTS_BUDGET_MS / (deps.timeScale ?? 1)) });
  if (report.ok) return report;
  warn(report.warning);
  return undefined;
}

/** Diagnostics and policy findings as annotations (GitHub shows 10 of each kind; a failing step's own error counts). */
function annotate(plans: UpdatePlan[], ok: boolean, deps: DeploymentDeps): void {
  const { annotations, omitted } = engineAnnotations(plans, { maxErrors: ok ? 10 : 9 });
  for (const a of annotations) {
    const message = deps.secrets.redactLogLine(a.message);
    const properties = { title: deps.secrets.redactLogLine(a.title) };
    if (a.kind === 'error') error(message, properties);
    else warn(message, properties);
  }
  if (omitted > 0) notice(`${omitted} more diagnostics and policy findings are in the Pulumi console.`);
}

async function readUpdates(ref: DeploymentRef, deps: DeploymentDeps): Promise<Pick<DeploymentOutcome, 'updates' | 'updatesError'>> {
  try {
    return { updates: await deps.client.getDeploymentUpdates(ref) };
  } catch (error) {
    const reason = oneLine(error);
    core.warning(`Could not read the deployment's updates, so its changes are unknown: ${reason}`);
    return { updates: undefined, updatesError: reason };
  }
}

/**
 * The verdict, the outputs, pass or fail, then the job summary and the PR comment: the verdict
 * line is printed before any GitHub call, so a slow GitHub never hides it.
 */
async function report(config: ActionConfig, deployment: DeploymentConfig, outcome: DeploymentOutcome, deps: DeploymentDeps, requestedCommit: string | undefined): Promise<void> {
  const verdict = judge(outcome, {
    failOnSkipped: deployment.failOnSkipped,
    expectNoChanges: config.report.expectNoChanges,
    timeoutSeconds: deployment.timeoutSeconds,
    operation: deployment.operation,
    consoleBase: deps.consoleBase ?? deps.consoleOrigin,
  });
  if (verdict.droppedKinds.length) {
    warn(`Left out of the resource changes: ${verdict.droppedKinds.length} change kind(s) that are not lower-case words (${sanitizeLine(verdict.droppedKinds.join(', '), 200)}).`);
  }
  for (const contradiction of verdict.contradictions) warn(`Contradiction: ${contradiction}.`);
  publishOutcome(outcome, verdict, deps.consoleOrigin);
  publishStackOutputs(outcome.plans, (value) => deps.secrets.redactJson(value));
  if (outcome.plans) annotate(outcome.plans, verdict.ok, deps);
  if (verdict.ok) core.info(verdict.message);
  else core.setFailed(verdict.message);
  const commit = requestedCommit ?? triggeringCommit(deps.context);
  const data = {
    ...reportData(outcome, verdict, deployment.operation, (text) => deps.secrets.redactForPost(text), deps.consoleBase ?? deps.consoleOrigin),
    consoleOrigin: deps.consoleOrigin,
    commit,
  };
  await writeJobSummary(data).catch((error) => core.warning(`Could not write the job summary: ${oneLine(error)}`));
  if (config.report.commentOnPr !== false) await commentOnPullRequest(config, deps, data, { hasChanges: verdict.hasChanges, failed: !verdict.ok });
}

async function commentOnPullRequest(
  config: ActionConfig,
  deps: DeploymentDeps,
  data: Parameters<typeof writeJobSummary>[0],
  situation: { hasChanges: boolean | 'unknown'; failed: boolean },
): Promise<void> {
  const { context } = deps;
  const mode = config.report.commentOnPr;
  if (context.pullRequestNumber === undefined) {
    core.info(`comment-on-pr is ${String(mode)} but this is a ${context.eventName || 'non-pull_request'} event: no comment posted.`);
    return;
  }
  if (!config.report.githubToken) {
    core.warning('comment-on-pr is true but github-token is empty: no comment posted.');
    return;
  }
  try {
    // Loaded only here: the GitHub client is the heaviest part of the bundle.
    const { upsertStackComment } = await import('./report/pr-comment.js');
    const scale = deps.timeScale ?? 1;
    const budgetMs = Math.max(MIN_GITHUB_BUDGET_MS, GITHUB_BUDGET_MS / scale);
    const result = await upsertStackComment({
      token: config.report.githubToken,
      context,
      data,
      decide: (existingComment) => decideComment({ mode, ...situation, existingComment }),
      bounds: {
        signal: AbortSignal.timeout(budgetMs),
        budgetMs,
        requestTimeoutMs: Math.max(MIN_GITHUB_REQUEST_MS, GITHUB_REQUEST_MS / scale),
        ...scaledClock(scale),
      },
    });
    if (result.action === 'outdated') {
      const runHead = context.pullRequestHeadSha ?? '';
      core.info(
        `No PR comment posted: pull request #${context.pullRequestNumber} has moved on to commit ${result.headSha} since this run's ${runHead}; the newer commit's run reports it.`,
      );
    } else if (result.action === 'skipped') core.info('comment-on-pr is changes and nothing changes: no comment posted.');
    else core.info(`PR comment ${result.action}: ${sanitizeLine(result.url, 500)}`);
  } catch (error) {
    core.warning(`Could not comment on pull request #${context.pullRequestNumber}: ${oneLine(error)}`);
  }
}

/** The PR comment's calls to GitHub: each request, and all of them with their retries. */
const GITHUB_REQUEST_MS = 20_000;
const GITHUB_BUDGET_MS = 60_000;
/** Time-scaled, they never go below these: a loaded test machine answers slowly. */
const MIN_GITHUB_REQUEST_MS = 3_000;
const MIN_GITHUB_BUDGET_MS = 8_000;

/** After the deadline: the last status read, and the slack a cancel gets beyond its retry budget. */
const FINAL_READ_MS = 10_000;
const CANCEL_SLACK_MS = 5_000;

/** Poll timing, `scale` times faster (see time-scale.ts; 1 for a real service). */
export function pollTiming(scale: number): PollTiming {
  const t = DEFAULT_POLL_TIMING;
  if (scale === 1) return t;
  return { ...t, activeMs: t.activeMs / scale, idleStartMs: t.idleStartMs / scale, idleMaxMs: t.idleMaxMs / scale, statusMs: t.statusMs / scale, drainMs: t.drainMs / scale };
}

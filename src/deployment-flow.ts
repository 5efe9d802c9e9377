import * as core from '@actions/core';
import type { ActionConfig, DeploymentConfig } from './inputs.js';
import type { DeploymentRequestBody } from './deployment-request.js';
import type { PulumiCloudClient } from './pulumi-client.js';
import type { GitHubContext } from './github-context.js';
import type { SecretRegistry } from './secrets.js';
import { DeploymentRunner } from './deployment-runner.js';
import { judge } from './report/verdict.js';
import { publishCreated, publishOutcome, reportData, writeJobSummary } from './report/publish.js';
import { consoleOrigin } from './report/markdown.js';
import { STATE_KEYS } from './state.js';
import { oneLine } from './errors.js';
import { sleep, type RetryPolicy } from './retry.js';
import { DEFAULT_POLL_TIMING, type PollTiming } from './log-stream.js';

/** The runner allows 7.5 s after SIGINT: the cancel request must fit well inside it. */
const CANCEL_ON_SIGNAL: RetryPolicy = { maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 1_500, maxRetryAfterMs: 1_500, maxElapsedMs: 5_000 };

export interface FlowDeps {
  client: PulumiCloudClient;
  secrets: SecretRegistry;
  context: GitHubContext;
}

/** Creates the deployment, follows it, reports it and sets the verdict. */
export async function runDeployment(config: ActionConfig, deployment: DeploymentConfig, body: DeploymentRequestBody, deps: FlowDeps): Promise<void> {
  const runner = new DeploymentRunner(deployment, {
    client: deps.client,
    timing: pollTiming(process.env.PULUMI_DEPLOY_ACTION_TIME_SCALE),
    // The runner masks secrets in the job log; redacting here keeps them out of the raw bytes too.
    sink: { write: (chunk) => process.stdout.write(deps.secrets.redact(chunk)) },
    info: core.info,
    warning: core.warning,
  });
  const cancellation = handleCancellation(runner, deployment);
  try {
    const { stack, operation } = deployment;
    core.info(`Creating ${/^[aeiu]/.test(operation) ? 'an' : 'a'} ${operation} deployment of ${stack.organization}/${stack.project}/${stack.stack}...`);
    const run = await runner.create(body);
    core.saveState(STATE_KEYS.deployment, JSON.stringify(run));
    publishCreated(run);
    core.info(`Deployment ${run.ref.id} (#${run.version}) created: ${run.consoleUrl}`);

    if (!deployment.wait) {
      const status = await deps.client.getDeployment(run.ref).then((d) => d.status, () => 'not-started');
      core.setOutput('deployment-status', status);
      core.saveState(STATE_KEYS.deploymentSettled, 'true'); // wait: false hands the run over on purpose
      core.info(`wait is false: not waiting for the deployment (status ${status}).`);
      return;
    }

    const outcome = await runner.wait();
    if (runner.aborted) return await cancellation.done; // the signal handler reports and exits
    if (outcome.finished || outcome.cancelRequested) core.saveState(STATE_KEYS.deploymentSettled, 'true');
    const verdict = judge(outcome, {
      failOnSkipped: deployment.failOnSkipped,
      expectNoChanges: config.report.expectNoChanges,
      timeoutSeconds: deployment.timeoutSeconds,
    });
    publishOutcome(outcome, verdict);
    const data = { ...reportData(outcome, verdict, operation, (text) => deps.secrets.redactForPost(text)), consoleOrigin: consoleOrigin(config.login.cloudUrl) };
    await writeJobSummary(data).catch((error) => core.warning(`Could not write the job summary: ${oneLine(error)}`));
    if (config.report.commentOnPr) await commentOnPullRequest(config, deps, data);
    if (verdict.ok) core.info(verdict.message);
    else core.setFailed(verdict.message);
  } catch (error) {
    // Lost track of a run (not a cancelled job): say where it is, and let post leave it be,
    // since cancelling an update half-way for our own failure could do more harm.
    const run = runner.run;
    if (run && !runner.aborted) {
      core.saveState(STATE_KEYS.deploymentSettled, 'true');
      core.warning(`Deployment ${run.ref.id} may still be running: ${run.consoleUrl}`);
    }
    throw error;
  } finally {
    cancellation.remove();
  }
}

async function commentOnPullRequest(config: ActionConfig, deps: FlowDeps, data: Parameters<typeof writeJobSummary>[0]): Promise<void> {
  const { context } = deps;
  if (context.pullRequestNumber === undefined) {
    core.info(`comment-on-pr is true but this is a ${context.eventName || 'non-pull_request'} event: no comment posted.`);
    return;
  }
  if (!config.report.githubToken) {
    core.warning('comment-on-pr is true but github-token is empty: no comment posted.');
    return;
  }
  try {
    // Loaded only here: the GitHub client is the heaviest part of the bundle.
    const { upsertStackComment } = await import('./report/pr-comment.js');
    const result = await upsertStackComment({ token: config.report.githubToken, context, data });
    core.info(`PR comment ${result.action}: ${result.url}`);
  } catch (error) {
    core.warning(`Could not comment on pull request #${context.pullRequestNumber}: ${oneLine(error)}`);
  }
}

/**
 * On SIGINT/SIGTERM (workflow cancelled) asks the service to cancel the deployment within the
 * runner's grace period, then exits. Returns a function that removes the handlers.
 */
function handleCancellation(runner: DeploymentRunner, deployment: DeploymentConfig): { done: Promise<void>; remove: () => void } {
  let handling: Promise<void> | undefined;
  let settle: () => void = () => {};
  const done = new Promise<void>((resolve) => (settle = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (handling) return;
    runner.abort();
    handling = (async () => {
      // A create in flight may still make a deployment: wait for it a little, then cancel it.
      if (!runner.run && runner.creating) await Promise.race([runner.creating.catch(() => undefined), sleep(3_000)]);
      const run = runner.run;
      if (!run) {
        core.setFailed(`The workflow was cancelled (${signal}) before the deployment was created.`);
      } else if (!deployment.cancelOnJobCancel) {
        core.setFailed(`The workflow was cancelled (${signal}); deployment ${run.ref.id} keeps running (cancel-on-job-cancel is false): ${run.consoleUrl}`);
      } else {
        const cancelled = await runner.cancel(`the workflow was cancelled (${signal})`, CANCEL_ON_SIGNAL);
        if (cancelled) core.saveState(STATE_KEYS.deploymentSettled, 'true');
        core.setFailed(`The workflow was cancelled (${signal}); ${cancelled ? 'cancellation of' : 'could not cancel'} deployment ${run.ref.id} ${cancelled ? 'requested' : ''}: ${run.consoleUrl}`.replace(' :', ':'));
      }
      settle();
      process.exit(1);
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    done,
    remove: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Poll timing, divided by a time scale that only the benchmark sets (it runs the emulator's
 * scenarios faster than real time, and the action's polling must keep the same proportions).
 */
export function pollTiming(scaleText: string | undefined): PollTiming {
  const scale = Number(scaleText);
  if (!scaleText || !Number.isFinite(scale) || scale <= 0) return DEFAULT_POLL_TIMING;
  const t = DEFAULT_POLL_TIMING;
  return { ...t, activeMs: t.activeMs / scale, idleStartMs: t.idleStartMs / scale, idleMaxMs: t.idleMaxMs / scale };
}

import * as core from '@actions/core';
import { credentialsFilePath, removeTokensFromCredentials } from './runner-io/credentials-file.js';
import { postShouldCancel, readPostState, type DeploymentState, type PostState } from './runner-io/state.js';
import { idTokenRequestEnv, readGitHubContext } from './runner-io/github-context.js';
import { oneLine } from './domain/input-error.js';
import { sanitizeLine } from './runner-io/untrusted-text.js';
import { clockFor, systemClock, type Clock } from './runner-io/clock.js';

/** Post's own budget: the runner bounds no post step, so every network call of post fits in this. */
export const POST_BUDGET_MS = 60_000;

/**
 * post: log out (the token leaves the disk first, before any network call), then cancel a
 * deployment main left running, when the user's choices allow it, within POST_BUDGET_MS. SIGINT
 * and SIGTERM stop the network work. Never fails the job.
 */
export async function run(): Promise<void> {
  const state = readPostState(core.getState);
  for (const problem of state.problems) core.warning(`Ignoring what main handed over: ${oneLine(problem, 300)}`);
  // Listening first: a signal during the logout waits for it to finish, then stops the rest.
  const clock = state.login ? clockFor(state.login.cloudUrl) : systemClock;
  const stop = new PostStop(clock.realMs(POST_BUDGET_MS));
  let loggedOut = false;
  try {
    loggedOut = logOut(state);
  } catch (error) {
    core.warning(`Logout did not complete: ${oneLine(error)}`);
  }
  try {
    await Promise.race([cleanUpDeployment(state, stop.signal, clock), stop.stopped]);
  } catch (error) {
    if (!stop.reason) core.warning(`Could not cancel the deployment left running: ${oneLine(error)}`);
  }
  try {
    if (!stop.reason) await Promise.race([endGitHubDeployments(state.githubDeployments, stop.signal, clock), stop.stopped]);
  } catch (error) {
    if (!stop.reason) core.warning(`Could not end the GitHub deployment left in progress: ${oneLine(error)}`);
  } finally {
    stop.dispose();
  }
  if (stop.reason) {
    const why = stop.reason === 'budget' ? `post's ${POST_BUDGET_MS / 1000} s budget ran out` : `post got ${stop.reason}`;
    const token = loggedOut ? ' The local token was already removed;' : '';
    core.warning(`Stopped the deployment clean-up: ${why}.${token} check the stack's deployments in the Pulumi console.`);
  }
}

/** The GitHub deployments main set in progress and never ended (it was killed): `error`, within post's budget. */
async function endGitHubDeployments(ids: number[], signal: AbortSignal, clock: Clock): Promise<void> {
  const token = core.getInput('github-token');
  if (!ids.length || !token) return;
  const context = readGitHubContext();
  const [owner, repo] = context.repository.split('/');
  if (!owner || !repo) return;
  const { boundedOctokit } = await import('./github/client.js');
  const octokit = boundedOctokit(token, context.apiUrl, {
    signal,
    budgetMs: POST_BUDGET_MS,
    requestTimeoutMs: clock.realMs(GITHUB_REQUEST_MS),
    debug: core.isDebug() ? core.debug : undefined,
  });
  for (const id of ids) {
    await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'error', description: 'The action stopped before the deployment ended.' });
    core.info(`GitHub deployment ${id}: error (the action stopped before the deployment ended).`);
  }
}
const GITHUB_REQUEST_MS = 20_000;

/** Ends post's network work when its budget runs out or the runner signals it. */
class PostStop {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  reason?: 'budget' | NodeJS.Signals;
  /** Settles (never rejects) once stopped. */
  readonly stopped: Promise<void>;

  constructor(budgetMs: number) {
    this.stopped = new Promise((resolve) => this.controller.signal.addEventListener('abort', () => resolve(), { once: true }));
    this.timer = setTimeout(() => this.stop('budget'), budgetMs);
    process.on('SIGINT', this.stop);
    process.on('SIGTERM', this.stop);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    process.off('SIGINT', this.stop);
    process.off('SIGTERM', this.stop);
  }

  private readonly stop = (reason: 'budget' | NodeJS.Signals) => {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort();
  };
}

/** Every deployment main left running that the user's choices let post cancel: one login for all of them, one after the other. */
async function cleanUpDeployment(state: PostState, signal: AbortSignal, clock: Clock): Promise<void> {
  for (const deployment of state.deployments) {
    if (deployment.settled === 'left-running-on-purpose' && deployment.run) {
      core.info(`Deployment ${deployment.run.ref.id} was left running on purpose: ${deployment.run.consoleUrl}`);
    }
  }
  const toCancel = state.deployments.filter(postShouldCancel);
  if (!toCancel.length || !state.login) return;
  const idTokenEnv = idTokenRequestEnv();
  if (!idTokenEnv) {
    for (const deployment of toCancel) core.warning(`${where(deployment)} may still be running and no ID token is available to cancel it.`);
    return;
  }
  const { cancelLeftovers } = await import('./post-network.js');
  await cancelLeftovers(state.login, toCancel, idTokenEnv, signal, clock);
}

const where = (deployment: DeploymentState) =>
  deployment.run ? `Deployment ${deployment.run.ref.id} (${deployment.run.consoleUrl})` : 'A deployment whose create request got no answer';

/** True when logout was asked for and no token of ours is left on disk. */
function logOut(state: PostState): boolean {
  if (!state.login?.logout || !state.tokenHashes.length) return false;
  const path = credentialsFilePath();
  const result = removeTokensFromCredentials(path, state.tokenHashes);
  const where = result.target ? `${path} (a symlink to ${result.target})` : path;
  if (result.warning) {
    core.warning(`Logout did not complete: ${result.warning}.`);
  } else if (result.target === '') {
    core.info(`Logged out: ${path} is a symlink to a missing file; no token to remove.`);
  } else if (!result.removed.length) {
    core.info(`Logged out: the Pulumi token was never written to ${where}; nothing to remove.`);
  } else {
    const file = result.fileDeleted ? 'deleted the file, no token was left' : result.emptied ? 'no token was left; kept the symlinked file' : 'kept the other accounts';
    core.info(`Logged out: removed the token for ${sanitizeLine(result.removed.join(', '), 500)} from ${where} (${file}).`);
  }
  return !result.warning;
}

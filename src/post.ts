import * as core from '@actions/core';
import { credentialsFilePath, removeTokensFromCredentials } from './credentials-file.js';
import { postShouldCancel, readPostState, type PostState } from './state.js';
import { idTokenRequestEnv } from './github-context.js';
import { SecretRegistry } from './secrets.js';
import { oneLine } from './errors.js';
import { sanitizeLine } from './untrusted-text.js';

/** post: cancel a deployment main left running (when the user's choices allow it), then log out. Never fails the job. */
export async function run(): Promise<void> {
  const state = readPostState(core.getState);
  for (const problem of state.problems) core.warning(`Ignoring what main handed over: ${oneLine(problem, 300)}`);
  try {
    await cleanUpDeployment(state);
  } catch (error) {
    core.warning(`Could not cancel the deployment left running: ${oneLine(error)}`);
  }
  try {
    logOut(state);
  } catch (error) {
    core.warning(`Logout did not complete: ${oneLine(error)}`);
  }
}

async function cleanUpDeployment(state: PostState): Promise<void> {
  const deployment = state.deployment;
  if (deployment?.settled === 'left-running-on-purpose' && deployment.run) {
    core.info(`Deployment ${deployment.run.ref.id} was left running on purpose: ${deployment.run.consoleUrl}`);
  }
  if (!postShouldCancel(deployment) || !deployment || !state.login) return;
  const idTokenEnv = idTokenRequestEnv();
  const where = deployment.run ? `Deployment ${deployment.run.ref.id} (${deployment.run.consoleUrl})` : 'A deployment whose create request got no answer';
  if (!idTokenEnv) {
    core.warning(`${where} may still be running and no ID token is available to cancel it.`);
    return;
  }
  const [{ JsonHttp, USER_AGENT }, { logIn }, { cancelLeftover }] = await Promise.all([import('./http.js'), import('./login-flow.js'), import('./cancellation.js')]);
  const http = new JsonHttp(USER_AGENT, 15_000);
  try {
    // No token crossed from main: log in again, publishing nothing.
    const { client } = await logIn({ ...state.login, exportEnvironmentVariables: false }, idTokenEnv, http, new SecretRegistry(core.setSecret), { showClaims: false });
    const outcome = await cancelLeftover(client, deployment);
    if (outcome.level === 'warning') core.warning(outcome.message);
    else core.info(outcome.message);
  } finally {
    http.dispose();
  }
}

function logOut(state: PostState): void {
  if (!state.login?.logout || !state.tokenHashes.length) return;
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
}

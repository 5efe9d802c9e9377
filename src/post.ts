import * as core from '@actions/core';
import { credentialsFilePath, removeTokensFromCredentials } from './credentials-file.js';
import { readPostState, type PostState } from './state.js';
import { JsonHttp } from './http.js';
import { idTokenRequestEnv } from './oidc.js';
import { SecretRegistry } from './secrets.js';
import { logIn } from './login-flow.js';
import { isTerminal } from './deployment-runner.js';
import { oneLine } from './errors.js';
import { USER_AGENT } from './http.js';

/** post: cancel a deployment main left running, then log out. Never fails the job. */
export async function run(): Promise<void> {
  const state = readPostState(core.getState);
  try {
    await cancelLeftoverDeployment(state);
  } catch (error) {
    core.warning(`Could not cancel the deployment left running: ${oneLine(error)}`);
  }
  try {
    logOut(state);
  } catch (error) {
    core.warning(`Logout did not complete: ${oneLine(error)}`);
  }
}

async function cancelLeftoverDeployment(state: PostState): Promise<void> {
  const run = state.deployment;
  if (!run || state.deploymentSettled || !state.cancelOnJobCancel || !state.login) return;
  const idTokenEnv = idTokenRequestEnv();
  if (!idTokenEnv) {
    core.warning(`Deployment ${run.ref.id} may still be running and no ID token is available to cancel it: ${run.consoleUrl}`);
    return;
  }
  const http = new JsonHttp(USER_AGENT, 15_000);
  try {
    const secrets = new SecretRegistry(core.setSecret);
    const { client } = await logIn({ ...state.login, exportEnvironmentVariables: false }, idTokenEnv, http, secrets, { showClaims: false, publish: false });
    const { status } = await client.getDeployment(run.ref);
    if (isTerminal(status)) return;
    await client.cancelDeployment(run.ref);
    core.info(`The step ended while deployment ${run.ref.id} was ${status}: cancellation requested (${run.consoleUrl}).`);
  } finally {
    http.dispose();
  }
}

function logOut(state: PostState): void {
  if (!state.login?.logout || !state.tokenHashes.length) return;
  const path = credentialsFilePath();
  const result = removeTokensFromCredentials(path, state.tokenHashes);
  if (!result.removed.length) {
    core.info(`Logged out: the Pulumi token was never written to ${path}; nothing to remove.`);
  } else {
    const file = result.fileDeleted ? 'deleted the file, no token was left' : 'kept the other accounts';
    core.info(`Logged out: removed the token for ${result.removed.join(', ')} from ${path} (${file}).`);
  }
}

import * as core from '@actions/core';
import { JsonHttp, USER_AGENT } from './http.js';
import { idTokenRequestEnv } from './github-context.js';
import { SecretRegistry } from './secrets.js';
import { logIn } from './login-flow.js';
import { isTerminal, type CreatedRun } from './deployment-runner.js';
import type { PostState } from './state.js';

/** Logs in again (no token crossed to post) and cancels a deployment main left running. */
export async function cancelLeftoverDeployment(run: CreatedRun, login: NonNullable<PostState['login']>): Promise<void> {
  const idTokenEnv = idTokenRequestEnv();
  if (!idTokenEnv) {
    core.warning(`Deployment ${run.ref.id} may still be running and no ID token is available to cancel it: ${run.consoleUrl}`);
    return;
  }
  const http = new JsonHttp(USER_AGENT, 15_000);
  try {
    const secrets = new SecretRegistry(core.setSecret);
    const { client } = await logIn({ ...login, exportEnvironmentVariables: false }, idTokenEnv, http, secrets, { showClaims: false, publish: false });
    const { status } = await client.getDeployment(run.ref);
    if (isTerminal(status)) return;
    await client.cancelDeployment(run.ref);
    core.info(`The step ended while deployment ${run.ref.id} was ${status}: cancellation requested (${run.consoleUrl}).`);
  } finally {
    http.dispose();
  }
}


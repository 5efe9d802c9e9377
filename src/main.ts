import * as core from '@actions/core';
import { parseInputs, secretValues, type InputReader } from './inputs.js';
import { buildDeploymentRequest, redactRequest } from './deployment-request.js';
import { idTokenRequestEnv, NO_ID_TOKEN_MESSAGE, readGitHubContext } from './github-context.js';
import { SecretRegistry } from './secrets.js';
import { PostStateWriter } from './state.js';
import { oneLine } from './errors.js';

/** Same lookup as core.getInput, without trimming (multi-line inputs keep their lines). */
export const readInput: InputReader = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

const REQUEST_TIMEOUT_MS = 30_000;

/** main: validate, log in, run the deployment, report. */
export async function run(): Promise<void> {
  const secrets = new SecretRegistry(core.setSecret);
  try {
    for (const value of secretValues(readInput)) secrets.add(value);
    const config = parseInputs(readInput);
    const context = readGitHubContext();
    // Built before any network call, so a request that cannot be built never half-runs.
    const body = config.deployment && buildDeploymentRequest(config.deployment, context);

    if (config.dryRun && config.deployment && body) {
      const { stack } = config.deployment;
      core.info(`dry-run: would POST ${config.login.cloudUrl}/api/stacks/${stack.organization}/${stack.project}/${stack.stack}/deployments with:`);
      core.info(JSON.stringify(redactRequest(body), null, 2));
      return;
    }

    const idTokenEnv = idTokenRequestEnv();
    if (!idTokenEnv) throw new Error(NO_ID_TOKEN_MESSAGE);
    const state = new PostStateWriter(core.saveState);
    state.login(config.login);

    // The network half loads only now: a run that fails validation never pays for it.
    const [{ JsonHttp, USER_AGENT }, { logIn }, { runDeployment, pollTiming }] = await Promise.all([import('./http.js'), import('./login-flow.js'), import('./deployment.js')]);
    const http = new JsonHttp(USER_AGENT, REQUEST_TIMEOUT_MS);
    try {
      const { client } = await logIn(config.login, idTokenEnv, http, secrets, { showClaims: true, state });
      if (config.deployment && body) {
        const timing = pollTiming(process.env.PULUMI_DEPLOY_ACTION_TIME_SCALE, config.login.cloudUrl);
        await runDeployment(config, config.deployment, body, { client, secrets, context, state, timing });
      }
    } finally {
      http.dispose();
    }
  } catch (error) {
    core.setFailed(secrets.redact(oneLine(error)));
  }
}

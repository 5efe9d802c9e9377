import * as core from '@actions/core';
import { parseInputs, secretValues, type InputReader } from './inputs.js';
import { buildDeploymentRequest, redactRequest } from './deployment-request.js';
import { readGitHubContext } from './github-context.js';
import { JsonHttp, USER_AGENT } from './http.js';
import { idTokenRequestEnv, NO_ID_TOKEN_MESSAGE } from './oidc.js';
import { SecretRegistry } from './secrets.js';
import { logIn } from './login-flow.js';
import { runDeployment } from './deployment-flow.js';
import { STATE_KEYS } from './state.js';
import { oneLine } from './errors.js';

const REQUEST_TIMEOUT_MS = 30_000;

/** Same lookup as core.getInput, without trimming (multi-line inputs keep their lines). */
export const readInput: InputReader = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

/** main: validate, log in, run the deployment, report. */
export async function run(): Promise<void> {
  const secrets = new SecretRegistry(core.setSecret);
  let http: JsonHttp | undefined;
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
    const { organization, tokenType, scope, cloudUrl, audience, logout } = config.login;
    core.saveState(STATE_KEYS.login, JSON.stringify({ organization, tokenType, scope, cloudUrl, audience, logout }));
    core.saveState(STATE_KEYS.cancelOnJobCancel, String(config.deployment?.cancelOnJobCancel ?? true));

    http = new JsonHttp(USER_AGENT, REQUEST_TIMEOUT_MS);
    const { client } = await logIn(config.login, idTokenEnv, http, secrets, { showClaims: true, publish: true });
    if (config.deployment && body) await runDeployment(config, config.deployment, body, { client, secrets, context });
  } catch (error) {
    core.setFailed(secrets.redact(oneLine(error)));
  } finally {
    http?.dispose();
  }
}

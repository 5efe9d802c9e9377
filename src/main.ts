import * as core from '@actions/core';
import { parseInputs, secretValues, type InputReader } from './inputs.js';
import { buildDeploymentRequest, redactRequest } from './deployment-request.js';
import { idTokenRequestEnv, NO_ID_TOKEN_MESSAGE, readGitHubContext } from './github-context.js';
import { SecretRegistry } from './secrets.js';
import { STATE_KEYS } from './state.js';
import { InputErrors, oneLine } from './errors.js';

/** Same lookup as core.getInput, without trimming (multi-line inputs keep their lines). */
export const readInput: InputReader = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

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
    const { organization, tokenType, scope, cloudUrl, audience, logout } = config.login;
    core.saveState(STATE_KEYS.login, JSON.stringify({ organization, tokenType, scope, cloudUrl, audience, logout }));
    core.saveState(STATE_KEYS.cancelOnJobCancel, String(config.deployment?.cancelOnJobCancel ?? true));

    // The network half loads only now: a run that fails validation never pays for it.
    const { loginAndDeploy } = await import('./login-and-deploy.js');
    await loginAndDeploy(config, body, idTokenEnv, context, secrets);
  } catch (error) {
    // Several bad inputs: one annotation each, then one summary line fails the step.
    if (error instanceof InputErrors && error.errors.length > 1) {
      for (const problem of error.errors) core.error(secrets.redact(oneLine(problem)));
    }
    core.setFailed(secrets.redact(oneLine(error)));
  }
}

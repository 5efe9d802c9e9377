import * as core from '@actions/core';
import { parseInputs } from './inputs/parse.js';
import { secretValues, type InputReader } from './inputs/table.js';
import { SecretRegistry } from './runner-io/secrets.js';
import { InputErrors, oneLine } from './domain/input-error.js';

/** Same lookup as core.getInput, without trimming (multi-line inputs keep their lines). */
const readInput: InputReader = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

/** main: validate, then (dry-run) print the request, or load the network half: log in, run the deployment, report. */
export async function run(): Promise<void> {
  const secrets = new SecretRegistry(core.setSecret);
  try {
    for (const value of secretValues(readInput)) secrets.add(value);
    const config = parseInputs(readInput);
    // Loaded once the inputs pass: most runs that fail, fail on their inputs, and start-up counts.
    if (config.dryRun && config.deployment && config.run) {
      const [{ readGitHubContext }, request] = await Promise.all([import('./runner-io/github-context.js'), import('./deployment/request.js')]);
      const body = request.buildDeploymentRequest(config.deployment, readGitHubContext());
      for (const stack of config.run.stacks) {
        core.info(`dry-run: would POST ${config.login.cloudUrl}/api/stacks/${stack.organization}/${stack.project}/${stack.stack}/deployments with:`);
      }
      // Value by value: a secret equal to `true` or a number never leaves `"enabled": ***` behind.
      core.info(JSON.stringify(secrets.redactJson(request.redactRequest(body)), null, 2));
      return;
    }
    // One import: a login-only step loads no deployment or report code.
    const { runNetworkHalf } = await import('./main-network.js');
    await runNetworkHalf(config, secrets);
  } catch (error) {
    // Several bad inputs: one annotation each, then one summary line fails the step.
    if (error instanceof InputErrors && error.errors.length > 1) {
      for (const problem of error.errors) core.error(secrets.redact(oneLine(problem)));
    }
    core.setFailed(secrets.redact(oneLine(error)));
  }
}

import * as core from '@actions/core';
import { parseInputs, secretValues, type InputReader } from './inputs.js';
import { SecretRegistry } from './secrets.js';
import { InputErrors, oneLine } from './errors.js';

/** Same lookup as core.getInput, without trimming (multi-line inputs keep their lines). */
export const readInput: InputReader = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

const REQUEST_TIMEOUT_MS = 30_000;
/** A time-scaled request timeout never goes below this: a loaded test machine answers slowly. */
const MIN_REQUEST_TIMEOUT_MS = 5_000;

/** main: validate, log in, run the deployment, report. */
export async function run(): Promise<void> {
  const secrets = new SecretRegistry(core.setSecret);
  try {
    for (const value of secretValues(readInput)) secrets.add(value);
    const config = parseInputs(readInput);
    // Loaded once the inputs pass: most runs that fail, fail on their inputs, and start-up counts.
    // A login-only step loads no deployment or report code.
    const [{ idTokenRequestEnv, NO_ID_TOKEN_MESSAGE, readGitHubContext }, { PostStateWriter }, request] = await Promise.all([
      import('./github-context.js'),
      import('./state.js'),
      config.deployment ? import('./deployment-request.js') : undefined,
    ]);
    const context = readGitHubContext();
    // Built before any network call, so a request that cannot be built never half-runs.
    const body = config.deployment && request?.buildDeploymentRequest(config.deployment, context);

    if (config.dryRun && config.deployment && body && request) {
      const { stack } = config.deployment;
      core.info(`dry-run: would POST ${config.login.cloudUrl}/api/stacks/${stack.organization}/${stack.project}/${stack.stack}/deployments with:`);
      // Value by value: a secret equal to `true` or a number never leaves `"enabled": ***` behind.
      core.info(JSON.stringify(secrets.redactJson(request.redactRequest(body)), null, 2));
      return;
    }

    const idTokenEnv = idTokenRequestEnv();
    if (!idTokenEnv) throw new Error(NO_ID_TOKEN_MESSAGE);
    const state = new PostStateWriter(core.saveState);
    state.login(config.login);

    // The network half loads only now: a run that fails validation never pays for it.
    const [{ JsonHttp, USER_AGENT }, { logIn }, { timeScaleFor, scaledClock }, deploying] = await Promise.all([
      import('./http.js'),
      import('./login-flow.js'),
      import('./time-scale.js'),
      config.deployment && body ? Promise.all([import('./deployment.js'), import('./cancellation.js'), import('./report/markdown.js')]) : undefined,
    ]);
    const scale = timeScaleFor(config.login.cloudUrl);
    const http = new JsonHttp(USER_AGENT, Math.max(MIN_REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS / scale));
    const clock = scaledClock(scale);
    try {
      const { client } = await logIn(config.login, idTokenEnv, http, secrets, { showClaims: true, state, clock });
      if (config.deployment && body && deploying) {
        const [{ runDeployment, pollTiming }, { CREATE_GRACE_MS }, { consoleOrigin }] = deploying;
        await runDeployment(config, config.deployment, body, {
          client,
          secrets,
          context,
          state,
          timing: pollTiming(scale),
          createGraceMs: CREATE_GRACE_MS / scale,
          consoleOrigin: config.report.consoleUrl ? new URL(config.report.consoleUrl).origin : consoleOrigin(config.login.cloudUrl),
          consoleBase: config.report.consoleUrl,
          timeScale: scale,
          now: clock.now,
        });
      }
    } finally {
      http.dispose();
    }
  } catch (error) {
    // Several bad inputs: one annotation each, then one summary line fails the step.
    if (error instanceof InputErrors && error.errors.length > 1) {
      for (const problem of error.errors) core.error(secrets.redact(oneLine(problem)));
    }
    core.setFailed(secrets.redact(oneLine(error)));
  }
}

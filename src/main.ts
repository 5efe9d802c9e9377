import * as core from '@actions/core';
import { parseInputs } from './inputs/parse.js';
import { secretValues, type InputReader } from './inputs/table.js';
import { SecretRegistry } from './runner-io/secrets.js';
import { InputErrors, oneLine } from './domain/input-error.js';

/** Same lookup as core.getInput, without trimming (multi-line inputs keep their lines). */
const readInput: InputReader = (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';

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
      import('./runner-io/github-context.js'),
      import('./runner-io/state.js'),
      config.deployment ? import('./deployment/request.js') : undefined,
    ]);
    const context = readGitHubContext();
    // Built before any network call, so a request that cannot be built never half-runs.
    const body = config.deployment && request?.buildDeploymentRequest(config.deployment, context);

    if (config.dryRun && config.deployment && config.run && body && request) {
      for (const stack of config.run.stacks) {
        core.info(`dry-run: would POST ${config.login.cloudUrl}/api/stacks/${stack.organization}/${stack.project}/${stack.stack}/deployments with:`);
      }
      // Value by value: a secret equal to `true` or a number never leaves `"enabled": ***` behind.
      core.info(JSON.stringify(secrets.redactJson(request.redactRequest(body)), null, 2));
      return;
    }

    const idTokenEnv = idTokenRequestEnv();
    if (!idTokenEnv) throw new Error(NO_ID_TOKEN_MESSAGE);
    const state = new PostStateWriter(core.saveState);
    state.login(config.login);

    // The network half loads only now: a run that fails validation never pays for it.
    const [{ JsonHttp, USER_AGENT }, { logIn }, { clockFor }, { runnerLog }, { publishToken }, { tokenHash }] = await Promise.all([
      import('./cloud/http.js'),
      import('./login/login.js'),
      import('./runner-io/clock.js'),
      import('./runner-io/log.js'),
      import('./report/token.js'),
      import('./runner-io/credentials-file.js'),
    ]);
    const clock = clockFor(config.login.cloudUrl);
    const log = runnerLog();
    const http = new JsonHttp(USER_AGENT, Math.max(MIN_REQUEST_TIMEOUT_MS, clock.realMs(REQUEST_TIMEOUT_MS)), log.debug);
    try {
      const onToken = (issued: { token: string; expiresAt: Date }) => publishToken(config.login, issued, (token) => state.tokenIssued(tokenHash(token)));
      const { client } = await logIn(config.login, idTokenEnv, http, secrets, { showClaims: true, log, clock, onToken });
      if (config.deployment && config.run && body) {
        // Only a run that deploys loads the flow and the reporters.
        const [{ deployStacks }, { reporters }, { consoleOrigin }] = await Promise.all([
          import('./orchestrator.js'),
          import('./report/reporters.js'),
          import('./report/markdown.js'),
        ]);
        const origin = config.report.consoleUrl ? new URL(config.report.consoleUrl).origin : consoleOrigin(config.login.cloudUrl);
        const settings = {
          operation: config.deployment.operation,
          stackCount: config.run.stacks.length,
          commentOnPr: config.report.commentOnPr,
          githubToken: config.report.githubToken,
          consoleOrigin: origin,
          consoleBase: config.report.consoleUrl,
          requestedCommit: body.sourceContext?.git?.commit,
          githubEnvironment: config.report.githubEnvironment,
          environmentUrlOutput: config.report.environmentUrlOutput,
          checkRun: config.report.checkRun,
          prNumber: config.report.prNumber,
        };
        await deployStacks(
          config.run.stacks.map((stack) => ({ deployment: { ...config.deployment!, stack }, body })),
          {
            expectNoChanges: config.report.expectNoChanges,
            changesIncludeOutputs: config.report.changesIncludeOutputs,
            consoleBase: config.report.consoleUrl ?? origin,
            maxParallel: config.run.maxParallel,
            failFast: config.run.failFast,
          },
          { client, secrets, state, log, clock, consoleOrigin: origin },
          reporters({ settings, log, secrets, context, clock, state }),
        );
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

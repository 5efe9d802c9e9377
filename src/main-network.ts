// main's network half: log in, then, with a stack, deploy and report. One module that main loads
// once the inputs pass, so a login-only step loads its code in one import and one set of chunks.
import * as core from '@actions/core';
import type { ActionConfig } from './inputs/parse.js';
import type { SecretRegistry } from './runner-io/secrets.js';
import { idTokenRequestEnv, NO_ID_TOKEN_MESSAGE, readGitHubContext } from './runner-io/github-context.js';
import { PostStateWriter } from './runner-io/state.js';
import { JsonHttp, USER_AGENT } from './cloud/http.js';
import { logIn } from './login/login.js';
import { clockFor } from './runner-io/clock.js';
import { runnerLog } from './runner-io/log.js';
import { publishToken } from './report/token.js';
import { tokenHash } from './runner-io/credentials-file.js';

const REQUEST_TIMEOUT_MS = 30_000;
/** A time-scaled request timeout never goes below this: a loaded test machine answers slowly. */
const MIN_REQUEST_TIMEOUT_MS = 5_000;

/** Logs in and, with a stack, runs the deployment and reports; throws what fails the step. */
export async function runNetworkHalf(config: ActionConfig, secrets: SecretRegistry): Promise<void> {
  // Only a run that deploys loads the request builder and reads the event. The request is built
  // before any network call, so a request that cannot be built never half-runs.
  const request = config.deployment ? await import('./deployment/request.js') : undefined;
  const context = config.deployment ? readGitHubContext() : undefined;
  const body = config.deployment && context && request?.buildDeploymentRequest(config.deployment, context);

  const idTokenEnv = idTokenRequestEnv();
  if (!idTokenEnv) throw new Error(NO_ID_TOKEN_MESSAGE);
  const state = new PostStateWriter(core.saveState);
  const clock = clockFor(config.login.cloudUrl);
  const log = runnerLog();
  // node:crypto (about 20 modules; the runner's file commands and token hashes need it) loads
  // while the first request, the ID token's, is out rather than before it.
  const preload = () => void process.getBuiltinModule('node:crypto');
  const http = new JsonHttp(USER_AGENT, Math.max(MIN_REQUEST_TIMEOUT_MS, clock.realMs(REQUEST_TIMEOUT_MS)), log.debug, preload);
  try {
    let loginRecorded = false;
    const onToken = (issued: { token: string; expiresAt: Date }) => {
      // Post's record of this login comes with its first token: before it, there is nothing to log out.
      if (!loginRecorded) state.login(config.login);
      loginRecorded = true;
      publishToken(config.login, issued, (token) => state.tokenIssued(tokenHash(token)));
    };
    const { client } = await logIn(config.login, idTokenEnv, http, secrets, { showClaims: true, log, clock, onToken });
    if (config.deployment && config.run && body && context) {
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
}

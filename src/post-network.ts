// post's network half: log in again and cancel the deployments main left running. One module that
// post loads only when there is one to cancel, so its code shares chunks with main's network half.
import * as core from '@actions/core';
import type { DeploymentState, LoginState } from './runner-io/state.js';
import type { IdTokenRequestEnv } from './runner-io/github-context.js';
import type { Clock } from './runner-io/clock.js';
import { JsonHttp, USER_AGENT } from './cloud/http.js';
import { logIn } from './login/login.js';
import { cancelLeftover } from './deployment/leftover.js';
import { runnerLog } from './runner-io/log.js';
import { SecretRegistry } from './runner-io/secrets.js';

const REQUEST_TIMEOUT_MS = 15_000;

/** One login for all of `toCancel`, then each cancelled in turn; `signal` stops the network work. */
export async function cancelLeftovers(login: LoginState, toCancel: DeploymentState[], idTokenEnv: IdTokenRequestEnv, signal: AbortSignal, clock: Clock): Promise<void> {
  const http = new JsonHttp(USER_AGENT, REQUEST_TIMEOUT_MS, core.isDebug() ? core.debug : undefined);
  // A stop destroys the sockets too: a request that takes no signal ends with them.
  signal.addEventListener('abort', () => http.dispose(), { once: true });
  try {
    // No token crossed from main: log in again, publishing nothing.
    const { client } = await logIn({ ...login, exportEnvironmentVariables: false }, idTokenEnv, http, new SecretRegistry(core.setSecret), {
      showClaims: false,
      log: runnerLog(),
      clock,
    });
    for (const deployment of toCancel) {
      const outcome = await cancelLeftover(client, deployment, signal);
      if (outcome.level === 'warning') core.warning(outcome.message);
      else core.info(outcome.message);
    }
  } finally {
    http.dispose();
  }
}

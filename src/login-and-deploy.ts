import type { ActionConfig } from './inputs.js';
import type { DeploymentRequestBody } from './deployment-request.js';
import type { GitHubContext } from './github-context.js';
import type { IdTokenRequestEnv } from './github-context.js';
import type { SecretRegistry } from './secrets.js';
import { JsonHttp, USER_AGENT } from './http.js';
import { logIn } from './login-flow.js';
import { runDeployment } from './deployment-flow.js';

const REQUEST_TIMEOUT_MS = 30_000;

/** main's network half: log in, then run the deployment when one is asked for. */
export async function loginAndDeploy(
  config: ActionConfig,
  body: DeploymentRequestBody | undefined,
  idTokenEnv: IdTokenRequestEnv,
  context: GitHubContext,
  secrets: SecretRegistry,
): Promise<void> {
  const http = new JsonHttp(USER_AGENT, REQUEST_TIMEOUT_MS);
  try {
    const { client } = await logIn(config.login, idTokenEnv, http, secrets, { showClaims: true, publish: true });
    if (config.deployment && body) await runDeployment(config, config.deployment, body, { client, secrets, context });
  } finally {
    http.dispose();
  }
}

import * as core from '@actions/core';
import { notice, warn } from '../runner-io/log.js';
import type { LoginConfig } from '../inputs/parse.js';
import type { JsonHttp } from '../cloud/http.js';
import { PulumiCloudClient } from '../cloud/client.js';
import { TokenSession, type IssuedToken } from './token-session.js';
import { describeIdTokenClaims, fetchGitHubIdToken } from './oidc.js';
import type { IdTokenRequestEnv } from '../runner-io/github-context.js';
import type { SecretRegistry } from '../runner-io/secrets.js';
import { tokenHash } from '../runner-io/credentials-file.js';
import type { PostStateWriter } from '../runner-io/state.js';
import type { RetryHooks } from '../cloud/retry.js';
import { oneLine } from '../domain/input-error.js';
import { exportVariable, outputText, setOutput, type OutputValue } from '../runner-io/outputs.js';

export const retryLogger: Omit<RetryHooks, 'classify'> = {
  onRetry: ({ attempt, delayMs, error }) => notice(`${oneLine(error)}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1}).`),
};

export interface LoginOptions {
  /** Print the ID token's claims once (main), or stay quiet (post). */
  showClaims: boolean;
  /** main: publish the token as output and env, and record its hash for logout. post: absent. */
  state?: PostStateWriter;
  /** The clock retries wait on (time-scaled against a local emulator). */
  clock?: Pick<RetryHooks, 'sleep' | 'now'>;
}

/** Exchanges a GitHub ID token for a Pulumi access token; the session refreshes it later. */
export async function logIn(
  login: LoginConfig,
  idTokenEnv: IdTokenRequestEnv,
  http: JsonHttp,
  secrets: SecretRegistry,
  options: LoginOptions,
): Promise<{ client: PulumiCloudClient; session: TokenSession }> {
  const hooks = { ...retryLogger, ...options.clock };
  const client = new PulumiCloudClient(login.cloudUrl, http, hooks);
  let claimsShown = !options.showClaims;
  const idToken = async () => {
    const jwt = await fetchGitHubIdToken(login.audience, idTokenEnv, http, (value) => secrets.add(value), hooks);
    if (!claimsShown) {
      claimsShown = true;
      core.startGroup('GitHub ID token claims (compare with the Pulumi OIDC issuer policy)');
      for (const [name, value] of Object.entries(describeIdTokenClaims(jwt))) core.info(`${name}: ${value}`);
      core.endGroup();
    }
    return jwt;
  };
  const session = new TokenSession(login, {
    client,
    idToken,
    log: notice,
    warn: (message) => warn(message),
    onToken: (issued) => {
      secrets.add(issued.token); // before anything else can print it
      const state = options.state;
      if (state) publishToken(login, issued, (token) => state.tokenIssued(tokenHash(token)));
    },
  });
  client.useTokens(session);
  const issued = await session.start();
  const type = login.scope ? `${login.tokenType} token (${login.scope})` : `${login.tokenType} token`;
  core.info(`Logged in to ${login.cloudUrl} for organization ${login.organization} with ${article(type)} ${type}; it expires at ${issued.expiresAt.toISOString()}.`);
  return { client, session };
}

/**
 * Outputs, env and state for one issued token. The token and its backend URL are exported as a
 * pair on every login and refresh: GITHUB_ENV cannot unset a variable, so an earlier login's URL
 * must be overwritten, or later `pulumi` steps would send this token to another host.
 */
export function publishToken(login: Pick<LoginConfig, 'cloudUrl' | 'exportEnvironmentVariables'>, issued: IssuedToken, recordHash: (token: string) => void): void {
  // The only steps that could throw, so first: a token of the wrong shape is never half-published.
  const token: OutputValue = { kind: 'token', value: issued.token };
  outputText(token);
  const expiresAt = issued.expiresAt.toISOString();
  recordHash(issued.token);
  setOutput('pulumi-access-token', token);
  setOutput('token-expires-at', { kind: 'time', value: new Date(expiresAt) });
  if (login.exportEnvironmentVariables) {
    exportVariable('PULUMI_BACKEND_URL', { kind: 'url', value: login.cloudUrl, origin: login.cloudUrl });
    exportVariable('PULUMI_ACCESS_TOKEN', token);
  }
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

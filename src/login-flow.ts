import * as core from '@actions/core';
import type { LoginConfig } from './inputs.js';
import type { JsonHttp } from './http.js';
import { PulumiCloudClient } from './pulumi-client.js';
import { TokenSession, type IssuedToken } from './token-session.js';
import { describeIdTokenClaims, fetchGitHubIdToken } from './oidc.js';
import type { IdTokenRequestEnv } from './github-context.js';
import type { SecretRegistry } from './secrets.js';
import { tokenHash } from './credentials-file.js';
import { STATE_KEYS } from './state.js';
import type { RetryHooks } from './retry.js';
import { oneLine } from './errors.js';

export const retryLogger: RetryHooks = {
  onRetry: ({ attempt, delayMs, error }) =>
    core.info(`${oneLine(error)}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1}).`),
};

export interface LoginOptions {
  /** Print the ID token's claims once (main), or stay quiet (post). */
  showClaims: boolean;
  /** Publish the token as output and env, and record it for logout (main only). */
  publish: boolean;
}

/** Exchanges a GitHub ID token for a Pulumi access token; the session refreshes it later. */
export async function logIn(login: LoginConfig, idTokenEnv: IdTokenRequestEnv, http: JsonHttp, secrets: SecretRegistry, options: LoginOptions): Promise<{ client: PulumiCloudClient; session: TokenSession }> {
  const client = new PulumiCloudClient(login.cloudUrl, http, retryLogger);
  let claimsShown = !options.showClaims;
  const idToken = async () => {
    const jwt = await fetchGitHubIdToken(login.audience, idTokenEnv, http, (value) => secrets.add(value), retryLogger);
    if (!claimsShown) {
      claimsShown = true;
      core.startGroup('GitHub ID token claims (compare with the Pulumi OIDC issuer policy)');
      for (const [name, value] of Object.entries(describeIdTokenClaims(jwt))) core.info(`${name}: ${value}`);
      core.endGroup();
    }
    return jwt;
  };
  const recordHash = tokenHashRecorder(core.saveState);
  const session = new TokenSession(login, {
    client,
    idToken,
    log: core.info,
    warn: core.warning,
    onToken: (issued) => {
      secrets.add(issued.token); // before anything else can print it
      if (options.publish) publishToken(login, issued, recordHash);
    },
  });
  client.useTokens(session);
  const issued = await session.start();
  const type = login.scope ? `${login.tokenType} token (${login.scope})` : `${login.tokenType} token`;
  core.info(`Logged in to ${login.cloudUrl} for organization ${login.organization} with ${article(type)} ${type}; it expires at ${issued.expiresAt.toISOString()}.`);
  return { client, session };
}

/**
 * Saves each token's hash under its own state key (`token-sha256`, then `-1`, `-2`, ...): GITHUB_STATE
 * is append-only, so rewriting one growing list would cost O(n²) bytes over n refreshes.
 */
export function tokenHashRecorder(saveState: (name: string, value: string) => void): (token: string) => void {
  let count = 0;
  return (token) => {
    saveState(count ? `${STATE_KEYS.tokenHashes}-${count}` : STATE_KEYS.tokenHashes, tokenHash(token));
    count++;
  };
}

/**
 * Outputs, env and state for one issued token. The token and its backend URL are exported as a
 * pair on every login and refresh: GITHUB_ENV cannot unset a variable, so an earlier login's URL
 * must be overwritten, or later `pulumi` steps would send this token to another host.
 */
export function publishToken(login: Pick<LoginConfig, 'cloudUrl' | 'exportEnvironmentVariables'>, issued: IssuedToken, recordHash: (token: string) => void): void {
  const expiresAt = issued.expiresAt.toISOString(); // the only step that could throw, so first
  recordHash(issued.token);
  core.setOutput('pulumi-access-token', issued.token);
  core.setOutput('token-expires-at', expiresAt);
  if (login.exportEnvironmentVariables) {
    core.exportVariable('PULUMI_BACKEND_URL', login.cloudUrl);
    core.exportVariable('PULUMI_ACCESS_TOKEN', issued.token);
  }
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

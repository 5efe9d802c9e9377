import type { Log } from '../runner-io/log.js';
import type { Clock } from '../runner-io/clock.js';
import type { LoginConfig } from '../inputs/parse.js';
import type { JsonHttp } from '../cloud/http.js';
import { PulumiCloudClient } from '../cloud/client.js';
import { TokenSession, type IssuedToken } from './token-session.js';
import { describeIdTokenClaims, fetchGitHubIdToken } from './oidc.js';
import type { IdTokenRequestEnv } from '../runner-io/github-context.js';
import type { SecretRegistry } from '../runner-io/secrets.js';
import type { RetryHooks } from '../cloud/retry.js';
import { oneLine } from '../domain/input-error.js';

/** Each retry, one line in the log. */
const retryLogger = (log: Log): Omit<RetryHooks, 'classify'> => ({
  onRetry: ({ attempt, delayMs, error }) => log.info(`${oneLine(error)}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1}).`),
});

export interface LoginOptions {
  /** Print the ID token's claims once (main), or stay quiet (post). */
  showClaims: boolean;
  log: Log;
  /** The clock retries wait on. */
  clock: Clock;
  /** Gets every issued token (login and refreshes) once it is masked. main publishes it; post passes none. */
  onToken?: (issued: IssuedToken) => void;
}

/** Exchanges a GitHub ID token for a Pulumi access token; the session refreshes it later. */
export async function logIn(
  login: LoginConfig,
  idTokenEnv: IdTokenRequestEnv,
  http: JsonHttp,
  secrets: SecretRegistry,
  options: LoginOptions,
): Promise<{ client: PulumiCloudClient; session: TokenSession }> {
  const { log, clock } = options;
  const hooks = { ...retryLogger(log), sleep: clock.sleep, now: clock.now };
  const client = new PulumiCloudClient(login.cloudUrl, http, hooks);
  let claimsShown = !options.showClaims;
  const idToken = async () => {
    const jwt = await fetchGitHubIdToken(login.audience, idTokenEnv, http, (value) => secrets.add(value), hooks);
    if (!claimsShown) {
      claimsShown = true;
      const claims = Object.entries(describeIdTokenClaims(jwt)).map(([name, value]) => `${name}: ${value}`);
      log.group('GitHub ID token claims (compare with the Pulumi OIDC issuer policy)', claims);
    }
    return jwt;
  };
  const session = new TokenSession(login, {
    client,
    idToken,
    log: (message) => log.info(message),
    warn: (message) => log.warning(message),
    onToken: (issued) => {
      secrets.add(issued.token); // before anything else can print it
      options.onToken?.(issued);
    },
  });
  client.useTokens(session);
  const issued = await session.start();
  const type = login.scope ? `${login.tokenType} token (${login.scope})` : `${login.tokenType} token`;
  log.info(`Logged in to ${login.cloudUrl} for organization ${login.organization} with ${article(type)} ${type}; it expires at ${issued.expiresAt.toISOString()}.`);
  return { client, session };
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

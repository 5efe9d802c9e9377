// GitHub stand-in: the runner's OIDC token service (ID tokens, JWKS, discovery) and the
// REST issue-comments API, on one loopback port. See docs/ARCHITECTURE.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { startJsonServer, router, json } from '../lib/http.mjs';
import { createOidcIssuer } from './oidc-issuer.mjs';
import { createCommentsApi } from './rest.mjs';

export { defaultClaims } from './oidc-issuer.mjs';

/**
 * @param {object} [options]
 * @param {number} [options.port]
 * @param {object} [options.claims] claims merged over the defaults of every ID token
 * @param {number} [options.idTokenLifetimeSeconds]
 * @param {object[]} [options.faults] fault rules; endpoints: 'idtoken', 'comments', 'pulls', 'user', 'jwks', 'openid-configuration'
 * @param {string} [options.apiToken] if set, the only token the REST API accepts (else any non-empty token)
 * @param {object} [options.commentUser] overrides of the bot user the workflow token (ghs_...) comments as
 * @param {Record<string, object>} [options.tokenUsers] personal tokens -> {login, id?, type?}; other non-ghs_ tokens act as octocat
 * @param {Record<string, string>} [options.permissions] the workflow token's (ghs_...) permissions, e.g. {deployments: 'read'}: no `write` answers writes 403, no `pull-requests` (or 'none') answers reads of pull requests and comments 403; default: write to pull-requests, deployments and checks
 * @param {object[]} [options.comments] seed comments {issueNumber, repo: 'owner/name', body, user?}; `user: null` is the deleted "ghost" user
 * @param {string[]} [options.repositories] the repositories that exist ('owner/name'; default acme/infra); others answer 404, as do issues and pull requests not opened or commented on
 */
export async function startGitHubEmulator({
  port = 0,
  claims = {},
  idTokenLifetimeSeconds = 300,
  faults = [],
  apiToken,
  commentUser,
  tokenUsers,
  comments = [],
  permissions,
  repositories,
} = {}) {
  let url = '';
  const requestToken = `ghs_${randomBytes(18).toString('base64url')}`;
  const issuer = await createOidcIssuer({ issuer: () => url, claims, idTokenLifetimeSeconds });
  const commentsApi = createCommentsApi({ baseUrl: () => url, apiToken, commentUser, tokenUsers, seed: comments, permissions, repositories });

  async function idToken({ headers, query }) {
    const auth = headers.authorization ?? '';
    if (auth !== `Bearer ${requestToken}`) {
      return json(401, { message: auth ? 'Invalid bearer token.' : 'No bearer token provided.' });
    }
    // GitHub's default audience is the repository owner's URL.
    const owner = claims.repository_owner ?? 'acme';
    const audience = query.audience ?? `https://github.com/${owner}`;
    return json(200, { value: await issuer.mint(audience) });
  }

  const route = router(
    [
      { method: 'GET', pattern: '/_apis/idtoken', endpoint: 'idtoken', handle: idToken },
      { method: 'GET', pattern: '/.well-known/jwks', endpoint: 'jwks', handle: () => json(200, issuer.jwks()) },
      { method: 'GET', pattern: '/.well-known/openid-configuration', endpoint: 'openid-configuration', handle: () => json(200, issuer.openidConfiguration()) },
      ...commentsApi.routes,
    ],
    { methodNotAllowed: () => json(405, { message: 'Method Not Allowed' }) },
  );

  const server = await startJsonServer({
    port,
    route,
    faults,
    faultBody: (endpoint, status) => ({ message: `Emulated fault (${status}) on ${endpoint}`, documentation_url: 'https://docs.github.com/rest' }),
    commonHeaders: () => ({ 'X-GitHub-Request-Id': randomUUID().toUpperCase() }),
    notFound: () => json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }),
  });
  url = server.url;

  return {
    url,
    idTokenRequestUrl: `${url}/_apis/idtoken?api-version=2.0`,
    idTokenRequestToken: requestToken,
    jwksUrl: `${url}/.well-known/jwks`,
    apiUrl: url,
    kid: issuer.kid,
    /** Signs an ID token like the endpoint does; extraClaims may override any claim (iss, exp, ...). */
    mintIdToken: (audience, extraClaims = {}) => issuer.mint(audience, extraClaims),
    /** ID tokens minted so far: {audience, claims, jwt}. */
    issuedIdTokens: issuer.issued,
    comments: commentsApi.comments,
    /** GitHub deployments by id: {id, repo, ref, environment, transient, statuses: [{state, log_url, environment_url, description}]}. */
    deployments: commentsApi.deployments,
    /** Check runs by id: {id, repo, name, headSha, status, conclusion, output, annotations}. */
    checkRuns: commentsApi.checkRuns,
    addComment: commentsApi.addComment,
    openPullRequest: commentsApi.openPullRequest,
    pushToPullRequest: commentsApi.pushToPullRequest,
    pullRequestEvent: commentsApi.pullRequestEvent,
    hasPullRequest: (repo, number) => commentsApi.pulls.has(`${repo}#${number}`),
    addRepository: commentsApi.addRepository,
    workflowToken: commentsApi.workflowToken,
    requests: server.requests,
    setFaults: server.setFaults,
    goDown: server.goDown,
    waitUntilUp: server.waitUntilUp,
    close: server.close,
  };
}

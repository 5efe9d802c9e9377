// Pulumi Cloud stand-in: OIDC token exchange, current user and the Deployments API, with
// fault injection and outages. Responses follow spec/pulumi-cloud-openapi.trimmed.json.
import { randomUUID } from 'node:crypto';
import { startJsonServer, router, json } from '../lib/http.mjs';
import { createTokenService, userFor } from './tokens.mjs';
import { createDeploymentsApi } from './deployments.mjs';
import { createEventsApi } from './events.mjs';
import { quickSuccess } from './scenarios.mjs';

export { scenarios, scenarioByName } from './scenarios.mjs';

const TOKEN_ERRORS = { 400: 'invalid_request', 401: 'invalid_token', 403: 'access_denied', 429: 'temporarily_unavailable', 503: 'temporarily_unavailable' };

/**
 * Record of cloud.deployments (Map id -> record):
 *   {id, stack, org, project, stackName, version, operation, request, initiator, requestedBy, scenario,
 *    createdAt, acceptedAt, startedAt, endsAt, outcome, status (getter, now), steps:[{name, startAt, endAt, outcome}],
 *    lines:[{text, header?, step, availableAt, servedAt?}], updates, cancelRequestedAt, cancelledAt, cancelIgnoredAt?}
 * Times are epoch ms on the Date.now() clock. A line's wire `line` is text + '\n'; header rows carry only `header`.
 */
export async function startPulumiCloudEmulator({
  port = 0,
  issuer,
  stacks = ['acme/app/dev'],
  scenario,
  scenarios: perStack = {},
  organizations,
  maxTokenLifetimeSeconds = 7200,
  faults = [],
  timeScale = 1,
  logPageSize = 200,
  eventPageSize = 100,
  tokens = [],
  tokenAnswer,
  hostile = {},
  concurrency = 4,
} = {}) {
  if (!(timeScale > 0)) throw new TypeError('timeScale must be > 0');
  let url = '';
  const stackSet = new Set(stacks);
  const scenarioOverrides = new Map(Object.entries(perStack));
  let defaultScenario = scenario ?? quickSuccess;
  let hostileFields = { ...hostile };
  const orgs = new Set(organizations ?? stacks.map((s) => s.split('/')[0]));
  const issuers = [issuer ?? []].flat().filter(Boolean);

  const tokenService = createTokenService({ issuers, organizations: orgs, maxTokenLifetimeSeconds, tokens, answer: tokenAnswer });
  const api = createDeploymentsApi({
    stacks: stackSet,
    scenarioFor: (stack) => scenarioOverrides.get(stack) ?? defaultScenario,
    timeScale,
    logPageSize,
    url: () => url,
    hostile: () => hostileFields,
  });

  const events = createEventsApi({ deployments: api.deployments, eventPageSize });

  // Paused organizations and stacks (`org/project/stack`), as the deployment metadata reports them.
  // A pause is only reported: it does not hold a deployment (its scenario's queuedMs does).
  let paused = { organizations: [], stacks: [] };
  const stackMetadata = ({ params }) => {
    const stackPaused = paused.stacks.includes(`${params.org}/${params.project}/${params.stack}`);
    const organizationPaused = paused.organizations.includes(params.org);
    return json(200, { paused: stackPaused || organizationPaused, stackPaused, organizationPaused, hasSchedules: false });
  };
  const orgMetadata = ({ params }) => {
    const counts = { notStarted: 0, accepted: 0, running: 0, failed: 0, succeeded: 0, skipped: 0, total: 0 };
    const key = { 'not-started': 'notStarted', accepted: 'accepted', running: 'running', failed: 'failed', succeeded: 'succeeded', skipped: 'skipped' };
    for (const d of api.deployments.values()) {
      if (d.org !== params.org) continue;
      if (key[d.status]) counts[key[d.status]] += 1;
      counts.total += 1;
    }
    return json(200, { paused: paused.organizations.includes(params.org), concurrency, deploymentCounts: counts });
  };

  // Every endpoint but the token exchange needs `Authorization: token <tok>`.
  const authed = (fn) => (ctx) => {
    const { token, error } = tokenService.authenticate(ctx.headers);
    return error ?? fn(ctx, token);
  };

  const base = '/api/stacks/:org/:project/:stack/deployments';
  const route = router(
    [
      { method: 'POST', pattern: '/api/oauth/token', endpoint: 'token', handle: ({ body }) => tokenService.exchange(body) },
      { method: 'GET', pattern: '/api/user', endpoint: 'user', handle: authed((_ctx, token) => json(200, userFor(token))) },
      { method: 'POST', pattern: base, endpoint: 'create', handle: authed(api.create) },
      // Before `${base}/:id`, which would take "metadata" for an id.
      { method: 'GET', pattern: `${base}/metadata`, endpoint: 'stack-metadata', handle: authed(stackMetadata) },
      { method: 'GET', pattern: '/api/orgs/:org/deployments/metadata', endpoint: 'org-metadata', handle: authed(orgMetadata) },
      { method: 'GET', pattern: base, endpoint: 'list', handle: authed(api.list) },
      { method: 'GET', pattern: `${base}/:id`, endpoint: 'get', handle: authed(api.get) },
      { method: 'GET', pattern: `${base}/:id/logs`, endpoint: 'logs', handle: authed(api.logs) },
      { method: 'GET', pattern: `${base}/:id/updates`, endpoint: 'updates', handle: authed(api.updates) },
      { method: 'POST', pattern: `${base}/:id/cancel`, endpoint: 'cancel', handle: authed(api.cancel) },
      { method: 'GET', pattern: '/api/stacks/:org/:project/:stack/:kind/:updateID/events', endpoint: 'events', handle: authed(events) },
    ],
    { methodNotAllowed: () => json(405, { code: 405, message: 'Method Not Allowed' }) },
  );

  const server = await startJsonServer({
    port,
    route,
    faults,
    faultBody: (endpoint, status) =>
      endpoint === 'token'
        ? { error: TOKEN_ERRORS[status] ?? 'server_error', error_description: `emulated fault (${status})` }
        : { code: status, message: `emulated fault (${status}) on ${endpoint}` },
    commonHeaders: () => ({ 'X-Pulumi-Request-ID': randomUUID() }),
  });
  url = server.url;

  return {
    url,
    requests: server.requests,
    deployments: api.deployments,
    issuedTokens: tokenService.issued,
    setFaults: server.setFaults,
    /** Closes the port and all connections; reopens the same port after ms. Resolves once down. */
    goDown: server.goDown,
    waitUntilUp: server.waitUntilUp,
    /** Expires one issued token (or all of them) now, to exercise token refresh. */
    expireToken: (token) => tokenService.expire(token),
    /** Fields that replace those of every token exchange answer (see tokens.mjs); undefined: honest again. */
    setTokenAnswer: (answer) => tokenService.setAnswer(answer),
    /** Pauses (or resumes, with empty lists) the deployments of these organizations and stacks, as the metadata reports. */
    setPaused(next = {}) {
      paused = { organizations: next.organizations ?? [], stacks: next.stacks ?? [] };
    },
    /** Scenario for deployments created from now on (for one stack, or the default). */
    setScenario(next, stack) {
      if (stack) scenarioOverrides.set(stack, next);
      else defaultScenario = next;
    },
    /** Hostile field values for answers from now on (replaces the previous set). */
    setHostile(next = {}) {
      hostileFields = { ...next };
    },
    addStack(stack) {
      stackSet.add(stack);
      orgs.add(stack.split('/')[0]);
    },
    close: server.close,
  };
}

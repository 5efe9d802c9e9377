// GitHub REST stand-in: issue comments (list with pagination and Link header, create, get,
// update), pull requests (get; opened and pushed to by tests, fork or not), the authenticated
// user, deployments and check runs. As on github.com, the workflow token (`ghs_...`, an app
// installation token) may not read GET /user (403 "Resource not accessible by integration"),
// may write only what its `permissions` allow, and its comments are by `github-actions[bot]`;
// any other token acts as a user (a PAT), whose login GET /user returns and whose comments
// carry it. A repository, issue or pull request the stand-in was not told of is 404.
import { randomBytes } from 'node:crypto';
import { json } from '../lib/http.mjs';
import { privateUser, pullRequest, pullRequestPayload, simpleUser as simpleUserOf, userRecord } from './objects.mjs';

const DOCS = 'https://docs.github.com/rest/issues/comments';
const USER_DOCS = 'https://docs.github.com/rest/users/users#get-the-authenticated-user';
const PULL_DOCS = 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request';
const COMMIT_PULLS_DOCS = 'https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit';
const isoSeconds = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const INSTALLATION_TOKEN = /^ghs_/;

/** The permissions a workflow token (ghs_...) has unless a test narrows them. */
export const DEFAULT_TOKEN_PERMISSIONS = { 'pull-requests': 'write', deployments: 'write', checks: 'write' };

/** The repository a workflow runs in unless a test says otherwise (the runner emulator's default). */
export const DEFAULT_REPOSITORIES = ['acme/infra'];

export function createCommentsApi({ baseUrl, apiToken, commentUser, tokenUsers = {}, seed = [], permissions = DEFAULT_TOKEN_PERMISSIONS, repositories = DEFAULT_REPOSITORIES }) {
  const bot = {
    login: 'github-actions[bot]',
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    type: 'Bot',
    site_admin: false,
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    ...commentUser,
  };
  /** Who a token acts as: the workflow token is the bot; other tokens are users (tokenUsers, else octocat). */
  function userFor(token) {
    if (INSTALLATION_TOKEN.test(token)) return bot;
    const custom = tokenUsers[token];
    return custom ? { ...userRecord(custom.login, custom.type, custom.id), ...custom } : userRecord('octocat');
  }
  /** The repositories that exist, and the issue and pull request numbers in each ('owner/name' -> Set). */
  const issues = new Map(repositories.map((name) => [name, new Set()]));
  /** Makes a repository (and an issue or pull request in it) exist. */
  function know(repo, number) {
    if (!issues.has(repo)) issues.set(repo, new Set());
    if (number !== undefined) issues.get(repo).add(Number(number));
  }
  const repoOf = (params) => `${params.owner}/${params.repo}`;
  /** GitHub's 404 for a repository, or an issue or pull request in it, that does not exist. */
  function missing(params, docs, number) {
    const numbers = issues.get(repoOf(params));
    const exists = numbers && (number === undefined || numbers.has(Number(number)));
    return exists ? null : json(404, { message: 'Not Found', documentation_url: docs, status: '404' });
  }

  /** Internal records: {id, issueNumber, repo, body, user (null: the deleted "ghost" user), createdAt, updatedAt}. */
  const comments = [];
  let nextId = 1_000_000_001;

  /** Seeds a comment as any user (tests: comments by other people; `user: null` by a deleted account). */
  function addComment(c) {
    const now = Date.now();
    know(c.repo, c.issueNumber);
    const comment = {
      id: c.id ?? nextId++,
      issueNumber: Number(c.issueNumber),
      repo: c.repo,
      body: c.body,
      user: c.user === null ? null : { ...bot, ...c.user },
      createdAt: c.createdAt ?? now,
      updatedAt: c.updatedAt ?? now,
    };
    comments.push(comment);
    nextId = Math.max(nextId, comment.id + 1);
    return comment;
  }
  for (const c of seed) addComment(c);

  function toGitHub(c) {
    const api = baseUrl();
    return {
      url: `${api}/repos/${c.repo}/issues/comments/${c.id}`,
      html_url: `${api}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${api}/repos/${c.repo}/issues/${c.issueNumber}`,
      id: c.id,
      node_id: `IC_kwDO${Buffer.from(`IssueComment:${c.id}`).toString('base64url')}`,
      user: c.user && simpleUser(c.user),
      created_at: isoSeconds(c.createdAt),
      updated_at: isoSeconds(c.updatedAt),
      author_association: c.user && c.user.type !== 'Bot' ? 'OWNER' : 'NONE',
      body: c.body,
      reactions: {
        url: `${api}/repos/${c.repo}/issues/comments/${c.id}/reactions`,
        total_count: 0,
        '+1': 0,
        '-1': 0,
        laugh: 0,
        confused: 0,
        heart: 0,
        hooray: 0,
        eyes: 0,
        rocket: 0,
      },
      performed_via_github_app: null,
    };
  }

  // Any non-empty token works unless apiToken pins one (GITHUB_TOKEN is opaque to the action).
  const tokenOf = (headers) => /^(?:token|bearer)\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1] ?? '';

  function authError(headers) {
    const match = /^(token|bearer)\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (!match) return json(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' });
    if (apiToken && match[2] !== apiToken) return json(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    return null;
  }

  /** GitHub refuses an empty body and one over 65,536 characters. */
  const bodyError = (body) => {
    if (typeof body?.body !== 'string' || !body.body)
      return json(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], documentation_url: DOCS, status: '422' });
    if (body.body.length > 65_536)
      return json(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
        documentation_url: DOCS,
        status: '422',
      });
    return null;
  };

  const notFound = () => json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

  function list({ params, query, headers }) {
    const err = authError(headers) ?? missing(params, DOCS, params.number) ?? readError(headers, DOCS);
    if (err) return err;
    const repo = `${params.owner}/${params.repo}`;
    const issueNumber = Number(params.number);
    const perPage = Math.min(100, Math.max(1, Number.parseInt(query.per_page ?? '30', 10) || 30));
    const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
    const all = comments.filter((c) => c.repo === repo && c.issueNumber === issueNumber).sort((a, b) => a.id - b.id);
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const items = all.slice((page - 1) * perPage, page * perPage).map(toGitHub);
    const link = (p) => `<${baseUrl()}/repos/${repo}/issues/${issueNumber}/comments?per_page=${perPage}&page=${p}>`;
    const rels = [];
    if (page > 1) rels.push(`${link(Math.min(page - 1, lastPage))}; rel="prev"`);
    if (page < lastPage) rels.push(`${link(page + 1)}; rel="next"`, `${link(lastPage)}; rel="last"`);
    if (page > 1) rels.push(`${link(1)}; rel="first"`);
    return json(200, items, rels.length ? { Link: rels.join(', ') } : {});
  }

  function create({ params, body, headers }) {
    const err = authError(headers) ?? missing(params, DOCS, params.number) ?? permissionError(headers, 'pull-requests', DOCS) ?? bodyError(body);
    if (err) return err;
    const now = Date.now();
    const comment = {
      id: nextId++,
      issueNumber: Number(params.number),
      repo: `${params.owner}/${params.repo}`,
      body: body.body,
      user: { ...userFor(tokenOf(headers)) },
      createdAt: now,
      updatedAt: now,
    };
    comments.push(comment);
    const out = toGitHub(comment);
    return json(201, out, { Location: out.url });
  }

  function find(params) {
    const repo = `${params.owner}/${params.repo}`;
    return comments.find((c) => c.repo === repo && String(c.id) === params.id);
  }

  function get({ params, headers }) {
    const err = authError(headers) ?? missing(params, DOCS) ?? readError(headers, DOCS);
    if (err) return err;
    const comment = find(params);
    return comment ? json(200, toGitHub(comment)) : notFound();
  }

  function update({ params, body, headers }) {
    const err = authError(headers) ?? missing(params, DOCS) ?? permissionError(headers, 'pull-requests', DOCS) ?? bodyError(body);
    if (err) return err;
    const comment = find(params);
    if (!comment) return notFound();
    comment.body = body.body;
    comment.updatedAt = Date.now();
    return json(200, toGitHub(comment));
  }

  function authenticatedUser({ headers }) {
    const err = authError(headers);
    if (err) return err;
    const token = tokenOf(headers);
    if (INSTALLATION_TOKEN.test(token)) return json(403, { message: 'Resource not accessible by integration', documentation_url: USER_DOCS, status: '403' });
    return json(200, privateUser(baseUrl(), userFor(token)));
  }

  /** Pull requests by 'owner/name#number': {repo, number, headSha, headRef, headRepo, baseSha, baseRef, createdAt, updatedAt}. */
  const pulls = new Map();
  const pullJson = (p) => pullRequest(baseUrl(), p);
  /**
   * Opens (or replaces) a pull request. `fork: true` makes its head repository a fork
   * (`forker/<name>`); `headRepo: null` is a fork that was deleted.
   */
  function openPullRequest({ repo, number, headSha, headRef = 'feature/infra', baseSha = '3f9a1c27e5b04d86a1f2c3e4d5b6a7980c1d2e3f', baseRef = 'main', fork = false, headRepo }) {
    const now = Date.now();
    const pull = {
      repo,
      number,
      headSha,
      headRef,
      baseSha,
      baseRef,
      headRepo: headRepo !== undefined ? headRepo : fork ? `forker/${repo.split('/')[1]}` : repo,
      createdAt: now,
      updatedAt: now,
    };
    pulls.set(`${repo}#${number}`, pull);
    know(repo, number);
    return pullJson(pull);
  }
  /** A new commit on the pull request's head branch. */
  function pushToPullRequest(repo, number, headSha) {
    const pull = pulls.get(`${repo}#${number}`);
    if (!pull) throw new Error(`no pull request ${repo}#${number}`);
    pull.before = pull.headSha;
    pull.headSha = headSha;
    pull.updatedAt = Date.now();
  }
  /** The event a pull request triggers, as the runner writes it to GITHUB_EVENT_PATH. */
  function pullRequestEvent(repo, number, name = 'pull_request') {
    const pull = pulls.get(`${repo}#${number}`);
    if (!pull) throw new Error(`no pull request ${repo}#${number}`);
    return { name, payload: pullRequestPayload(baseUrl(), pull, { before: pull.before }) };
  }

  function getPull({ params, headers }) {
    const err = authError(headers) ?? missing(params, PULL_DOCS) ?? readError(headers, PULL_DOCS);
    if (err) return err;
    const pull = pulls.get(`${params.owner}/${params.repo}#${Number(params.number)}`);
    return pull ? json(200, pullJson(pull)) : json(404, { message: 'Not Found', documentation_url: PULL_DOCS, status: '404' });
  }

  /** Workflow tokens issued with their own permissions (workflowToken); any other `ghs_` token has `permissions`. */
  const tokenPermissions = new Map();
  /** A workflow token (`ghs_...`) with these permissions, e.g. the read-only one of a pull request from a fork. */
  function workflowToken(granted) {
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    tokenPermissions.set(token, { ...granted });
    return token;
  }

  /**
   * GitHub's answer when the workflow token lacks `scope: write` (its `permissions:`), else null.
   * Personal tokens act as their user, who may write.
   */
  function permissionError(headers, scope, docs) {
    const token = tokenOf(headers);
    if (!INSTALLATION_TOKEN.test(token) || (tokenPermissions.get(token) ?? permissions)[scope] === 'write') return null;
    return json(403, { message: 'Resource not accessible by integration', documentation_url: docs, status: '403' });
  }

  /** GitHub's answer when the workflow token may not even read pull requests (`pull-requests: none`), else null. */
  function readError(headers, docs) {
    const token = tokenOf(headers);
    const granted = (tokenPermissions.get(token) ?? permissions)['pull-requests'];
    if (!INSTALLATION_TOKEN.test(token) || granted === 'read' || granted === 'write') return null;
    return json(403, { message: 'Resource not accessible by integration', documentation_url: docs, status: '403' });
  }

  const simpleUser = (u) => simpleUserOf(baseUrl(), u);

  const DEPLOYMENT_DOCS = 'https://docs.github.com/rest/deployments/deployments#create-a-deployment';
  const STATUS_DOCS = 'https://docs.github.com/rest/deployments/statuses#create-a-deployment-status';
  const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
  /** Deployments by id: {id, repo, ref, environment, transient, statuses: [{id, state, log_url, environment_url, description}]}. */
  const deployments = new Map();
  let nextDeploymentId = 1_500_000_001;
  const invalid = (docs, message) => json(422, { message, documentation_url: docs, status: '422' });

  function deploymentJson(d) {
    const api = baseUrl();
    return {
      url: `${api}/repos/${d.repo}/deployments/${d.id}`,
      id: d.id,
      node_id: `DE_kwDO${Buffer.from(`Deployment:${d.id}`).toString('base64url')}`,
      sha: d.ref,
      ref: d.ref,
      task: 'deploy',
      payload: {},
      original_environment: d.environment,
      environment: d.environment,
      description: d.description ?? null,
      creator: simpleUser(bot),
      created_at: isoSeconds(d.createdAt),
      updated_at: isoSeconds(d.createdAt),
      statuses_url: `${api}/repos/${d.repo}/deployments/${d.id}/statuses`,
      repository_url: `${api}/repos/${d.repo}`,
      transient_environment: d.transient,
      production_environment: false,
    };
  }

  function createDeployment({ params, body, headers }) {
    const err = authError(headers) ?? missing(params, DEPLOYMENT_DOCS) ?? permissionError(headers, 'deployments', DEPLOYMENT_DOCS);
    if (err) return err;
    if (typeof body?.ref !== 'string' || !body.ref) return invalid(DEPLOYMENT_DOCS, 'Invalid request.\n\n"ref" wasn\'t supplied.');
    const environment = body.environment ?? 'production';
    if (typeof environment !== 'string' || environment.length > 255)
      return invalid(DEPLOYMENT_DOCS, "Invalid request.\n\nFor 'properties/environment', it is not a valid environment name.");
    if (body.description != null && (typeof body.description !== 'string' || body.description.length > 140))
      return invalid(DEPLOYMENT_DOCS, 'Validation Failed: description is too long (maximum is 140 characters)');
    const id = nextDeploymentId++;
    const d = {
      id,
      repo: `${params.owner}/${params.repo}`,
      ref: body.ref,
      environment,
      transient: Boolean(body.transient_environment),
      description: body.description,
      autoMerge: body.auto_merge,
      requiredContexts: body.required_contexts,
      createdAt: Date.now(),
      statuses: [],
    };
    deployments.set(id, d);
    return json(201, deploymentJson(d));
  }

  function createDeploymentStatus({ params, body, headers }) {
    const err = authError(headers) ?? missing(params, STATUS_DOCS) ?? permissionError(headers, 'deployments', STATUS_DOCS);
    if (err) return err;
    const d = deployments.get(Number(params.id));
    if (!d || d.repo !== `${params.owner}/${params.repo}`) return json(404, { message: 'Not Found', documentation_url: STATUS_DOCS, status: '404' });
    if (!STATES.includes(body?.state)) return invalid(STATUS_DOCS, `Invalid request.\n\n${JSON.stringify(body?.state)} is not a member of ${JSON.stringify(STATES)}.`);
    if (body.description != null && (typeof body.description !== 'string' || body.description.length > 140))
      return invalid(STATUS_DOCS, 'Validation Failed: description is too long (maximum is 140 characters)');
    for (const field of ['log_url', 'environment_url']) {
      if (body[field] != null && (typeof body[field] !== 'string' || !/^https?:\/\//.test(body[field]))) return invalid(STATUS_DOCS, `Validation Failed: ${field} is not a URL`);
    }
    const status = {
      id: nextDeploymentId++,
      state: body.state,
      log_url: body.log_url ?? '',
      environment_url: body.environment_url ?? '',
      description: body.description ?? '',
      createdAt: Date.now(),
    };
    d.statuses.push(status);
    const api = baseUrl();
    return json(201, {
      url: `${api}/repos/${d.repo}/deployments/${d.id}/statuses/${status.id}`,
      id: status.id,
      node_id: `DES_kwDO${Buffer.from(`DeploymentStatus:${status.id}`).toString('base64url')}`,
      state: status.state,
      creator: simpleUser(bot),
      description: status.description,
      environment: body.environment ?? d.environment,
      target_url: status.log_url,
      log_url: status.log_url,
      environment_url: status.environment_url,
      created_at: isoSeconds(status.createdAt),
      updated_at: isoSeconds(status.createdAt),
      deployment_url: `${api}/repos/${d.repo}/deployments/${d.id}`,
      repository_url: `${api}/repos/${d.repo}`,
    });
  }

  const CHECK_DOCS = 'https://docs.github.com/rest/checks/runs#create-a-check-run';
  const CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'];
  /** Check runs by id: {id, repo, name, headSha, status, conclusion, output: {title, summary, text}, annotations: [...]}. */
  const checkRuns = new Map();
  let nextCheckRunId = 2_000_000_001;

  /** GitHub's limits on a check run's output: 65,535 characters per text field, 50 annotations per request. */
  function outputError(output) {
    if (output == null) return null;
    if (typeof output.title !== 'string' || typeof output.summary !== 'string') return invalid(CHECK_DOCS, 'Invalid request.\n\n"title" and "summary" are required in "output".');
    for (const field of ['title', 'summary', 'text'])
      if (typeof output[field] === 'string' && output[field].length > 65_535)
        return invalid(CHECK_DOCS, `Invalid request.\n\nOnly 65535 characters are allowed; ${output[field].length} were supplied for ${field}.`);
    const annotations = output.annotations ?? [];
    if (!Array.isArray(annotations)) return invalid(CHECK_DOCS, 'Invalid request.\n\n"annotations" is not an array.');
    if (annotations.length > 50) return invalid(CHECK_DOCS, 'Invalid request.\n\nOnly 50 annotations are allowed per request.');
    for (const a of annotations) {
      if (
        typeof a?.path !== 'string' ||
        !Number.isInteger(a.start_line) ||
        !Number.isInteger(a.end_line) ||
        !['notice', 'warning', 'failure'].includes(a.annotation_level) ||
        typeof a.message !== 'string'
      )
        return invalid(CHECK_DOCS, 'Invalid request.\n\nAn annotation lacks path, start_line, end_line, annotation_level or message.');
      if (a.message.length > 65_535 || (a.title != null && String(a.title).length > 255)) return invalid(CHECK_DOCS, 'Invalid request.\n\nAn annotation is too long.');
    }
    return null;
  }

  function checkRunJson(c) {
    const api = baseUrl();
    return {
      id: c.id,
      head_sha: c.headSha,
      node_id: `CR_kwDO${Buffer.from(`CheckRun:${c.id}`).toString('base64url')}`,
      external_id: '',
      url: `${api}/repos/${c.repo}/check-runs/${c.id}`,
      html_url: `https://github.com/${c.repo}/runs/${c.id}`,
      details_url: null,
      status: c.status,
      conclusion: c.conclusion,
      started_at: isoSeconds(c.startedAt),
      completed_at: c.status === 'completed' ? isoSeconds(c.startedAt) : null,
      output: {
        title: c.output.title ?? null,
        summary: c.output.summary ?? null,
        text: c.output.text ?? null,
        annotations_count: c.annotations.length,
        annotations_url: `${api}/repos/${c.repo}/check-runs/${c.id}/annotations`,
      },
      name: c.name,
      check_suite: { id: 5_000_000_001 },
      app: null,
      pull_requests: [],
    };
  }

  function createCheckRun({ params, body, headers }) {
    const err = authError(headers) ?? missing(params, CHECK_DOCS) ?? permissionError(headers, 'checks', CHECK_DOCS) ?? outputError(body?.output);
    if (err) return err;
    if (typeof body?.name !== 'string' || !body.name || typeof body.head_sha !== 'string' || !body.head_sha)
      return invalid(CHECK_DOCS, 'Invalid request.\n\n"name" and "head_sha" are required.');
    if (body.conclusion != null && !CONCLUSIONS.includes(body.conclusion))
      return invalid(CHECK_DOCS, `Invalid request.\n\n${JSON.stringify(body.conclusion)} is not a conclusion.`);
    const c = {
      id: nextCheckRunId++,
      repo: `${params.owner}/${params.repo}`,
      name: body.name,
      headSha: body.head_sha,
      status: body.conclusion ? 'completed' : (body.status ?? 'queued'),
      conclusion: body.conclusion ?? null,
      output: { ...body.output, annotations: undefined },
      annotations: [...(body.output?.annotations ?? [])],
      startedAt: Date.now(),
    };
    checkRuns.set(c.id, c);
    return json(201, checkRunJson(c));
  }

  function updateCheckRun({ params, body, headers }) {
    const err = authError(headers) ?? missing(params, CHECK_DOCS) ?? permissionError(headers, 'checks', CHECK_DOCS) ?? outputError(body?.output);
    if (err) return err;
    const c = checkRuns.get(Number(params.id));
    if (!c || c.repo !== `${params.owner}/${params.repo}`) return json(404, { message: 'Not Found', documentation_url: CHECK_DOCS, status: '404' });
    if (body?.output) {
      c.output = { ...body.output, annotations: undefined };
      // Annotations add up across requests, as on GitHub.
      c.annotations.push(...(body.output.annotations ?? []));
    }
    if (body?.conclusion) [c.status, c.conclusion] = ['completed', body.conclusion];
    return json(200, checkRunJson(c));
  }

  /** The open pull requests whose head is the commit (the stand-in models no merged ones). */
  function commitPulls({ params, headers }) {
    const err = authError(headers) ?? missing(params, COMMIT_PULLS_DOCS) ?? readError(headers, COMMIT_PULLS_DOCS);
    if (err) return err;
    const repo = `${params.owner}/${params.repo}`;
    const found = [...pulls.values()].filter((p) => p.repo === repo && p.headSha.toLowerCase() === params.sha.toLowerCase()).map(pullJson);
    return json(200, found);
  }

  const routes = [
    { method: 'GET', pattern: '/repos/:owner/:repo/commits/:sha/pulls', endpoint: 'pulls', handle: commitPulls },
    { method: 'POST', pattern: '/repos/:owner/:repo/check-runs', endpoint: 'check-runs', handle: createCheckRun },
    { method: 'PATCH', pattern: '/repos/:owner/:repo/check-runs/:id', endpoint: 'check-runs', handle: updateCheckRun },
    { method: 'POST', pattern: '/repos/:owner/:repo/deployments', endpoint: 'deployments', handle: createDeployment },
    { method: 'POST', pattern: '/repos/:owner/:repo/deployments/:id/statuses', endpoint: 'deployments', handle: createDeploymentStatus },
    { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:number', endpoint: 'pulls', handle: getPull },
    { method: 'GET', pattern: '/user', endpoint: 'user', handle: authenticatedUser },
    { method: 'GET', pattern: '/repos/:owner/:repo/issues/:number/comments', endpoint: 'comments', handle: list },
    { method: 'POST', pattern: '/repos/:owner/:repo/issues/:number/comments', endpoint: 'comments', handle: create },
    { method: 'GET', pattern: '/repos/:owner/:repo/issues/comments/:id', endpoint: 'comments', handle: get },
    { method: 'PATCH', pattern: '/repos/:owner/:repo/issues/comments/:id', endpoint: 'comments', handle: update },
  ];
  return { comments, deployments, checkRuns, routes, addComment, pulls, openPullRequest, pushToPullRequest, pullRequestEvent, addRepository: (repo) => know(repo), workflowToken };
}

// GitHub's objects as its REST API and its webhook payloads spell them, every required field
// present: users, repositories, pull requests and the event payloads the runner writes to
// GITHUB_EVENT_PATH. Shared by the GitHub stand-in and the runner emulator; checked against
// spec/github-openapi.trimmed.json and spec/github-webhooks.trimmed.json by the contract tests.

/** @typedef {import('@octokit/openapi-types').components['schemas']} Schemas */

const WEB = 'https://github.com';
export const PUBLIC_API = 'https://api.github.com';
/** Repositories are this old, and their last push this recent, in every object. */
const CREATED_AT = '2021-03-04T09:10:11Z';
const PUSHED_AT = '2026-01-02T03:04:05Z';
const isoSeconds = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A stable positive id for a name (repository and user ids the objects agree on). */
const idOf = (name, base) => base + ([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 1_000_000);

/** The user a name is (octocat as GitHub numbers it; organizations and bots by type). */
export function userRecord(login, type = 'User', id = login === 'octocat' ? 583231 : idOf(login, 1_000_000)) {
  const node = type === 'Organization' ? 'MDEyOk9yZ2FuaXphdGlvbj' : type === 'Bot' ? 'MDM6Qm90' : 'MDQ6VXNlcj';
  return {
    login,
    id,
    node_id: `${node}${Buffer.from(String(id)).toString('base64')}`,
    type,
    site_admin: false,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
  };
}

/**
 * GitHub's simple-user object (a comment's, a pull request's or an event's user).
 * @param {string} api the REST API's base URL
 * @param {{login: string, id: number, node_id: string, type: string, site_admin?: boolean, avatar_url: string}} u
 * @returns {Schemas['simple-user']}
 */
export function simpleUser(api, u) {
  const at = `${api}/users/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: u.node_id,
    avatar_url: u.avatar_url,
    gravatar_id: '',
    url: at,
    html_url: `${WEB}/${encodeURIComponent(u.login)}`,
    followers_url: `${at}/followers`,
    following_url: `${at}/following{/other_user}`,
    gists_url: `${at}/gists{/gist_id}`,
    starred_url: `${at}/starred{/owner}{/repo}`,
    subscriptions_url: `${at}/subscriptions`,
    organizations_url: `${at}/orgs`,
    repos_url: `${at}/repos`,
    events_url: `${at}/events{/privacy}`,
    received_events_url: `${at}/received_events`,
    type: u.type,
    site_admin: Boolean(u.site_admin),
  };
}

/**
 * What GET /user answers for a personal token: GitHub's private-user object.
 * @returns {Schemas['private-user']}
 */
export function privateUser(api, u) {
  return {
    ...simpleUser(api, u),
    name: u.name ?? null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 2,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    private_gists: 0,
    total_private_repos: 1,
    owned_private_repos: 1,
    disk_usage: 1024,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

/**
 * GitHub's repository object, as a pull request's head and base carry it and as every event
 * payload does (the webhook one also has `has_discussions`, `topics` and `visibility`).
 * @param {string} api
 * @param {string} fullName 'owner/name'
 * @param {{fork?: boolean}} [options]
 * @returns {Schemas['repository']}
 */
export function repository(api, fullName, { fork = false } = {}) {
  const [owner = '', name = ''] = fullName.split('/');
  const at = `${api}/repos/${fullName}`;
  return {
    id: idOf(fullName, 100_000_000),
    node_id: `R_kgDO${Buffer.from(`Repository:${fullName}`).toString('base64url')}`,
    name,
    full_name: fullName,
    private: true,
    owner: simpleUser(api, userRecord(owner, fork ? 'User' : 'Organization')),
    html_url: `${WEB}/${fullName}`,
    description: null,
    fork,
    url: at,
    archive_url: `${at}/{archive_format}{/ref}`,
    assignees_url: `${at}/assignees{/user}`,
    blobs_url: `${at}/git/blobs{/sha}`,
    branches_url: `${at}/branches{/branch}`,
    collaborators_url: `${at}/collaborators{/collaborator}`,
    comments_url: `${at}/comments{/number}`,
    commits_url: `${at}/commits{/sha}`,
    compare_url: `${at}/compare/{base}...{head}`,
    contents_url: `${at}/contents/{+path}`,
    contributors_url: `${at}/contributors`,
    deployments_url: `${at}/deployments`,
    downloads_url: `${at}/downloads`,
    events_url: `${at}/events`,
    forks_url: `${at}/forks`,
    git_commits_url: `${at}/git/commits{/sha}`,
    git_refs_url: `${at}/git/refs{/sha}`,
    git_tags_url: `${at}/git/tags{/sha}`,
    git_url: `git://github.com/${fullName}.git`,
    issue_comment_url: `${at}/issues/comments{/number}`,
    issue_events_url: `${at}/issues/events{/number}`,
    issues_url: `${at}/issues{/number}`,
    keys_url: `${at}/keys{/key_id}`,
    labels_url: `${at}/labels{/name}`,
    languages_url: `${at}/languages`,
    merges_url: `${at}/merges`,
    milestones_url: `${at}/milestones{/number}`,
    notifications_url: `${at}/notifications{?since,all,participating}`,
    pulls_url: `${at}/pulls{/number}`,
    releases_url: `${at}/releases{/id}`,
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: `${at}/stargazers`,
    statuses_url: `${at}/statuses/{sha}`,
    subscribers_url: `${at}/subscribers`,
    subscription_url: `${at}/subscription`,
    tags_url: `${at}/tags`,
    teams_url: `${at}/teams`,
    trees_url: `${at}/git/trees{/sha}`,
    clone_url: `${WEB}/${fullName}.git`,
    mirror_url: null,
    hooks_url: `${at}/hooks`,
    svn_url: `${WEB}/${fullName}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 128,
    default_branch: 'main',
    open_issues_count: 1,
    open_issues: 1,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    pushed_at: PUSHED_AT,
    created_at: CREATED_AT,
    updated_at: PUSHED_AT,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
  };
}

/**
 * GitHub's pull request object (GET /repos/{o}/{r}/pulls/{n}, and the `pull_request` of its
 * events). head.repo and base.repo are two objects: a fork's head is another repository, or null
 * once the fork is deleted.
 * @param {string} api
 * @param {{repo: string, number: number, headSha: string, headRef: string, headRepo: string | null, baseSha: string, baseRef: string, createdAt: number, updatedAt: number}} p
 * @returns {Schemas['pull-request']}
 */
export function pullRequest(api, p) {
  const at = `${api}/repos/${p.repo}`;
  const html = `${WEB}/${p.repo}/pull/${p.number}`;
  const author = simpleUser(api, userRecord(p.headRepo && p.headRepo !== p.repo ? p.headRepo.split('/')[0] : 'octocat'));
  const baseRepo = repository(api, p.repo);
  const headRepo = p.headRepo === null ? null : p.headRepo === p.repo ? baseRepo : repository(api, p.headRepo, { fork: true });
  const headOwner = p.headRepo === null ? author : headRepo.owner;
  return {
    url: `${at}/pulls/${p.number}`,
    id: 200_000_000 + p.number,
    node_id: `PR_kwDO${Buffer.from(`PullRequest:${p.repo}#${p.number}`).toString('base64url')}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${at}/issues/${p.number}`,
    commits_url: `${at}/pulls/${p.number}/commits`,
    review_comments_url: `${at}/pulls/${p.number}/comments`,
    review_comment_url: `${at}/pulls/comments{/number}`,
    comments_url: `${at}/issues/${p.number}/comments`,
    statuses_url: `${at}/statuses/${p.headSha}`,
    number: p.number,
    state: 'open',
    locked: false,
    title: `Pull request #${p.number}`,
    user: author,
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: isoSeconds(p.createdAt),
    updated_at: isoSeconds(p.updatedAt),
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${headOwner.login}:${p.headRef}`, ref: p.headRef, sha: p.headSha, user: headOwner, repo: headRepo },
    base: { label: `${baseRepo.owner.login}:${p.baseRef}`, ref: p.baseRef, sha: p.baseSha, user: baseRepo.owner, repo: baseRepo },
    _links: {
      self: { href: `${at}/pulls/${p.number}` },
      html: { href: html },
      issue: { href: `${at}/issues/${p.number}` },
      comments: { href: `${at}/issues/${p.number}/comments` },
      review_comments: { href: `${at}/pulls/${p.number}/comments` },
      review_comment: { href: `${at}/pulls/comments{/number}` },
      commits: { href: `${at}/pulls/${p.number}/commits` },
      statuses: { href: `${at}/statuses/${p.headSha}` },
    },
    author_association: p.headRepo === p.repo ? 'MEMBER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: false,
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 3,
    deletions: 1,
    changed_files: 1,
  };
}

const SENDER = userRecord('octocat');
const commit = (repoFullName, sha, message, timestamp) => ({
  id: sha,
  tree_id: sha.split('').reverse().join(''),
  distinct: true,
  message,
  timestamp,
  url: `${WEB}/${repoFullName}/commit/${sha}`,
  author: { name: 'Octo Cat', email: 'octocat@github.com', username: 'octocat' },
  committer: { name: 'GitHub', email: 'noreply@github.com', username: 'web-flow' },
  added: [],
  removed: [],
  modified: ['Pulumi.yaml'],
});

/** The `pull_request` (or `pull_request_target`) event of a pull request: a new commit on its head (`synchronize`). */
export function pullRequestPayload(api, p, { before = '0'.repeat(40) } = {}) {
  return {
    action: 'synchronize',
    number: p.number,
    before,
    after: p.headSha,
    pull_request: pullRequest(api, p),
    repository: repository(api, p.repo),
    sender: simpleUser(api, SENDER),
  };
}

/** The `push` event of a commit pushed to `ref`. */
export function pushPayload(api, fullName, { ref = 'refs/heads/main', before = '0'.repeat(40), after, message = 'Update infra' }) {
  const head = commit(fullName, after, message, PUSHED_AT);
  return {
    ref,
    before,
    after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `${WEB}/${fullName}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits: [head],
    head_commit: head,
    repository: repository(api, fullName),
    pusher: { name: 'octocat', email: 'octocat@github.com' },
    sender: simpleUser(api, SENDER),
  };
}

/** The `merge_group` event: the merge queue asks for checks on its temporary branch's commit. */
export function mergeGroupPayload(api, fullName, { headSha, baseSha, baseRef = 'refs/heads/main', number = 1 }) {
  const head = commit(fullName, headSha, `Merge pull request #${number}`, PUSHED_AT);
  return {
    action: 'checks_requested',
    merge_group: {
      head_sha: headSha,
      head_ref: `refs/heads/gh-readonly-queue/${baseRef.replace(/^refs\/heads\//, '')}/pr-${number}-${baseSha}`,
      base_sha: baseSha,
      base_ref: baseRef,
      head_commit: { id: head.id, tree_id: head.tree_id, message: head.message, timestamp: head.timestamp, author: head.author, committer: head.committer },
    },
    repository: repository(api, fullName),
    sender: simpleUser(api, SENDER),
  };
}

/** The `workflow_dispatch` event: the workflow run by hand on `ref`. */
export function workflowDispatchPayload(api, fullName, { ref = 'refs/heads/main', inputs = {}, workflow = '.github/workflows/deploy.yml' } = {}) {
  return { inputs, ref, repository: repository(api, fullName), sender: simpleUser(api, SENDER), workflow };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.mjs';
import { githubContractViolations } from '../support/github-contract.js';
import { startStandIns } from '../../emulators/stand-ins.mjs';

describe('GitHub emulator: OIDC', () => {
  let gh: GitHubEmulator;
  beforeAll(async () => {
    gh = await startGitHubEmulator({ claims: { environment: 'production' } });
  });
  afterAll(async () => {
    await gh.close();
  });

  it('exposes runner-style values', () => {
    expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gh.idTokenRequestUrl).toBe(`${gh.url}/_apis/idtoken?api-version=2.0`);
    expect(gh.jwksUrl).toBe(`${gh.url}/.well-known/jwks`);
    expect(gh.idTokenRequestToken.length).toBeGreaterThan(10);
  });

  it('issues an RS256 ID token for the requested audience, verifiable with the JWKS', async () => {
    const res = await fetch(`${gh.idTokenRequestUrl}&audience=urn:pulumi:org:acme`, { headers: { Authorization: `Bearer ${gh.idTokenRequestToken}` } });
    expect(res.status).toBe(200);
    const { value } = (await res.json()) as { value: string };
    expect(decodeProtectedHeader(value)).toMatchObject({ alg: 'RS256', kid: gh.kid });
    const { payload } = await jwtVerify(value, createRemoteJWKSet(new URL(gh.jwksUrl)), { issuer: gh.url, audience: 'urn:pulumi:org:acme' });
    expect(payload).toMatchObject({
      sub: 'repo:acme/infra:ref:refs/heads/main',
      repository: 'acme/infra',
      repository_owner: 'acme',
      ref: 'refs/heads/main',
      event_name: 'push',
      run_attempt: '1',
      actor: 'octocat',
      environment: 'production',
      job_workflow_ref: 'acme/infra/.github/workflows/deploy.yml@refs/heads/main',
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(typeof payload.nbf).toBe('number');
    expect(payload.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('requires the request token', async () => {
    expect((await fetch(`${gh.idTokenRequestUrl}&audience=x`)).status).toBe(401);
    expect((await fetch(`${gh.idTokenRequestUrl}&audience=x`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('defaults the audience to the owner URL, and serves discovery', async () => {
    const res = await fetch(gh.idTokenRequestUrl, { headers: { Authorization: `Bearer ${gh.idTokenRequestToken}` } });
    const { value } = (await res.json()) as { value: string };
    expect(gh.issuedIdTokens.at(-1)).toMatchObject({ audience: 'https://github.com/acme', jwt: value });
    const config = (await (await fetch(`${gh.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ issuer: gh.url, jwks_uri: gh.jwksUrl, id_token_signing_alg_values_supported: ['RS256'] });
  });

  it('mints tokens with overridden claims for tests', async () => {
    const jwt = await gh.mintIdToken('aud-1', { sub: 'repo:acme/app:pull_request', exp: 1 });
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ aud: 'aud-1', sub: 'repo:acme/app:pull_request', exp: 1, iss: gh.url });
  });

  it('records requests and applies fault rules to idtoken', async () => {
    gh.setFaults([{ endpoint: 'idtoken', calls: [1], status: 503 }]);
    const url = `${gh.idTokenRequestUrl}&audience=a`;
    const headers = { Authorization: `Bearer ${gh.idTokenRequestToken}` };
    expect((await fetch(url, { headers })).status).toBe(503);
    expect((await fetch(url, { headers })).status).toBe(200);
    const last = gh.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: '/_apis/idtoken', query: { 'api-version': '2.0', audience: 'a' } });
    expect(last.headers.authorization).toBe(`Bearer ${gh.idTokenRequestToken}`);
    gh.setFaults([]);
  });
});

describe('GitHub emulator: issue comments', () => {
  let gh: GitHubEmulator;
  const auth = { Authorization: 'token ghs_test', 'Content-Type': 'application/json' };
  beforeAll(async () => {
    gh = await startGitHubEmulator({
      comments: Array.from({ length: 5 }, (_, i) => ({ repo: 'acme/app', issueNumber: 7, body: `old ${i + 1}`, user: { login: 'someone', type: 'User' } })),
    });
  });
  afterAll(async () => {
    await gh.close();
  });

  it('needs a token', async () => {
    const res = await fetch(`${gh.apiUrl}/repos/acme/app/issues/7/comments`);
    expect(res.status).toBe(401);
  });

  it('creates, lists with pagination and Link headers, and updates comments', async () => {
    const created = await fetch(`${gh.apiUrl}/repos/acme/app/issues/7/comments`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ body: 'hello <!-- stack:acme/app/dev -->' }),
    });
    expect(created.status).toBe(201);
    const c = (await created.json()) as Record<string, any>;
    expect(c).toMatchObject({ body: 'hello <!-- stack:acme/app/dev -->', user: { login: 'github-actions[bot]', type: 'Bot' } });
    expect(typeof c.id).toBe('number');
    expect(c.node_id).toMatch(/^IC_/);
    expect(c.html_url).toContain(`#issuecomment-${c.id}`);
    expect(c.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const page1 = await fetch(`${gh.apiUrl}/repos/acme/app/issues/7/comments?per_page=2`, { headers: auth });
    expect(page1.status).toBe(200);
    expect(((await page1.json()) as unknown[]).length).toBe(2);
    const link = page1.headers.get('link')!;
    expect(link).toContain('rel="next"');
    expect(link).toContain('page=3>; rel="last"');
    const next = /<([^>]+)>; rel="next"/.exec(link)![1]!;
    const page2 = await fetch(next, { headers: auth });
    expect(((await page2.json()) as Array<{ body: string }>).map((x) => x.body)).toEqual(['old 3', 'old 4']);
    const page3 = await fetch(`${gh.apiUrl}/repos/acme/app/issues/7/comments?per_page=2&page=3`, { headers: auth });
    const last = (await page3.json()) as Array<{ id: number }>;
    expect(last.map((x) => x.id)).toEqual([gh.comments[4]!.id, c.id]);
    expect(page3.headers.get('link')).not.toContain('rel="next"');

    const patched = await fetch(`${gh.apiUrl}/repos/acme/app/issues/comments/${c.id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ body: 'updated' }) });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { body: string }).body).toBe('updated');
    expect(gh.comments.find((x) => x.id === c.id)).toMatchObject({ body: 'updated', issueNumber: 7, repo: 'acme/app' });
  });

  it('answers 404 for unknown comments and 422 without a body', async () => {
    expect((await fetch(`${gh.apiUrl}/repos/acme/app/issues/comments/1`, { method: 'PATCH', headers: auth, body: '{"body":"x"}' })).status).toBe(404);
    expect((await fetch(`${gh.apiUrl}/repos/acme/app/issues/7/comments`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(422);
  });

  it('applies fault rules to comments', async () => {
    gh.setFaults([{ endpoint: 'comments', times: 1, status: 502 }]);
    expect((await fetch(`${gh.apiUrl}/repos/acme/app/issues/7/comments`, { headers: auth })).status).toBe(502);
    expect((await fetch(`${gh.apiUrl}/repos/acme/app/issues/7/comments`, { headers: auth })).status).toBe(200);
    gh.setFaults([]);
  });
});

describe('GitHub emulator: who a token is', () => {
  let gh: GitHubEmulator;
  const headers = (token: string) => ({ Authorization: `token ${token}`, 'Content-Type': 'application/json' });
  beforeAll(async () => {
    gh = await startGitHubEmulator({ tokenUsers: { ghp_alice: { login: 'alice' } } });
    gh.openPullRequest({ repo: 'acme/app', number: 3, headSha: 'a'.repeat(40) });
  });
  afterAll(async () => {
    await gh.close();
  });

  it('refuses GET /user to the workflow token, as github.com does for installation tokens', async () => {
    const res = await fetch(`${gh.apiUrl}/user`, { headers: headers('ghs_workflow') });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    expect((await fetch(`${gh.apiUrl}/user`)).status).toBe(401);
  });

  it('answers GET /user for a personal token with its login', async () => {
    expect(await (await fetch(`${gh.apiUrl}/user`, { headers: headers('ghp_alice') })).json()).toMatchObject({ login: 'alice', type: 'User' });
    expect(await (await fetch(`${gh.apiUrl}/user`, { headers: headers('ghp_other') })).json()).toMatchObject({ login: 'octocat', type: 'User' });
  });

  it('records each comment with the user of the token that posted it, and seeds comments by others', async () => {
    const post = (token: string) => fetch(`${gh.apiUrl}/repos/acme/app/issues/3/comments`, { method: 'POST', headers: headers(token), body: JSON.stringify({ body: token }) });
    expect(((await (await post('ghs_workflow')).json()) as { user: unknown }).user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
    expect(((await (await post('ghp_alice')).json()) as { user: unknown }).user).toMatchObject({ login: 'alice', type: 'User' });
    const seeded = gh.addComment({ repo: 'acme/app', issueNumber: 3, body: 'by mallory', user: { login: 'mallory', type: 'User' } });
    const listed = (await (await fetch(`${gh.apiUrl}/repos/acme/app/issues/3/comments`, { headers: headers('ghs_workflow') })).json()) as Array<{
      id: number;
      body: string;
      user: { login: string };
    }>;
    expect(listed.map((c) => [c.body, c.user.login])).toEqual([
      ['ghs_workflow', 'github-actions[bot]'],
      ['ghp_alice', 'alice'],
      ['by mallory', 'mallory'],
    ]);
    expect(listed.at(-1)!.id).toBe(seeded.id);
  });
});

describe('GitHub emulator: pull requests', () => {
  let gh: GitHubEmulator;
  beforeAll(async () => {
    gh = await startGitHubEmulator();
  });
  afterAll(async () => {
    await gh.close();
  });
  const get = (path: string) => fetch(`${gh.apiUrl}${path}`, { headers: { Authorization: 'token ghs_x' } });

  it('GET /repos/{o}/{r}/pulls/{n} answers the head as it is now; an unknown PR is 404', async () => {
    gh.openPullRequest({ repo: 'acme/infra', number: 5, headSha: 'a'.repeat(40) });
    expect(((await (await get('/repos/acme/infra/pulls/5')).json()) as { head: { sha: string } }).head.sha).toBe('a'.repeat(40));
    gh.pushToPullRequest('acme/infra', 5, 'c'.repeat(40));
    expect(((await (await get('/repos/acme/infra/pulls/5')).json()) as { head: { sha: string } }).head.sha).toBe('c'.repeat(40));
    expect((await get('/repos/acme/infra/pulls/6')).status).toBe(404);
  });

  it('models a fork: head.repo is another repository (or null when deleted); the pull_request_target event carries it', () => {
    gh.openPullRequest({ repo: 'acme/infra', number: 8, headSha: 'a'.repeat(40), fork: true });
    const event = gh.pullRequestEvent('acme/infra', 8, 'pull_request_target') as {
      name: string;
      payload: { pull_request: { head: { repo: { full_name: string; fork: boolean } }; base: { repo: { full_name: string } } } };
    };
    expect(event.name).toBe('pull_request_target');
    expect(event.payload.pull_request.head.repo).toMatchObject({ full_name: 'forker/infra', fork: true });
    expect(event.payload.pull_request.base.repo.full_name).toBe('acme/infra');
    gh.openPullRequest({ repo: 'acme/infra', number: 9, headSha: 'a'.repeat(40), headRepo: null });
    expect((gh.pullRequestEvent('acme/infra', 9).payload as { pull_request: { head: { repo: unknown } } }).pull_request.head.repo).toBeNull();
  });
});

describe("GitHub emulator: GitHub's limits and the workflow token's permissions", () => {
  let gh: GitHubEmulator;
  let narrow: GitHubEmulator;
  beforeAll(async () => {
    gh = await startGitHubEmulator();
    narrow = await startGitHubEmulator({ permissions: { 'pull-requests': 'read', deployments: 'read', checks: 'read' } });
    for (const emu of [gh, narrow]) emu.openPullRequest({ repo: 'acme/infra', number: 1, headSha: 'a'.repeat(40) });
  });
  afterAll(async () => {
    await Promise.all([gh.close(), narrow.close()]);
  });
  const post = (emu: GitHubEmulator, path: string, body: unknown, method = 'POST') =>
    fetch(`${emu.apiUrl}${path}`, { method, headers: { Authorization: 'token ghs_workflow', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('answers 422 to a comment over 65,536 characters, and takes one of 65,536', async () => {
    expect((await post(gh, '/repos/acme/infra/issues/1/comments', { body: 'x'.repeat(65_537) })).status).toBe(422);
    expect((await post(gh, '/repos/acme/infra/issues/1/comments', { body: 'x'.repeat(65_536) })).status).toBe(201);
  });

  it('answers 422 to more than 50 annotations per request or a text field over 65,535 characters', async () => {
    const annotation = { path: 'a', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'm' };
    const run = (output: unknown) => post(gh, '/repos/acme/infra/check-runs', { name: 'n', head_sha: 'a'.repeat(40), conclusion: 'success', output });
    expect((await run({ title: 't', summary: 's', annotations: Array(51).fill(annotation) })).status).toBe(422);
    expect((await run({ title: 't', summary: 's'.repeat(65_536) })).status).toBe(422);
    const created = await run({ title: 't', summary: 's', annotations: Array(50).fill(annotation) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect((await post(gh, `/repos/acme/infra/check-runs/${id}`, { output: { title: 't', summary: 's', annotations: [annotation] } }, 'PATCH')).status).toBe(200);
    expect(gh.checkRuns.get(id)!.annotations).toHaveLength(51);
    expect((await post(gh, '/repos/acme/infra/check-runs/999', { output: { title: 't', summary: 's' } }, 'PATCH')).status).toBe(404);
  });

  it('answers 422 to a deployment status description over 140 characters, 404 to an unknown deployment', async () => {
    const created = await post(gh, '/repos/acme/infra/deployments', { ref: 'a'.repeat(40), environment: 'production', auto_merge: false, required_contexts: [] });
    const { id } = (await created.json()) as { id: number };
    expect((await post(gh, `/repos/acme/infra/deployments/${id}/statuses`, { state: 'success', description: 'd'.repeat(141) })).status).toBe(422);
    expect((await post(gh, `/repos/acme/infra/deployments/${id}/statuses`, { state: 'success', description: 'd'.repeat(140) })).status).toBe(201);
    expect((await post(gh, '/repos/acme/infra/deployments/1/statuses', { state: 'success' })).status).toBe(404);
  });

  it('answers 403 to a workflow token without the write permission', async () => {
    expect((await post(narrow, '/repos/acme/infra/issues/1/comments', { body: 'x' })).status).toBe(403);
    expect((await post(narrow, '/repos/acme/infra/deployments', { ref: 'main' })).status).toBe(403);
    expect((await post(narrow, '/repos/acme/infra/check-runs', { name: 'n', head_sha: 'a'.repeat(40) })).status).toBe(403);
  });
});

describe('GitHub emulator: existence, the ghost user and full objects', () => {
  let gh: GitHubEmulator;
  const headers = (token: string) => ({ Authorization: `token ${token}`, 'Content-Type': 'application/json' });
  beforeAll(async () => {
    gh = await startGitHubEmulator({ tokenUsers: { ghp_alice: { login: 'alice' } } });
    gh.openPullRequest({ repo: 'acme/infra', number: 5, headSha: 'a'.repeat(40), fork: true });
  });
  afterAll(async () => {
    await gh.close();
  });

  it("answers GitHub's 404 body for a repository, issue or pull request that does not exist", async () => {
    const notFound = { message: 'Not Found', documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//), status: '404' };
    for (const [method, path] of [
      ['GET', '/repos/acme/nope/issues/5/comments'],
      ['POST', '/repos/acme/nope/issues/5/comments'],
      ['GET', '/repos/acme/infra/issues/6/comments'],
      ['POST', '/repos/acme/infra/issues/6/comments'],
      ['GET', '/repos/acme/nope/pulls/5'],
      ['GET', '/repos/acme/infra/pulls/6'],
      ['GET', `/repos/acme/nope/commits/${'a'.repeat(40)}/pulls`],
      ['POST', '/repos/acme/nope/deployments'],
      ['POST', '/repos/acme/nope/check-runs'],
    ]) {
      const res = await fetch(`${gh.apiUrl}${path}`, { method, headers: headers('ghs_workflow'), body: method === 'POST' ? JSON.stringify({ body: 'x' }) : undefined });
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.json()).toEqual(notFound);
    }
    // A repository a test adds, or seeds a comment in, exists.
    gh.addRepository('acme/other');
    expect((await fetch(`${gh.apiUrl}/repos/acme/other/commits/${'a'.repeat(40)}/pulls`, { headers: headers('ghs_workflow') })).status).toBe(200);
  });

  it('lists a comment by a deleted account with `user: null`, as GitHub does', async () => {
    gh.addComment({ repo: 'acme/infra', issueNumber: 5, body: 'by someone since deleted', user: null });
    const listed = (await (await fetch(`${gh.apiUrl}/repos/acme/infra/issues/5/comments`, { headers: headers('ghs_workflow') })).json()) as Array<{
      user: unknown;
      author_association: string;
    }>;
    expect(listed.at(-1)).toMatchObject({ user: null, author_association: 'NONE' });
  });

  it("answers /user, pull requests and comments with every field GitHub's description requires", async () => {
    const user = (await (await fetch(`${gh.apiUrl}/user`, { headers: headers('ghp_alice') })).json()) as Record<string, unknown>;
    expect(user).toMatchObject({ login: 'alice', type: 'User', two_factor_authentication: true, plan: { name: 'free' } });
    const pull = (await (await fetch(`${gh.apiUrl}/repos/acme/infra/pulls/5`, { headers: headers('ghs_workflow') })).json()) as {
      head: { repo: { full_name: string; id: number } };
      base: { repo: { full_name: string; id: number } };
    };
    expect([pull.head.repo.full_name, pull.base.repo.full_name]).toEqual(['forker/infra', 'acme/infra']);
    await fetch(`${gh.apiUrl}/repos/acme/infra/issues/5/comments`, { method: 'POST', headers: headers('ghp_alice'), body: JSON.stringify({ body: 'hi' }) });
    await fetch(`${gh.apiUrl}/repos/acme/infra/commits/${'a'.repeat(40)}/pulls`, { headers: headers('ghs_workflow') });
    const answered = gh.requests.filter((r) => r.status === 200 || r.status === 201).map((r) => `${r.method} ${r.path.replace(/\d+/g, 'N')}`);
    for (const call of ['GET /user', 'GET /repos/acme/infra/pulls/N', 'POST /repos/acme/infra/issues/N/comments', 'GET /repos/acme/infra/issues/N/comments'])
      expect(answered).toContain(call);
    // The description documents no 404 for a repository that does not exist on some of these operations (GitHub answers one).
    expect(githubContractViolations(gh.requests, (path) => !path.startsWith('/repos/acme/nope/'))).toEqual([]);
  });
});

describe("GitHub emulator: each workflow token's own permissions", () => {
  it('a token issued read-only is refused writes (403) while the default workflow token may write', async () => {
    const standIns = await startStandIns();
    try {
      const gh = standIns.github;
      gh.openPullRequest({ repo: 'acme/infra', number: 1, headSha: 'a'.repeat(40), fork: true });
      const post = (token: string) =>
        fetch(`${gh.apiUrl}/repos/acme/infra/issues/1/comments`, { method: 'POST', headers: { Authorization: `token ${token}` }, body: JSON.stringify({ body: 'x' }) });
      const readOnly = gh.workflowToken({ 'pull-requests': 'read' });
      expect(readOnly).toMatch(/^ghs_/);
      expect(await (await post(readOnly)).json()).toMatchObject({ message: 'Resource not accessible by integration', status: '403' });
      expect((await post('ghs_default')).status).toBe(201);
      // Reading pull requests and their comments needs pull-requests: read at least.
      const read = (token: string) => fetch(`${gh.apiUrl}/repos/acme/infra/pulls/1`, { headers: { Authorization: `token ${token}` } });
      expect((await read(readOnly)).status).toBe(200);
      expect((await read(gh.workflowToken({ 'pull-requests': 'none' }))).status).toBe(403);
      expect((await read(gh.workflowToken({ checks: 'write' }))).status).toBe(403);

      // A pull_request run from a fork gets such a token and no ID token; pull_request_target gets both.
      const forkEnv = standIns.envFor(gh.pullRequestEvent('acme/infra', 1, 'pull_request'));
      expect(forkEnv.ACTIONS_ID_TOKEN_REQUEST_URL).toBeUndefined();
      expect((await post(forkEnv.GITHUB_TOKEN!)).status).toBe(403);
      expect(standIns.envFor(gh.pullRequestEvent('acme/infra', 1, 'pull_request_target'))).toEqual(standIns.env);
      gh.openPullRequest({ repo: 'acme/infra', number: 2, headSha: 'a'.repeat(40) });
      expect(standIns.envFor(gh.pullRequestEvent('acme/infra', 2, 'pull_request'))).toEqual(standIns.env);
    } finally {
      await standIns.close();
    }
  });
});

// The event payloads the stand-ins write to GITHUB_EVENT_PATH, checked against GitHub's official
// webhook schemas (spec/github-webhooks.trimmed.json): every required field, a fork's head
// repository apart from the base one.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/server.mjs';
import { envSeen, runFixture } from '../runner/helpers.js';
import { eventPayloadViolations, webhookOf } from '../support/webhook-contract.js';

const EVENTS = ['push', 'pull_request', 'pull_request_target', 'merge_group', 'workflow_dispatch'] as const;

describe('the payload the runner emulator writes when a test gives none', () => {
  it.each(EVENTS)('%s has every field its webhook schema requires', async (name) => {
    const run = await runFixture({ inputs: { who: 'x' }, event: { name } });
    const env = envSeen(run);
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, 'utf8')) as Record<string, unknown>;
    expect(eventPayloadViolations(name, payload)).toEqual([]);
    if (name === 'merge_group') {
      // The runner takes a merge group's ref and commit from the payload, as GitHub does.
      const group = payload.merge_group as { head_ref: string; head_sha: string };
      expect([env.GITHUB_REF, env.GITHUB_SHA]).toEqual([group.head_ref, group.head_sha]);
      expect(group.head_ref).toMatch(/^refs\/heads\/gh-readonly-queue\/main\/pr-7-/);
    }
  });
});

describe("the GitHub stand-in's pull request events", () => {
  let gh: GitHubEmulator;
  beforeAll(async () => {
    gh = await startGitHubEmulator();
  });
  afterAll(async () => {
    await gh.close();
  });

  it('a pull request from a branch of the repository: head.repo and base.repo are the same repository', () => {
    gh.openPullRequest({ repo: 'acme/infra', number: 1, headSha: 'a'.repeat(40) });
    gh.pushToPullRequest('acme/infra', 1, 'b'.repeat(40));
    const { payload } = gh.pullRequestEvent('acme/infra', 1);
    expect(eventPayloadViolations('pull_request', payload as never)).toEqual([]);
    expect(payload).toMatchObject({ before: 'a'.repeat(40), after: 'b'.repeat(40) });
    expect(payload.pull_request.head.repo).toEqual(payload.pull_request.base.repo);
  });

  it('a pull request from a fork: head.repo is another repository, a fork, owned by another user', () => {
    gh.openPullRequest({ repo: 'acme/infra', number: 2, headSha: 'a'.repeat(40), fork: true });
    for (const name of ['pull_request', 'pull_request_target'] as const) {
      const { payload } = gh.pullRequestEvent('acme/infra', 2, name);
      expect(eventPayloadViolations(name, payload as never)).toEqual([]);
      const { head, base } = payload.pull_request;
      expect(head.repo).toMatchObject({ full_name: 'forker/infra', fork: true, owner: { login: 'forker', type: 'User' } });
      expect(base.repo).toMatchObject({ full_name: 'acme/infra', fork: false, owner: { login: 'acme', type: 'Organization' } });
      expect(head.repo.id).not.toBe(base.repo.id);
      expect(head.label).toBe('forker:feature/infra');
      expect(payload.pull_request.user.login).toBe('forker');
    }
  });

  it('a pull request whose fork was deleted: head.repo is null, as GitHub sends it', () => {
    gh.openPullRequest({ repo: 'acme/infra', number: 3, headSha: 'a'.repeat(40), headRepo: null });
    const { payload } = gh.pullRequestEvent('acme/infra', 3);
    expect(payload.pull_request.head.repo).toBeNull();
    expect(eventPayloadViolations('pull_request', payload as never)).toEqual([]);
  });
});

describe('the payload check itself', () => {
  it('names the webhook of each event; pull_request_target is sent the pull_request payload', () => {
    expect(webhookOf('pull_request_target', { action: 'synchronize' })).toBe('pull-request-synchronize');
    expect(webhookOf('merge_group', { action: 'checks_requested' })).toBe('merge-group-checks-requested');
    expect(webhookOf('workflow_dispatch', {})).toBe('workflow-dispatch');
    expect(eventPayloadViolations('pull_request', { action: 'closed' })).toEqual(["pull_request: no webhook 'pull-request-closed' in spec/github-webhooks.trimmed.json"]);
  });

  it('rejects a payload that lacks a required field, however deep', async () => {
    const gh = await startGitHubEmulator();
    try {
      gh.openPullRequest({ repo: 'acme/infra', number: 4, headSha: 'a'.repeat(40), fork: true });
      const { payload } = gh.pullRequestEvent('acme/infra', 4);
      const { sha: _sha, ...head } = payload.pull_request.head;
      const { owner: _owner, ...repo } = payload.repository;
      expect(eventPayloadViolations('pull_request', { ...payload, pull_request: { ...payload.pull_request, head } })).toEqual([
        "pull_request payload/pull_request/head must have required property 'sha'",
      ]);
      expect(eventPayloadViolations('pull_request', { ...payload, repository: repo })).toEqual(["pull_request payload/repository must have required property 'owner'"]);
      // What the stand-in wrote before: a handful of fields.
      const thin = { action: 'synchronize', number: 4, pull_request: { number: 4, head: { sha: 'a'.repeat(40) } }, repository: { full_name: 'acme/infra' } };
      expect(eventPayloadViolations('pull_request', thin).length).toBeGreaterThan(95);
    } finally {
      await gh.close();
    }
  });
});

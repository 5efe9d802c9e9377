import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../emulators/pulumi-cloud/scenarios.mjs';
import { cleanupRuns, errorOf, requestsTo, runE2E, startEmulators, type Emulators } from '../support/harness.js';

const REPO = 'acme/infra';
const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const AWS = { 'aws-role-arn': 'arn:aws:iam::123456789012:role/deploy', 'aws-session-name': 'ci' };

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators({ timeScale: 10 });
});
afterAll(async () => {
  cleanupRuns();
  await emu.close();
});

const createdCommit = (since: number) => {
  const body = requestsTo(emu.cloud, 'create').slice(since).at(-1)?.body as { sourceContext?: { git?: { commit?: string; branch?: string } } } | undefined;
  return body?.sourceContext?.git;
};

describe('pull requests from forks (pull_request_target, as GitHub writes its payload)', () => {
  const forkEvent = (number: number) => {
    emu.github.openPullRequest({ repo: REPO, number, headSha: HEAD, baseSha: BASE, fork: true });
    return emu.github.pullRequestEvent(REPO, number, 'pull_request_target');
  };
  const run = (number: number, inputs: Record<string, string>) =>
    runE2E(emu, { event: forkEvent(number), env: { GITHUB_REPOSITORY: REPO }, inputs: { stack: 'app/dev', operation: 'preview', ...AWS, ...inputs } });

  it('deploys the base commit by default, with the cloud role', async () => {
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/app/dev');
    const since = requestsTo(emu.cloud, 'create').length;
    const result = await run(301, {});
    expect(errorOf(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(createdCommit(since)).toMatchObject({ commit: BASE });
  });

  it("refuses to send the fork's head with the cloud role, in one line naming allow-fork-code, before any network call", async () => {
    const before = emu.cloud.requests.length;
    for (const source of [{ commit: HEAD }, { branch: 'feature/infra' }] as Record<string, string>[]) {
      const result = await run(302, source);
      expect(result.exitCode).toBe(1);
      expect(errorOf(result)).toMatch(
        /^Input 'allow-fork-code': is false, and this pull_request_target run would deploy a fork's code with aws-role-arn: the fork's code would run with your organization's cloud credentials\./,
      );
    }
    expect(emu.cloud.requests.length).toBe(before);
  });

  it('deploys the head when allow-fork-code is true', async () => {
    emu.cloud.setScenario(scenarios.previewNoChanges, 'acme/app/dev');
    const since = requestsTo(emu.cloud, 'create').length;
    const result = await run(303, { commit: HEAD, 'allow-fork-code': 'true' });
    expect(result.exitCode).toBe(0);
    expect(createdCommit(since)).toMatchObject({ commit: HEAD });
  });
});

describe('pull requests from forks (pull_request): GitHub gives the run no ID token and a read-only GITHUB_TOKEN', () => {
  it('fails at login with one error naming id-token: write, before any call to Pulumi Cloud, and writes nothing to GitHub', async () => {
    emu.github.openPullRequest({ repo: REPO, number: 304, headSha: HEAD, baseSha: BASE, fork: true });
    const cloudBefore = emu.cloud.requests.length;
    const githubBefore = emu.github.requests.length;
    const result = await runE2E(emu, {
      event: emu.github.pullRequestEvent(REPO, 304, 'pull_request'),
      env: { GITHUB_REPOSITORY: REPO },
      inputs: { stack: 'app/dev', operation: 'preview', 'comment-on-pr': 'true' },
    });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result).split('\n')).toEqual([expect.stringContaining('permissions: id-token: write')]);
    expect(errorOf(result)).toContain('Pull requests from forks and Dependabot runs never get an ID token.');
    expect(emu.cloud.requests.length).toBe(cloudBefore);
    expect(emu.github.requests.slice(githubBefore).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(emu.github.comments.filter((c) => c.issueNumber === 304)).toEqual([]);
  });
});

describe('the PR comment is about one commit', () => {
  const event = (number: number) => {
    emu.github.openPullRequest({ repo: REPO, number, headSha: HEAD });
    return emu.github.pullRequestEvent(REPO, number, 'pull_request');
  };
  const comments = (number: number) => emu.github.comments.filter((c) => c.issueNumber === number && c.repo === REPO);

  it('names the commit it reports on', async () => {
    emu.cloud.setScenario(scenarios.previewWithChanges, 'acme/app/dev');
    const result = await runE2E(emu, { event: event(401), env: { GITHUB_REPOSITORY: REPO }, inputs: { stack: 'app/dev', operation: 'preview', 'comment-on-pr': 'true' } });
    expect(result.exitCode).toBe(0);
    expect(comments(401)[0]!.body).toContain(`commit \`${HEAD.slice(0, 7)}\``);
  });

  it('posts nothing when the PR head moved on while the run was going, and says why', async () => {
    emu.cloud.setScenario(scenarios.previewWithChanges, 'acme/app/dev');
    const newer = 'c'.repeat(40);
    const result = await runE2E(emu, {
      event: event(402),
      env: { GITHUB_REPOSITORY: REPO },
      inputs: { stack: 'app/dev', operation: 'preview', 'comment-on-pr': 'true' },
      // A newer commit is pushed while the deployment runs.
      onStdoutLine: (line) => {
        if (line.includes('created:')) emu.github.pushToPullRequest(REPO, 402, newer);
      },
    });
    expect(result.exitCode).toBe(0);
    expect(comments(402)).toEqual([]);
    expect(result.jobLog).toContain(`No PR comment posted: pull request #402 has moved on to commit ${newer} since this run's ${HEAD}`);
  });

  it('prints the verdict line before any GitHub call, and keeps the step failing while GitHub is slow', async () => {
    emu.cloud.setScenario(scenarios.failsInUpdateStep, 'acme/app/dev');
    emu.github.setFaults([{ endpoint: ['pulls', 'comments', 'user'], delayMs: 1_500 }]);
    let verdictAt = 0;
    try {
      const result = await runE2E(emu, {
        event: event(403),
        env: { GITHUB_REPOSITORY: REPO },
        inputs: { stack: 'app/dev', operation: 'update', 'comment-on-pr': 'true' },
        onStdoutLine: (line, _at, { atEpochMs }) => {
          if (!verdictAt && /^::error::Deployment \S+ failed/.test(line)) verdictAt = atEpochMs;
        },
      });
      expect(result.exitCode).toBe(1);
      const firstGitHubCall = emu.github.requests.find((r) => r.endpoint === 'pulls' && r.path.endsWith('/pulls/403'));
      expect(verdictAt).toBeGreaterThan(0);
      expect(firstGitHubCall).toBeDefined();
      // Before GitHub's first (delayed) answer could come back; without the fix it came after all of them.
      expect(verdictAt).toBeLessThan(firstGitHubCall!.at + 1_500);
    } finally {
      emu.github.setFaults([]);
    }
  });
});

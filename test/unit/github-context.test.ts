import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGitHubContext, triggeringCommit } from '../../src/runner-io/github-context.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function contextFor(eventName: string, payload: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'context-test-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'event.json'), JSON.stringify(payload));
  return readGitHubContext({ GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: join(dir, 'event.json'), GITHUB_REPOSITORY: 'acme/infra', GITHUB_SHA: 'b'.repeat(40) });
}
const pr = (headRepo: unknown) => ({ pull_request: { number: 7, head: { sha: 'a'.repeat(40), repo: headRepo }, base: { repo: { full_name: 'acme/infra' } } } });

describe('readGitHubContext: forks', () => {
  it('a head repository other than this one, or none (a deleted fork), is a fork', () => {
    expect(contextFor('pull_request_target', pr({ full_name: 'forker/infra' })).fromFork).toBe(true);
    expect(contextFor('pull_request_target', pr(null)).fromFork).toBe(true);
    expect(contextFor('pull_request_target', pr({ full_name: 'ACME/Infra' })).fromFork).toBe(false);
    expect(contextFor('workflow_run', { workflow_run: { head_repository: { full_name: 'forker/infra' } } }).fromFork).toBe(true);
    expect(contextFor('workflow_run', { workflow_run: { head_repository: { full_name: 'acme/infra' } } }).fromFork).toBe(false);
    expect(contextFor('push', {}).fromFork).toBe(false);
  });
  it('the triggering commit is the PR head on pull_request and the base (GITHUB_SHA) on pull_request_target and workflow_run', () => {
    expect(triggeringCommit(contextFor('pull_request', pr({ full_name: 'forker/infra' })))).toBe('a'.repeat(40));
    expect(triggeringCommit(contextFor('pull_request_target', pr({ full_name: 'forker/infra' })))).toBe('b'.repeat(40));
    expect(triggeringCommit(contextFor('workflow_run', { workflow_run: { head_sha: 'c'.repeat(40) } }))).toBe('b'.repeat(40));
  });
});

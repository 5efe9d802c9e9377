import { readFileSync } from 'node:fs';

/** What the action needs to know about the workflow run, read from the runner's env and event payload. */
export interface GitHubContext {
  serverUrl: string;
  apiUrl: string;
  repository: string;
  sha: string;
  ref: string;
  eventName: string;
  runId: string;
  runAttempt: string;
  /** Head SHA on pull_request events (GITHUB_SHA is the merge commit there). */
  pullRequestHeadSha?: string;
  pullRequestNumber?: number;
  /**
   * The code that triggered the run comes from a fork (its head repository is not this one, or is
   * gone), on pull_request, pull_request_target and workflow_run events.
   */
  fromFork: boolean;
}

type Env = Record<string, string | undefined>;

export function readGitHubContext(env: Env = process.env): GitHubContext {
  const payload = readEventPayload(env.GITHUB_EVENT_PATH);
  const pullRequest = payload?.pull_request as { number?: unknown; head?: { sha?: unknown; repo?: unknown } } | undefined;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const workflowRun = payload?.workflow_run as { head_repository?: unknown } | undefined;
  return {
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    repository,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    pullRequestHeadSha: typeof pullRequest?.head?.sha === 'string' ? pullRequest.head.sha : undefined,
    pullRequestNumber: typeof pullRequest?.number === 'number' ? pullRequest.number : undefined,
    fromFork: pullRequest ? isFork(pullRequest.head?.repo, repository) : workflowRun ? isFork(workflowRun.head_repository, repository) : false,
  };
}

function readEventPayload(path: string | undefined): Record<string, unknown> | undefined {
  if (!path) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A head repository other than this one; a missing one (a deleted fork) counts as a fork. */
function isFork(headRepo: unknown, repository: string): boolean {
  const name = (headRepo as { full_name?: unknown } | null | undefined)?.full_name;
  return typeof name !== 'string' || name.toLowerCase() !== repository.toLowerCase();
}

/**
 * Events that run with the base repository's secrets and permissions on behalf of a pull request:
 * their default source is the base repository's commit (GITHUB_SHA), as actions/checkout does.
 */
export const PRIVILEGED_PR_EVENTS = ['pull_request_target', 'workflow_run'];

/** The commit a workflow run is about: the PR head on pull_request events; GITHUB_SHA on the privileged ones. */
export function triggeringCommit(context: GitHubContext): string | undefined {
  if (PRIVILEGED_PR_EVENTS.includes(context.eventName)) return context.sha || undefined;
  return context.pullRequestHeadSha || context.sha || undefined;
}

export function workflowRepoUrl(context: GitHubContext): string | undefined {
  return context.repository ? `${context.serverUrl}/${context.repository}.git` : undefined;
}

export const NO_ID_TOKEN_MESSAGE =
  'GitHub gave this job no OIDC ID token (ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). ' +
  'Add `permissions: id-token: write` to the workflow or job. Pull requests from forks and Dependabot runs never get an ID token.';

/** Where the runner hands out GitHub ID tokens; absent without `permissions: id-token: write`. */
export interface IdTokenRequestEnv {
  url: string;
  token: string;
}

export function idTokenRequestEnv(env: Env = process.env): IdTokenRequestEnv | undefined {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  return url && token ? { url, token } : undefined;
}

import type { GitHubContext } from '../runner-io/github-context.js';
import { boundedOctokit, checked, failedStatus, type GitHubCallBounds, type Octokit } from '../github/client.js';
import * as answers from '../github/schemas.js';
import type { CommentAction } from './comment-decision.js';
import type { CommentText } from './comment-body.js';

export interface CommentRequest {
  token: string;
  context: GitHubContext;
  text: CommentText;
  /** What to do, knowing whether our comment is already there (comment-on-pr: changes). Default: create or update. */
  decide?: (existingComment: boolean) => CommentAction;
  bounds: GitHubCallBounds;
}

export interface CommentAuthor {
  login: string;
  type?: string;
}

/** Who the token comments as. The workflow token may not read GET /user: its comments are by github-actions[bot]. */
export const WORKFLOW_TOKEN_AUTHOR: CommentAuthor = { login: 'github-actions[bot]', type: 'Bot' };

export async function commentAuthor(octokit: Octokit): Promise<CommentAuthor> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    checked('GET /user', data, answers.authenticatedUser);
    return { login: data.login, type: data.type };
  } catch (error) {
    // 403 "Resource not accessible by integration": an installation token (the default GITHUB_TOKEN).
    if (failedStatus(error) === 403) return WORKFLOW_TOKEN_AUTHOR;
    throw error;
  }
}

/** Ours: starts with the marker of these stacks AND was written by the token's own user. Anyone can copy a marker. */
export function isOurComment(comment: { body?: string | null; user?: { login?: string; type?: string } | null }, marker: string, author: CommentAuthor): boolean {
  const user = comment.user;
  if (!user?.login || !comment.body?.startsWith(`${marker}\n`)) return false;
  if (user.login.toLowerCase() !== author.login.toLowerCase()) return false;
  return !author.type || !user.type || user.type === author.type;
}

/**
 * The pull request a pushed commit belongs to (GET /repos/{o}/{r}/commits/{sha}/pulls): the first
 * open one, else the first (a merged one, for a commit on the default branch); undefined when none.
 */
export async function pullRequestOfCommit(token: string, context: GitHubContext, sha: string, bounds: GitHubCallBounds): Promise<number | undefined> {
  const [owner, repo] = context.repository.split('/');
  if (!owner || !repo || !SHA.test(sha)) return undefined;
  const octokit = boundedOctokit(token, context.apiUrl, bounds);
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 100 });
  const pulls = checked(`GET /repos/${owner}/${repo}/commits/${sha}/pulls`, data, answers.commitPulls);
  return (pulls.find((p) => p.state === 'open') ?? pulls[0])?.number;
}

export type CommentResult = { action: 'created' | 'updated' | 'skipped'; url: string } | { action: 'outdated'; headSha: string };

const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * Creates the step's comment on the pull request, or updates our own one in place when it
 * exists; unless the pull request's head has moved on from the commit this run is for, so a
 * slower run for an older commit never replaces the report of a newer one.
 */
export async function upsertComment({ token, context, text, decide, bounds }: CommentRequest): Promise<CommentResult> {
  const [owner, repo] = context.repository.split('/');
  const issueNumber = context.pullRequestNumber;
  if (!owner || !repo || issueNumber === undefined) throw new Error('no repository or pull request number in the workflow context');
  const octokit = boundedOctokit(token, context.apiUrl, bounds);
  const { marker, body } = text;
  const runHead = context.pullRequestHeadSha;
  if (runHead !== undefined) {
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: issueNumber });
    const headSha: unknown = pull.head?.sha;
    if (typeof headSha !== 'string' || !SHA.test(headSha)) throw new Error("GitHub's answer for the pull request has no head commit");
    if (headSha.toLowerCase() !== runHead.toLowerCase()) return { action: 'outdated', headSha };
  }
  const author = await commentAuthor(octokit);

  const comments = checked(
    `GET /repos/${owner}/${repo}/issues/${issueNumber}/comments`,
    await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
    answers.comments,
  );
  // The newest of ours, if an earlier run left more than one.
  const existing = comments.filter((comment) => isOurComment(comment, marker, author)).at(-1);
  const action = decide?.(existing !== undefined) ?? (existing ? 'update' : 'create');
  if (action === 'skip') return { action: 'skipped', url: '' };
  // 'update-no-changes': the report itself says there are no changes now.
  if (existing) {
    const { data: updated } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: 'updated', url: checked(`PATCH /repos/${owner}/${repo}/issues/comments/${existing.id}`, updated, answers.writtenComment).html_url };
  }
  const { data: created } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { action: 'created', url: checked(`POST /repos/${owner}/${repo}/issues/${issueNumber}/comments`, created, answers.writtenComment).html_url };
}

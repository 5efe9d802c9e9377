import { getOctokit } from '@actions/github';
import type { GitHubContext } from '../github-context.js';
import { renderReport, type ReportData } from './markdown.js';

export interface CommentRequest {
  token: string;
  context: GitHubContext;
  data: ReportData;
}

/** Invisible marker naming the stack, so each stack (and workflow) keeps its own comment. */
export const commentMarker = (stack: string): string => `<!-- pulumi-cloud-deploy-action stack=${stack} -->`;

/** Creates this stack's comment on the pull request, or updates it in place when it exists. */
export async function upsertStackComment({ token, context, data }: CommentRequest): Promise<{ action: 'created' | 'updated'; url: string }> {
  const [owner, repo] = context.repository.split('/');
  const issueNumber = context.pullRequestNumber;
  if (!owner || !repo || issueNumber === undefined) throw new Error('no repository or pull request number in the workflow context');
  const octokit = getOctokit(token, { baseUrl: context.apiUrl });
  const marker = commentMarker(data.stack);
  const body = `${marker}\n${renderReport(data, 60_000 - marker.length - 1)}`;

  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  const existing = comments.find((comment) => comment.body?.startsWith(marker));
  if (existing) {
    const { data: updated } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: 'updated', url: updated.html_url };
  }
  const { data: created } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { action: 'created', url: created.html_url };
}

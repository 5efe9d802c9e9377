// The PR comment's text: one comment for the step, whatever number of stacks it runs, found
// again by an invisible marker that names its stacks.
import { createHash } from 'node:crypto';
import { stackLabel } from '../domain/vocabulary.js';
import { MAX_MARKDOWN_CHARS } from './markdown.js';
import { renderStepReport } from './stacks-report.js';
import type { ReporterDeps } from './reporter.js';
import type { Judged } from './verdict.js';

/** GitHub refuses a comment body over this many characters (and then no report is posted at all). */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * The invisible first line that tells our comment for these stacks from any other: the stack
 * for one, a digest of the sorted stacks for several (50 names would not fit), so each set of
 * stacks (a step, or a workflow) keeps its own comment.
 */
export function commentMarker(stacks: string[]): string {
  if (stacks.length === 1) return `<!-- pulumi-cloud-deploy-action stack=${stacks[0]!.replace(/[<>]/g, '_')} -->`;
  const digest = createHash('sha256')
    .update([...stacks].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  return `<!-- pulumi-cloud-deploy-action stacks=${stacks.length}:${digest} -->`;
}

export interface CommentText {
  marker: string;
  /** The marker, then the step's report; '' when there is no report to post. */
  body: string;
}

/** The comment for the step: the marker, then every stack's report, together under MAX_MARKDOWN_CHARS (< 65,536). */
export function commentText(results: Judged[], deps: Pick<ReporterDeps, 'settings' | 'secrets' | 'context'>): CommentText {
  const marker = commentMarker(results.map((result) => stackLabel(result.outcome.stack)));
  const report = renderStepReport(results, deps, MAX_MARKDOWN_CHARS - marker.length - 1);
  const body = report ? `${marker}\n${report}` : '';
  if (body.length >= GITHUB_COMMENT_LIMIT) throw new Error(`the report is ${body.length} characters, over GitHub's limit`); // cannot happen; fail clearly if it does
  return { marker, body };
}

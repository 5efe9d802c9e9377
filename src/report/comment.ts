import { oneLine } from '../domain/input-error.js';
import { sanitizeLine } from '../runner-io/untrusted-text.js';
import { decideComment } from './comment-decision.js';
import type { Reporter, ReporterDeps } from './reporter.js';
import type { Clock } from '../runner-io/clock.js';
import type { GitHubCallBounds } from '../github/client.js';
import { commentText } from './comment-body.js';
import { stepHasChanges } from './verdict.js';

/** The PR comment of the step (comment-on-pr): one for all its stacks. The GitHub client loads only here. */
export function prCommentReporter(deps: ReporterDeps): Reporter {
  const { settings, log, clock } = deps;
  return {
    finished: async (results) => {
      const mode = settings.commentOnPr;
      if (mode === false) return;
      const text = commentText(results, deps);
      if (!text.body) return;
      let context = deps.context;
      if (context.pullRequestNumber === undefined && settings.prNumber === undefined && !PUSH_EVENTS.includes(context.eventName)) {
        log.info(`comment-on-pr is ${String(mode)} but this is a ${context.eventName || 'non-pull_request'} event: no comment posted (set pr-number to name the pull request).`);
        return;
      }
      if (!settings.githubToken) {
        log.warning('comment-on-pr is true but github-token is empty: no comment posted.');
        return;
      }
      if (context.pullRequestNumber === undefined || settings.prNumber !== undefined) {
        const found = await pullRequestOf(deps, settings.githubToken);
        if (found === undefined) return;
        // pr-number or a pushed commit's pull request: no run head to compare with the pull request's.
        context = { ...context, pullRequestNumber: found, pullRequestHeadSha: undefined };
      }
      const situation = { hasChanges: stepHasChanges(results), failed: results.some((result) => !result.ok) };
      try {
        // Loaded only here: the GitHub client is the heaviest part of the bundle.
        const { upsertComment } = await import('./pr-comment.js');
        const posted = await upsertComment({
          token: settings.githubToken,
          context,
          text,
          decide: (existingComment) => decideComment({ mode, ...situation, existingComment }),
          bounds: githubCallBounds(clock, log.debug),
        });
        if (posted.action === 'outdated') {
          const runHead = context.pullRequestHeadSha ?? '';
          log.info(
            `No PR comment posted: pull request #${context.pullRequestNumber} has moved on to commit ${posted.headSha} since this run's ${runHead}; the newer commit's run reports it.`,
          );
        } else if (posted.action === 'skipped') log.info('comment-on-pr is changes and nothing changes: no comment posted.');
        else log.info(`PR comment ${posted.action}: ${sanitizeLine(posted.url, 500)}`);
      } catch (error) {
        const { failedStatus } = await import('../github/client.js');
        const status = failedStatus(error);
        const permission = 'give the job `permissions: pull-requests: write`';
        // GitHub answers 404 both for a pull request that does not exist and for one the token may not see.
        const hint = status === 403 ? `; ${permission}` : status === 404 ? `; check that it exists in ${context.repository}, and ${permission}` : '';
        log.warning(`Could not comment on pull request #${context.pullRequestNumber}: ${oneLine(error)}${hint}`);
      }
    },
  };
}

/** Events whose commit may belong to a pull request: its comment is found by the commit. */
const PUSH_EVENTS = ['push', 'merge_group'];

/** The pull request to comment on: pr-number, else the pushed commit's (undefined: none, said why). */
async function pullRequestOf({ settings, context, log, clock }: ReporterDeps, token: string): Promise<number | undefined> {
  if (settings.prNumber !== undefined) return settings.prNumber;
  const mode = String(settings.commentOnPr);
  const sha = settings.requestedCommit ?? context.sha;
  try {
    const { pullRequestOfCommit } = await import('./pr-comment.js');
    const found = await pullRequestOfCommit(token, context, sha, githubCallBounds(clock, log.debug));
    if (found === undefined) log.info(`comment-on-pr is ${mode} but commit ${sanitizeLine(sha, 64)} belongs to no pull request: no comment posted.`);
    return found;
  } catch (error) {
    const { failedStatus } = await import('../github/client.js');
    const status = failedStatus(error);
    const hint = status === 403 || status === 404 ? `; give the job \`permissions: pull-requests: read\`` : '';
    log.warning(`Could not find the pull request of commit ${sanitizeLine(sha, 64)}: ${oneLine(error)}${hint}`);
    return undefined;
  }
}

/** The bounds of one reporter's calls to GitHub, from now: each request, and all of them with their retries. */
export function githubCallBounds(clock: Clock, debug?: (line: string) => void): GitHubCallBounds {
  const budgetMs = Math.max(MIN_GITHUB_BUDGET_MS, clock.realMs(GITHUB_BUDGET_MS));
  return {
    signal: AbortSignal.timeout(budgetMs),
    budgetMs,
    requestTimeoutMs: Math.max(MIN_GITHUB_REQUEST_MS, clock.realMs(GITHUB_REQUEST_MS)),
    sleep: clock.sleep,
    now: clock.now,
    debug,
  };
}

/** A reporter's calls to GitHub: each request, and all of them with their retries. */
const GITHUB_REQUEST_MS = 20_000;
const GITHUB_BUDGET_MS = 60_000;
/** Time-scaled, they never go below these: a loaded test machine answers slowly. */
const MIN_GITHUB_REQUEST_MS = 3_000;
const MIN_GITHUB_BUDGET_MS = 8_000;

import type { CreatedRun } from '../domain/outcome.js';
import type { Operation } from '../domain/vocabulary.js';
import type { CommentMode } from './comment-decision.js';
import type { Judged } from './verdict.js';
import type { GitHubContext } from '../runner-io/github-context.js';
import type { Log } from '../runner-io/log.js';
import type { Clock } from '../runner-io/clock.js';
import type { SecretRegistry } from '../runner-io/secrets.js';
import type { PostStateWriter } from '../runner-io/state.js';

/**
 * One way of telling the user what happened: outputs, annotations, the verdict line, the job
 * summary, the PR comment. A new one is a new file and one line in reporters.ts.
 */
export interface Reporter {
  /** A deployment exists (before it is followed): what should survive a later failure. */
  created?(run: CreatedRun): void;
  /** Every stack has ended. A reporter never throws for its own trouble: it warns. */
  finished(results: Judged[]): void | Promise<void>;
}

/** What the reporters need to know about the run, besides the outcomes. */
export interface ReportSettings {
  operation: Operation;
  /** How many stacks the step runs: with several, the singular outputs describe them all. */
  stackCount: number;
  commentOnPr: CommentMode;
  githubToken?: string;
  /** Where console links may point (the origin of console-url, or the app host of cloud-url). */
  consoleOrigin?: string;
  /** The console's base URL, under which update links are built. */
  consoleBase?: string;
  /** github-environment: the GitHub environment to record a deployment in (undefined: none). */
  githubEnvironment?: string;
  /** pr-number: the pull request to comment on, whatever the event. */
  prNumber?: number;
  /** check-run: write a check run per stack. */
  checkRun?: boolean;
  /** environment-url-output: the stack output holding the environment's URL. */
  environmentUrlOutput?: string;
  /** The commit the user asked to deploy, if any (else the triggering one). */
  requestedCommit?: string;
}

export interface ReporterDeps {
  settings: ReportSettings;
  log: Log;
  secrets: SecretRegistry;
  context: GitHubContext;
  /** GitHub calls are bounded on it. */
  clock: Clock;
  /** Where the GitHub deployments still open are written for post. */
  state?: Pick<PostStateWriter, 'githubDeploymentOpened' | 'githubDeploymentClosed'>;
}

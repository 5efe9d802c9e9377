import type { Reporter, ReporterDeps } from './reporter.js';
import { outputsReporter } from './outputs.js';
import { annotationsReporter } from './annotations.js';
import { verdictLineReporter } from './verdict-line.js';
import { summaryReporter } from './summary.js';
import { prCommentReporter } from './comment.js';
import { githubDeploymentReporter } from './github-deployment.js';
import { checkRunReporter } from './check-run.js';

/** Every reporter, in the order they run: what the runner shows first, then what calls GitHub. */
export const reporters = (deps: ReporterDeps): Reporter[] => [
  outputsReporter(deps),
  annotationsReporter(deps),
  verdictLineReporter(deps),
  summaryReporter(deps),
  prCommentReporter(deps),
  githubDeploymentReporter(deps),
  checkRunReporter(deps),
];

// Reporter: a check run per stack (check-run: true), `Pulumi <operation>: <stack>`: the plan as
// its summary, every diagnostic and policy finding as an annotation (50 per request, GitHub's
// limit: the create, then PATCHes), its conclusion from the verdict.
import { oneLine } from '../domain/input-error.js';
import { stackLabel } from '../domain/vocabulary.js';
import { triggeringCommit } from '../runner-io/github-context.js';
import { cut, sanitizeLine } from '../runner-io/untrusted-text.js';
import { engineAnnotations } from './annotations.js';
import { githubCallBounds } from './comment.js';
import { renderReport } from './markdown.js';
import type { Reporter, ReporterDeps } from './reporter.js';
import { reportDataOf } from './stacks-report.js';
import type { Judged } from './verdict.js';

export const CHECKS_PERMISSION = 'checks: write';
/** GitHub's limits: characters per text field of a check run's output, annotations per request. */
export const CHECK_TEXT_LIMIT = 65_535;
export const ANNOTATIONS_PER_REQUEST = 50;
/** Where an annotation points: the engine names no file, and GitHub needs one. */
const ANNOTATION_PATH = 'Pulumi.yaml';

export type Conclusion = 'success' | 'failure' | 'neutral';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning';
  title: string;
  message: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  annotations?: CheckAnnotation[];
}

export interface CheckRunCalls {
  create(name: string, conclusion: Conclusion, output: CheckRunOutput): Promise<number>;
  update(id: number, output: CheckRunOutput): Promise<void>;
}

/** The verdict's conclusion: `neutral` when what happened cannot be known (not followed, or changes unknown after a stop). */
export function conclusionOf(result: Judged): Conclusion {
  if (result.outcome.end !== 'followed') return result.outcome.end === 'not-waited' ? 'neutral' : 'failure';
  if (!result.verdict) return 'neutral';
  if (!result.ok) return 'failure';
  return result.verdict.hasChanges === 'unknown' ? 'neutral' : 'success';
}

/** Every diagnostic and policy finding (deduplicated), as check-run annotations with nothing secret in them. */
export function checkAnnotations(result: Judged, redact: (text: string) => string): CheckAnnotation[] {
  if (result.outcome.end !== 'followed' || !result.outcome.followed.plans) return [];
  const { annotations } = engineAnnotations(result.outcome.followed.plans, { maxErrors: Infinity, maxWarnings: Infinity });
  return annotations.map((a) => ({
    path: ANNOTATION_PATH,
    start_line: 1,
    end_line: 1,
    annotation_level: a.kind === 'error' ? 'failure' : 'warning',
    title: cut(redact(a.title), 255),
    message: cut(redact(a.message), 60_000),
  }));
}

/** Splits into GitHub's batches of 50. */
export const batches = <T>(items: T[], size = ANNOTATIONS_PER_REQUEST): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export function checkRunReporter(deps: ReporterDeps, calls?: () => Promise<CheckRunCalls>): Reporter {
  const { settings, log, secrets } = deps;
  if (!settings.checkRun) return { finished: () => undefined };
  const redact = (text: string) => secrets.redactForPost(text);
  return {
    finished: async (results) => {
      let api: CheckRunCalls;
      const { failedStatus } = await import('../github/client.js');
      try {
        api = await (calls ?? (() => realCalls(deps)))();
      } catch (error) {
        log.warning(`check-run is true but no check run is possible: ${oneLine(error)}`);
        return;
      }
      for (const result of results) {
        const name = cut(sanitizeLine(`Pulumi ${settings.operation}: ${stackLabel(result.outcome.stack)}`, 255), 255);
        const data = reportDataOf(result, deps);
        const summary = data ? renderReport(data, CHECK_TEXT_LIMIT - 1_000) : cut(redact(sanitizeLine(result.message || 'No report.', 2_000)), CHECK_TEXT_LIMIT);
        const title = cut(redact(sanitizeLine(result.message || name, 1_000)), 1_000);
        const [first = [], ...rest] = batches(checkAnnotations(result, redact));
        try {
          const id = await api.create(name, conclusionOf(result), { title, summary, annotations: first });
          for (const batch of rest) await api.update(id, { title, summary, annotations: batch });
          const omitted = result.outcome.end === 'followed' ? (result.outcome.followed.plans ?? []).reduce((n, p) => n + p.omittedDiagnostics + p.omittedPolicies, 0) : 0;
          const more = omitted ? ` (${omitted} more beyond what the action keeps are in the Pulumi console)` : '';
          log.info(`Check run ${sanitizeLine(name, 300)}: ${conclusionOf(result)}, ${first.length + rest.flat().length} annotation(s)${more}.`);
        } catch (error) {
          const status = failedStatus(error);
          if (status === 403 || status === 404) {
            log.warning(`Could not write the check run: GitHub answered ${status}; give the job \`permissions: ${CHECKS_PERMISSION}\` (check-run).`);
            return;
          }
          log.warning(`Could not write the check run ${sanitizeLine(name, 300)}: ${oneLine(error)}`);
        }
      }
    },
  };
}

async function realCalls({ context, settings, clock, log }: ReporterDeps): Promise<CheckRunCalls> {
  const { boundedOctokit, checked } = await import('../github/client.js');
  const answers = await import('../github/schemas.js');
  const [owner, repo] = context.repository.split('/');
  if (!owner || !repo) throw new Error('no repository in the workflow context');
  if (!settings.githubToken) throw new Error('github-token is empty');
  const octokit = boundedOctokit(settings.githubToken, context.apiUrl, githubCallBounds(clock, log.debug));
  const headSha = settings.requestedCommit ?? triggeringCommit(context) ?? '';
  return {
    create: async (name, conclusion, output) => {
      const { data } = await octokit.rest.checks.create({ owner, repo, name, head_sha: headSha, status: 'completed', conclusion, output });
      return checked(`POST /repos/${owner}/${repo}/check-runs`, data, answers.checkRun).id;
    },
    update: async (id, output) => {
      const { data } = await octokit.rest.checks.update({ owner, repo, check_run_id: id, output });
      checked(`PATCH /repos/${owner}/${repo}/check-runs/${id}`, data, answers.checkRun);
    },
  };
}

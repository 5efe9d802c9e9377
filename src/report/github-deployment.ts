// Reporter: a GitHub deployment for the deployed commit (github-environment), moved through its
// statuses: in_progress once the Pulumi deployment exists, then the verdict's state at the end.
import { oneLine } from '../domain/input-error.js';
import type { CreatedRun } from '../domain/outcome.js';
import { stackLabel } from '../domain/vocabulary.js';
import { triggeringCommit } from '../runner-io/github-context.js';
import { cut, safeUrl, sanitizeLine } from '../runner-io/untrusted-text.js';
import { githubCallBounds } from './comment.js';
import type { Reporter, ReporterDeps } from './reporter.js';
import type { Judged } from './verdict.js';

/** The states this action sets (GitHub's deployment status states). */
export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

/** GitHub refuses a status description over this many characters. */
export const STATUS_DESCRIPTION_LIMIT = 140;

export const DEPLOYMENTS_PERMISSION = 'deployments: write';

/** What the GitHub deployment says at the end: the verdict's, `inactive` after a destroy that passed. */
export function finalState(result: Judged, operation: string): DeploymentState {
  if (result.outcome.end === 'followed') {
    if (result.ok) return operation === 'destroy' ? 'inactive' : 'success';
    return result.outcome.followed.status === 'failed' ? 'failure' : 'error';
  }
  return 'error';
}

/** The named stack output when it is an http(s) URL with no credentials and no secret in it; otherwise undefined. */
export function environmentUrl(result: Judged, outputName: string | undefined, redact: (text: string) => string): string | undefined {
  if (!outputName || result.outcome.end !== 'followed') return undefined;
  const plan = result.outcome.followed.plans?.filter((p) => !p.preview).at(-1);
  const value = plan?.outputs?.[outputName];
  if (typeof value !== 'string' || value.length > 2_000 || /[\s\u0000-\u001f\u007f-\u009f]/.test(value)) return undefined;
  try {
    const url = new URL(value);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return undefined;
  } catch {
    return undefined;
  }
  return redact(value) === value ? value : undefined;
}

/** One line of at most 140 characters, with nothing secret in it. */
export const statusDescription = (text: string, redact: (text: string) => string): string => cut(sanitizeLine(redact(text), 1_000), STATUS_DESCRIPTION_LIMIT);

/** Whether a failed call means the token lacks the permission (GitHub answers 403, or 404 to hide what it may not see). */
const missingPermission = (status: number | undefined) => status === 403 || status === 404;

export interface DeploymentCalls {
  create(run: CreatedRun): Promise<number>;
  setStatus(id: number, state: DeploymentState, fields: { log_url?: string; environment_url?: string; description: string }): Promise<void>;
}

/** The GitHub deployment of each created run (github-environment). The GitHub client loads only when it is set. */
export function githubDeploymentReporter(deps: ReporterDeps, calls?: () => Promise<DeploymentCalls>): Reporter {
  const { settings, log, secrets } = deps;
  const environment = settings.githubEnvironment;
  if (!environment) return { finished: () => undefined };
  const redact = (text: string) => secrets.redactForPost(text);
  /** By Pulumi deployment id: the GitHub deployment's id, once created (undefined when it could not be). */
  const started = new Map<string, Promise<number | undefined>>();
  let warned = false;
  const warn = (what: string, error: unknown, status: number | undefined) => {
    if (missingPermission(status)) {
      if (!warned) log.warning(`Could not ${what}: GitHub answered ${status}; give the job \`permissions: ${DEPLOYMENTS_PERMISSION}\` (github-environment).`);
      warned = true;
    } else log.warning(`Could not ${what}: ${oneLine(error)}`);
  };
  const callsOf = calls ?? (() => realCalls(deps, environment));
  const loaded = { calls: undefined as Promise<DeploymentCalls> | undefined };
  const api = () => (loaded.calls ??= callsOf());
  /** The console link, only when it points where console links may point. */
  const logUrl = (run: CreatedRun) => {
    const url = settings.consoleOrigin ? safeUrl(run.consoleUrl, settings.consoleOrigin) : undefined;
    return url ? { log_url: url } : {};
  };

  return {
    created: (run) => {
      const id = (async () => {
        const { failedStatus } = await import('../github/client.js');
        let deploymentId: number;
        try {
          deploymentId = await (await api()).create(run);
        } catch (error) {
          warn(`create a GitHub deployment in environment ${sanitizeLine(environment, 255)}`, error, failedStatus(error));
          return undefined;
        }
        deps.state?.githubDeploymentOpened(deploymentId);
        try {
          await (
            await api()
          ).setStatus(deploymentId, 'in_progress', { ...logUrl(run), description: statusDescription(`Pulumi ${settings.operation} of ${stackLabel(run.ref)} is running`, redact) });
        } catch (error) {
          warn('set the GitHub deployment in progress', error, failedStatus(error));
        }
        return deploymentId;
      })().catch((error: unknown) => {
        // Not even the client loaded: one warning, and the run goes on.
        log.warning(`Could not create a GitHub deployment: ${oneLine(error)}`);
        return undefined;
      });
      started.set(run.ref.id, id);
    },
    finished: async (results) => {
      for (const result of results) {
        const run = 'run' in result.outcome ? result.outcome.run : result.outcome.end === 'followed' ? result.outcome.followed : undefined;
        const deploymentId = run ? await started.get(run.ref.id) : undefined;
        if (deploymentId === undefined) continue;
        // wait: false hands the deployment over still running: its end is not ours to tell.
        if (result.outcome.end === 'not-waited') continue;
        const state = finalState(result, settings.operation);
        const { failedStatus } = await import('../github/client.js');
        try {
          const url = environmentUrl(result, settings.environmentUrlOutput, redact);
          if (settings.environmentUrlOutput && !url && state === 'success')
            log.warning(
              `environment-url-output: the stack output ${sanitizeLine(settings.environmentUrlOutput, 100)} is not an http(s) URL: the GitHub deployment has no environment URL.`,
            );
          await (
            await api()
          ).setStatus(deploymentId, state, {
            ...(run ? logUrl(run) : {}),
            ...(url ? { environment_url: url } : {}),
            description: statusDescription(result.message || state, redact),
          });
          deps.state?.githubDeploymentClosed(deploymentId);
          log.info(`GitHub deployment ${deploymentId} in ${sanitizeLine(environment, 255)}: ${state}${url ? ` (${url})` : ''}.`);
        } catch (error) {
          warn(`set the GitHub deployment to ${state}`, error, failedStatus(error));
        }
      }
    },
  };
}

async function realCalls({ context, settings, clock, log }: ReporterDeps, environment: string): Promise<DeploymentCalls> {
  const { boundedOctokit, checked } = await import('../github/client.js');
  const answers = await import('../github/schemas.js');
  const [owner, repo] = context.repository.split('/');
  if (!owner || !repo) throw new Error('no repository in the workflow context');
  if (!settings.githubToken) throw new Error('github-token is empty');
  const token = settings.githubToken;
  // Bounds per call: the deployment runs for long between the in_progress status and the last.
  const octokit = () => boundedOctokit(token, context.apiUrl, githubCallBounds(clock, log.debug));
  const ref = settings.requestedCommit ?? triggeringCommit(context) ?? '';
  return {
    create: async (run) => {
      const { data } = await octokit().rest.repos.createDeployment({
        owner,
        repo,
        ref,
        environment,
        auto_merge: false,
        required_contexts: [],
        transient_environment: settings.operation === 'preview',
        description: cut(`Pulumi ${settings.operation} of ${stackLabel(run.ref)}`, STATUS_DESCRIPTION_LIMIT),
      });
      // A 202 (GitHub merged the default branch in first) has no id: the schema check refuses it.
      return (checked(`POST /repos/${owner}/${repo}/deployments`, data, answers.written) as { id: number }).id;
    },
    setStatus: async (id, state, fields) => {
      const { data } = await octokit().rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state, environment, auto_inactive: state === 'success', ...fields });
      checked(`POST /repos/${owner}/${repo}/deployments/${id}/statuses`, data, answers.written);
    },
  };
}

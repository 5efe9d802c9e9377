import type { components } from '../generated/pulumi-api.js';
import type { DeploymentConfig, GitAuth, SourceInputs } from '../inputs/parse.js';
import { PRIVILEGED_PR_EVENTS, triggeringCommit, workflowRepoUrl, type GitHubContext } from '../runner-io/github-context.js';
import { InputError } from '../domain/input-error.js';
import type { DeploymentRequestBody } from '../cloud/client.js';

type Schemas = components['schemas'];
type SecretValue = Schemas['SecretValue'];
type OperationContext = NonNullable<DeploymentRequestBody['operationContext']>;

const secret = (value: string): SecretValue => ({ secret: value });

/** Builds the CreateDeploymentRequest body. Pure: leaves out every field the user did not set. */
export function buildDeploymentRequest(config: DeploymentConfig, context: GitHubContext): DeploymentRequestBody {
  checkForkCode(config, context);
  const body: DeploymentRequestBody = { operation: config.operation };
  if (!config.inheritSettings) body.inheritSettings = false;

  const git = config.source && buildGitSource(config.source, context);
  if (git) body.sourceContext = { git };

  const operationContext: OperationContext = {};
  if (config.preRunCommands.length) operationContext.preRunCommands = config.preRunCommands;
  if (config.env.length) {
    operationContext.environmentVariables = Object.fromEntries(config.env.map(({ name, value, secret: isSecret }) => [name, isSecret ? secret(value) : value]));
  }
  if (Object.keys(config.options).length) operationContext.options = config.options;
  if (Object.keys(config.oidc).length) operationContext.oidc = config.oidc;
  if (Object.keys(operationContext).length) body.operationContext = operationContext;

  if (config.executorImage) {
    const { reference, username, password } = config.executorImage;
    body.executorContext = {
      executorImage: username && password ? { reference, credentials: { username, password: secret(password) } } : { reference },
    };
  }
  if (config.agentPoolId) body.agentPoolID = config.agentPoolId;
  return body;
}

function buildGitSource(source: SourceInputs, context: GitHubContext): Schemas['SourceContextGitRequest'] | undefined {
  const ownRepo = workflowRepoUrl(context);
  const repoUrl = source.repoUrl ?? ownRepo;
  // The triggering commit only makes sense for this workflow's own repository.
  const sameRepo = !source.repoUrl || sameRepository(source.repoUrl, ownRepo);
  const commit = source.commit ?? (source.branch || !sameRepo ? undefined : triggeringCommit(context));
  const git: Schemas['SourceContextGitRequest'] = {};
  if (repoUrl) git.repoUrl = repoUrl;
  if (source.branch) git.branch = source.branch;
  if (commit) git.commit = commit;
  if (source.repoDir) git.repoDir = source.repoDir;
  if (source.gitAuth) git.gitAuth = buildGitAuth(source.gitAuth);
  return Object.keys(git).length ? git : undefined;
}

function sameRepository(a: string, b: string | undefined): boolean {
  const normal = (url: string) =>
    url
      .toLowerCase()
      .replace(/\.git$/, '')
      .replace(/\/+$/, '');
  return b !== undefined && normal(a) === normal(b);
}

function buildGitAuth(auth: GitAuth): Schemas['GitAuthConfigRequest'] {
  switch (auth.kind) {
    case 'token':
      return { accessToken: secret(auth.token) };
    case 'ssh':
      return { sshAuth: auth.password ? { sshPrivateKey: secret(auth.privateKey), password: secret(auth.password) } : { sshPrivateKey: secret(auth.privateKey) } };
    case 'basic':
      return { basicAuth: { userName: secret(auth.username), password: secret(auth.password) } };
  }
}

/** A copy with every secret value shown as `***`, for dry-run output. */
export function redactRequest(body: DeploymentRequestBody): DeploymentRequestBody {
  return JSON.parse(JSON.stringify(body), (key, value: unknown) => (key === 'secret' && typeof value === 'string' ? '***' : value)) as DeploymentRequestBody;
}

/**
 * A fork's code must not run with the organization's cloud credentials or secrets unless the user
 * says so. It runs when the source is the fork's: the default source on pull_request, any source
 * the user names on pull_request_target and workflow_run (whose default is the base's commit).
 */
export function checkForkCode(config: DeploymentConfig, context: GitHubContext): void {
  if (!context.fromFork || config.allowForkCode || !config.source) return;
  const privileged = PRIVILEGED_PR_EVENTS.includes(context.eventName);
  const named = config.source.commit !== undefined || config.source.branch !== undefined || config.source.repoUrl !== undefined;
  if (privileged && !named) return;
  const credentials = [
    config.oidc.aws && 'aws-role-arn',
    config.oidc.azure && 'azure-client-id',
    config.oidc.gcp && 'gcp-project-id',
    config.env.some((v) => v.secret) && 'secret-env',
    config.source.gitAuth && 'git credentials',
    config.executorImage?.password && 'executor-image-password',
  ].filter(Boolean);
  if (!credentials.length) return;
  throw new InputError(
    'allow-fork-code',
    `is false, and this ${context.eventName} run would deploy a fork's code with ${credentials.join(', ')}: the fork's code would run with your organization's cloud credentials`,
    privileged
      ? "Remove commit, branch and repo-url to deploy the base repository's commit, or set allow-fork-code: true if you trust this pull request's code"
      : "Remove those inputs, or set allow-fork-code: true if you trust this pull request's code",
  );
}

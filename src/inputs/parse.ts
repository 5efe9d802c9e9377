import { InputError, InputErrors, quote } from '../domain/input-error.js';
import { INPUT_NAMES, INPUT_TABLE, rawValue, readInputs, type EnvVar, type InputName, type InputReader, type InputValues } from './table.js';
import { validateScope, type TokenType } from '../domain/names.js';
import { OPERATIONS, type Operation, type StackRef } from '../domain/vocabulary.js';
import type { components } from '../generated/pulumi-api.js';

type Schemas = components['schemas'];

export interface LoginConfig {
  organization: string;
  tokenType: TokenType;
  scope?: string;
  expirationSeconds?: number;
  cloudUrl: string;
  audience: string;
  exportEnvironmentVariables: boolean;
  logout: boolean;
}

export type GitAuth = { kind: 'token'; token: string } | { kind: 'ssh'; privateKey: string; password?: string } | { kind: 'basic'; username: string; password: string };

export interface SourceInputs {
  repoUrl?: string;
  branch?: string;
  commit?: string;
  repoDir?: string;
  gitAuth?: GitAuth;
}

export interface DeploymentConfig {
  stack: StackRef;
  operation: Operation;
  inheritSettings: boolean;
  /** `undefined` when `use-stack-source` is true: send no sourceContext. */
  source?: SourceInputs;
  preRunCommands: string[];
  env: EnvVar[];
  options: Schemas['OperationContextOptionsRequest'];
  oidc: Schemas['OperationContextOIDCConfigurationRequest'];
  executorImage?: { reference: string; username?: string; password?: string };
  agentPoolId?: string;
  wait: boolean;
  streamLogs: boolean;
  timeoutSeconds: number;
  cancelOnTimeout: boolean;
  cancelOnJobCancel: boolean;
  failOnSkipped: boolean;
  /** Deploy a fork's pull request head even with cloud OIDC or secret inputs set. */
  allowForkCode: boolean;
}

export interface ReportConfig {
  expectNoChanges: boolean;
  /** Stack output changes count as changes (has-changes, expect-no-changes). */
  changesIncludeOutputs: boolean;
  /** true, false, or 'changes': only when resources change or the deployment fails. */
  commentOnPr: boolean | 'changes';
  githubToken?: string;
  /** console-url: where console links point; undefined: derived from cloud-url. */
  consoleUrl?: string;
  /** github-environment: record a GitHub deployment in this environment. */
  githubEnvironment?: string;
  /** pr-number: the pull request comment-on-pr writes to. */
  prNumber?: number;
  /** check-run: a check run per stack. */
  checkRun: boolean;
  /** environment-url-output: the stack output that is the environment's URL. */
  environmentUrlOutput?: string;
}

/** The stacks of the step and how they run (max-parallel, fail-fast). */
export interface StacksConfig {
  /** In the listed order, each once; `deployment.stack` is the first. */
  stacks: StackRef[];
  maxParallel: number;
  failFast: boolean;
}

export interface ActionConfig {
  login: LoginConfig;
  /** Absent when `operation` is empty: log in only. `stack` is the first stack; `run` lists them all. */
  deployment?: DeploymentConfig;
  run?: StacksConfig;
  report: ReportConfig;
  dryRun: boolean;
}

const SOURCE_INPUTS = INPUT_NAMES.filter((name) => INPUT_TABLE[name].source);
const AWS = ['aws-role-arn', 'aws-session-name', 'aws-duration', 'aws-policy-arns'] as const;
const AZURE = ['azure-client-id', 'azure-tenant-id', 'azure-subscription-id'] as const;
const GCP_REQUIRED = ['gcp-project-id', 'gcp-workload-pool-id', 'gcp-provider-id', 'gcp-service-account'] as const;

/**
 * Parses and validates every input. Pure. Throws InputErrors holding one InputError per
 * problem: each input on its own (the table), then the rules across inputs.
 */
export function parseInputs(read: InputReader): ActionConfig {
  const problems: InputError[] = [];
  const v = readInputs(read, problems);
  const given = (name: InputName) => rawValue(read, name) !== '';
  const problem = (input: InputName, text: string, accepted: string) => problems.push(new InputError(input, text, accepted));

  const organization = v.organization;
  const tokenType = v['requested-token-type'];
  let scope: string | undefined;
  if (tokenType) {
    try {
      scope = validateScope(tokenType, v.scope);
    } catch (error) {
      problems.push(error as InputError);
    }
  }

  const deploying = given('operation');
  if (!deploying && given('stack')) {
    problem('operation', `is empty but 'stack' is set to ${quote(rawValue(read, 'stack'))}`, `Set operation to one of ${OPERATIONS.join(', ')}, or remove 'stack' to log in only`);
  }
  if (deploying) checkDeployment(v, given, problem);
  if (v['dry-run'] && !deploying) problem('dry-run', 'is true but no operation is set', 'dry-run prints the deployment request; set operation and stack');
  if (given('environment-url-output') && !given('github-environment'))
    problem('environment-url-output', 'is set but github-environment is empty', 'Set github-environment to the environment the URL is for, or remove environment-url-output');
  if (problems.length) throw new InputErrors(problems);

  // From here every value the rules above require is present and valid.
  const login: LoginConfig = {
    organization: organization!,
    tokenType: tokenType!,
    scope,
    expirationSeconds: v['token-expiration'],
    cloudUrl: v['cloud-url']!,
    audience: v.audience ?? `urn:pulumi:org:${organization}`,
    exportEnvironmentVariables: v['export-environment-variables']!,
    logout: v.logout!,
  };
  return {
    login,
    deployment: deploying ? deploymentConfig(v, organization!) : undefined,
    run: deploying
      ? { stacks: v.stack!.map(({ project, stack }) => ({ organization: organization!, project, stack })), maxParallel: v['max-parallel']!, failFast: v['fail-fast']! }
      : undefined,
    report: {
      expectNoChanges: v['expect-no-changes']!,
      changesIncludeOutputs: v['changes-include-outputs']!,
      commentOnPr: v['comment-on-pr']!,
      githubToken: v['github-token'],
      consoleUrl: v['console-url'],
      githubEnvironment: v['github-environment'],
      environmentUrlOutput: v['environment-url-output'],
      checkRun: v['check-run']!,
      prNumber: v['pr-number'],
    },
    dryRun: v['dry-run']!,
  };
}

type Given = (name: InputName) => boolean;
type Problem = (input: InputName, text: string, accepted: string) => void;

/** The rules across deployment inputs; each broken rule is one problem. */
function checkDeployment(v: InputValues, given: Given, problem: Problem): void {
  if (!given('stack') || v.stack?.length === 0) problem('stack', 'is required when operation is set', 'Use org/project/stack or project/stack, one per line');
  const seen = new Set<string>();
  for (const name of v.stack ?? []) {
    const stackOrg = name.organization;
    if (stackOrg !== undefined && v.organization !== undefined && stackOrg !== v.organization) {
      problem(
        'stack',
        `organization ${quote(stackOrg)} differs from input 'organization' (${quote(v.organization)})`,
        'The token is issued for one organization; use project/stack or match the two',
      );
    }
    const label = `${name.project}/${name.stack}`;
    if (seen.has(label)) problem('stack', `lists ${quote(label)} more than once`, 'List each stack once');
    seen.add(label);
  }

  if (v['use-stack-source']) {
    for (const name of SOURCE_INPUTS.filter(given))
      problem(name, 'is set but use-stack-source is true, which sends no source', `Remove '${name}' or set use-stack-source to false`);
  } else {
    if (given('branch') && given('commit')) problem('commit', 'cannot be combined with branch', 'Set either branch or commit');
    const kinds = [
      given('git-auth-token') && 'git-auth-token',
      given('git-ssh-private-key') && 'git-ssh-private-key',
      (given('git-username') || given('git-password')) && 'git-username/git-password',
    ].filter(Boolean);
    if (kinds.length > 1)
      problem(
        'git-auth-token',
        `more than one kind of git auth is set (${kinds.join(', ')})`,
        'Use only one of git-auth-token, git-ssh-private-key or git-username with git-password',
      );
    if (given('git-ssh-password') && !given('git-ssh-private-key')) problem('git-ssh-password', 'is set without git-ssh-private-key', 'Set git-ssh-private-key too, or remove it');
    if (given('git-password') && !given('git-username')) problem('git-username', 'is required with git-password', 'Set both for basic git auth');
    if (given('git-username') && !given('git-password')) problem('git-password', 'is required with git-username', 'Set both for basic git auth');
  }

  const envNames = new Set<string>();
  for (const { name, secret } of [...(v.env ?? []), ...(v['secret-env'] ?? [])]) {
    if (envNames.has(name)) problem(secret ? 'secret-env' : 'env', `sets ${name} more than once (across env and secret-env)`, 'Give each variable one value');
    envNames.add(name);
  }

  if (AWS.some(given)) {
    if (!given('aws-role-arn')) problem('aws-role-arn', 'is required when any aws-* input is set', 'Set aws-role-arn and aws-session-name');
    else if (!given('aws-session-name')) problem('aws-session-name', 'is required with aws-role-arn', 'Set a session name such as pulumi-deployments');
  }
  if (AZURE.some(given)) {
    for (const name of AZURE.filter((n) => !given(n))) problem(name, 'is required when any azure-* input is set', 'Set azure-client-id, azure-tenant-id and azure-subscription-id');
  }
  if ([...GCP_REQUIRED, 'gcp-region', 'gcp-token-lifetime'].some((n) => given(n as InputName))) {
    for (const name of GCP_REQUIRED.filter((n) => !given(n)))
      problem(name, 'is required when any gcp-* input is set', 'Set gcp-project-id, gcp-workload-pool-id, gcp-provider-id and gcp-service-account');
  }

  if (v['expect-no-changes'] && v.wait === false) {
    problem('expect-no-changes', 'is true but wait is false, so nothing would be judged', 'Set wait to true, or remove expect-no-changes');
  }

  const username = given('executor-image-username');
  const password = given('executor-image-password');
  if (!given('executor-image')) {
    if (username) problem('executor-image-username', 'is set without executor-image', 'Set executor-image too, or remove it');
    if (password) problem('executor-image-password', 'is set without executor-image', 'Set executor-image too, or remove it');
  } else if (username !== password) {
    problem(
      username ? 'executor-image-password' : 'executor-image-username',
      'is required with the other registry credential',
      'Set both executor-image-username and executor-image-password, or neither',
    );
  }
}

/** Builds the deployment part once every rule holds. */
function deploymentConfig(v: InputValues, organization: string): DeploymentConfig {
  const { project, stack } = v.stack![0]!;
  return {
    stack: { organization, project, stack },
    operation: v.operation!,
    inheritSettings: v['inherit-settings']!,
    source: v['use-stack-source'] ? undefined : sourceInputs(v),
    preRunCommands: v['pre-run-commands'] ?? [],
    env: [...(v.env ?? []), ...(v['secret-env'] ?? [])],
    options: pruned({
      skipInstallDependencies: v['skip-install-dependencies'],
      skipIntermediateDeployments: v['skip-intermediate-deployments'],
      deleteAfterDestroy: v['delete-after-destroy'],
      remediateIfDriftDetected: v['remediate-if-drift-detected'],
      shell: v.shell,
    }),
    oidc: pruned({
      aws: v['aws-role-arn']
        ? pruned({
            roleArn: v['aws-role-arn'],
            sessionName: v['aws-session-name'],
            duration: v['aws-duration'],
            policyArns: v['aws-policy-arns']?.length ? v['aws-policy-arns'] : undefined,
          })
        : undefined,
      azure: v['azure-client-id'] ? { clientId: v['azure-client-id'], tenantId: v['azure-tenant-id']!, subscriptionId: v['azure-subscription-id']! } : undefined,
      gcp: v['gcp-project-id']
        ? pruned({
            projectId: v['gcp-project-id'],
            workloadPoolId: v['gcp-workload-pool-id'],
            providerId: v['gcp-provider-id'],
            serviceAccount: v['gcp-service-account'],
            region: v['gcp-region'],
            tokenLifetime: v['gcp-token-lifetime'],
          })
        : undefined,
    }),
    executorImage: v['executor-image'] ? pruned({ reference: v['executor-image'], username: v['executor-image-username'], password: v['executor-image-password'] }) : undefined,
    agentPoolId: v['agent-pool-id'],
    wait: v.wait!,
    streamLogs: v['stream-logs']!,
    timeoutSeconds: v.timeout!,
    cancelOnTimeout: v['cancel-on-timeout']!,
    cancelOnJobCancel: v['cancel-on-job-cancel']!,
    failOnSkipped: v['fail-on-skipped']!,
    allowForkCode: v['allow-fork-code']!,
  };
}

function sourceInputs(v: InputValues): SourceInputs {
  const token = v['git-auth-token'];
  const privateKey = v['git-ssh-private-key'];
  const gitAuth: GitAuth | undefined = token
    ? { kind: 'token', token }
    : privateKey
      ? pruned({ kind: 'ssh' as const, privateKey, password: v['git-ssh-password'] })
      : v['git-username'] && v['git-password']
        ? { kind: 'basic', username: v['git-username'], password: v['git-password'] }
        : undefined;
  return pruned({ repoUrl: v['repo-url'], branch: v.branch, commit: v.commit, repoDir: v['repo-dir'], gitAuth });
}

/** Drops undefined fields, so the request carries only what the user set. */
export function pruned<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

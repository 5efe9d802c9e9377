import { InputError } from './errors.js';
import { parseBoolean, parseDuration, parseLines, quote } from './input-parsers.js';
import type { components } from './generated/pulumi-api.js';

type Schemas = components['schemas'];
export type Operation = NonNullable<Schemas['CreateDeploymentRequest']['operation']>;
export type TokenType = 'organization' | 'team' | 'personal' | 'runner';

/** Reads one raw input by its action.yml name ('' when unset). */
export type InputReader = (name: string) => string;

export const DEFAULT_CLOUD_URL = 'https://api.pulumi.com';
const TOKEN_TYPE_URN = 'urn:pulumi:token-type:access_token:';
const TOKEN_TYPES: TokenType[] = ['organization', 'team', 'personal', 'runner'];
const OPERATIONS: Operation[] = ['update', 'preview', 'refresh', 'destroy', 'detect-drift', 'remediate-drift'];
const NAME = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names the service sets itself and overwrites. */
export const RESERVED_ENV_NAMES = [
  'PULUMI_ACCESS_TOKEN',
  'PULUMI_BACKEND_URL',
  'PULUMI_CI_BUILD_ID',
  'PULUMI_CI_BUILD_NUMBER',
  'PULUMI_CI_BUILD_URL',
  'PULUMI_CI_SYSTEM',
];
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(?:aws|\d{12}):policy\/[\w+=,.@/-]+$/;

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

export interface StackRef {
  organization: string;
  project: string;
  stack: string;
}

export interface EnvVar {
  name: string;
  value: string;
  secret: boolean;
}

export type GitAuth =
  | { kind: 'token'; token: string }
  | { kind: 'ssh'; privateKey: string; password?: string }
  | { kind: 'basic'; username: string; password: string };

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
}

export interface ReportConfig {
  expectNoChanges: boolean;
  commentOnPr: boolean;
  githubToken?: string;
}

export interface ActionConfig {
  login: LoginConfig;
  /** Absent when `operation` is empty: log in only. */
  deployment?: DeploymentConfig;
  report: ReportConfig;
  dryRun: boolean;
}

/** Inputs whose values are secrets: masked before anything is parsed or printed. */
export const SECRET_INPUTS = [
  'git-auth-token',
  'git-ssh-private-key',
  'git-ssh-password',
  'git-password',
  'executor-image-password',
  'github-token',
];

/** Every secret value in the inputs (secret-env values included), for masking first thing. */
export function secretValues(read: InputReader): string[] {
  const values = SECRET_INPUTS.map((name) => read(name).trim());
  for (const line of read('secret-env').split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) values.push(line.slice(eq + 1), line.slice(eq + 1).trim());
  }
  return [...new Set(values.filter((value) => value !== ''))];
}

/** Parses and validates every input. Pure: throws InputError naming the first bad input. */
export function parseInputs(read: InputReader): ActionConfig {
  const get = (name: string) => read(name).trim();
  const bool = (name: string, fallback: boolean) => parseBoolean(name, read(name)) ?? fallback;

  const login = parseLogin(get, bool);
  const operation = get('operation');
  const stack = get('stack');
  let deployment: DeploymentConfig | undefined;
  if (operation !== '') {
    deployment = parseDeployment(read, get, bool, login.organization);
  } else if (stack !== '') {
    throw new InputError('operation', `is empty but 'stack' is set to ${quote(stack)}`, `Set operation to one of ${OPERATIONS.join(', ')}, or remove 'stack' to log in only`);
  }
  const report: ReportConfig = {
    expectNoChanges: bool('expect-no-changes', false),
    commentOnPr: bool('comment-on-pr', false),
    githubToken: get('github-token') || undefined,
  };
  const dryRun = bool('dry-run', false);
  if (dryRun && !deployment) {
    throw new InputError('dry-run', 'is true but no operation is set', 'dry-run prints the deployment request; set operation and stack');
  }
  return { login, deployment, report, dryRun };
}

type Get = (name: string) => string;
type Bool = (name: string, fallback: boolean) => boolean;

function parseLogin(get: Get, bool: Bool): LoginConfig {
  const organization = get('organization');
  if (organization === '') throw new InputError('organization', 'is required', 'Set it to your Pulumi organization name');
  if (!NAME.test(organization)) {
    throw new InputError('organization', `${quote(organization)} is not an organization name`, 'Use letters, digits, "-", "_" and "."');
  }
  const tokenType = parseTokenType(get('requested-token-type') || 'organization');
  const scope = parseScope(tokenType, get('scope'));
  const expiration = get('token-expiration');
  const cloudUrl = parseCloudUrl(get('cloud-url') || DEFAULT_CLOUD_URL);
  const audience = get('audience') || `urn:pulumi:org:${organization}`;
  return {
    organization,
    tokenType,
    scope,
    expirationSeconds: expiration === '' ? undefined : parseDuration('token-expiration', expiration, { allowBareSeconds: true }),
    cloudUrl,
    audience,
    exportEnvironmentVariables: bool('export-environment-variables', true),
    logout: bool('logout', true),
  };
}

function parseTokenType(raw: string): TokenType {
  const short = raw.startsWith(TOKEN_TYPE_URN) ? raw.slice(TOKEN_TYPE_URN.length) : raw;
  if ((TOKEN_TYPES as string[]).includes(short)) return short as TokenType;
  throw new InputError(
    'requested-token-type',
    `${quote(raw)} is not a token type`,
    `Use one of ${TOKEN_TYPES.join(', ')}, or ${TOKEN_TYPE_URN}<type>`,
  );
}

const SCOPE_RULES: Record<TokenType, { pattern: RegExp; form: string; required: boolean }> = {
  organization: { pattern: /^admin$/, form: "empty or 'admin'", required: false },
  team: { pattern: /^team:[^\s:]+$/, form: "'team:NAME'", required: true },
  personal: { pattern: /^user:[^\s:]+$/, form: "'user:LOGIN'", required: true },
  runner: { pattern: /^runner:[^\s:]+$/, form: "'runner:NAME'", required: true },
};

function parseScope(tokenType: TokenType, scope: string): string | undefined {
  const rule = SCOPE_RULES[tokenType];
  if (scope === '') {
    if (rule.required) throw new InputError('scope', `is required for requested-token-type '${tokenType}'`, `Use ${rule.form}`);
    return undefined;
  }
  if (!rule.pattern.test(scope)) {
    throw new InputError('scope', `${quote(scope)} does not fit requested-token-type '${tokenType}'`, `Use ${rule.form}`);
  }
  return scope;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

function parseCloudUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError('cloud-url', `${quote(raw)} is not a URL`, `Use an https URL such as ${DEFAULT_CLOUD_URL}`);
  }
  if (url.username || url.password) throw new InputError('cloud-url', 'must not contain credentials', 'Remove the user:password@ part');
  if (url.search || url.hash) throw new InputError('cloud-url', `${quote(raw)} has a query or fragment`, `Use the API base URL such as ${DEFAULT_CLOUD_URL}`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InputError('cloud-url', `${quote(raw)} uses http:// for a remote host`, 'Use https://; http:// is accepted only for loopback hosts');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('cloud-url', `${quote(raw)} is not an http(s) URL`, `Use an https URL such as ${DEFAULT_CLOUD_URL}`);
  }
  return url.href.replace(/\/+$/, '');
}

export function parseStack(raw: string, organization: string): StackRef {
  if (raw === '') throw new InputError('stack', 'is required when operation is set', 'Use org/project/stack or project/stack');
  const parts = raw.split('/');
  const named = parts.length === 3 ? parts : parts.length === 2 ? [organization, ...parts] : undefined;
  if (!named || named.some((part) => !NAME.test(part))) {
    throw new InputError('stack', `${quote(raw)} is not a stack name`, 'Use org/project/stack or project/stack (letters, digits, "-", "_", ".")');
  }
  const [org, project, stack] = named as [string, string, string];
  if (org !== organization) {
    throw new InputError('stack', `organization ${quote(org)} differs from input 'organization' (${quote(organization)})`, 'The token is issued for one organization; use project/stack or match the two');
  }
  return { organization: org, project, stack };
}

function parseDeployment(read: InputReader, get: Get, bool: Bool, organization: string): DeploymentConfig {
  const operationRaw = get('operation');
  if (!(OPERATIONS as string[]).includes(operationRaw)) {
    throw new InputError('operation', `${quote(operationRaw)} is not an operation`, `Use one of ${OPERATIONS.join(', ')}`);
  }
  const stack = parseStack(get('stack'), organization);
  const useStackSource = bool('use-stack-source', false);
  const source = parseSource(get, useStackSource);
  const env = [...parseEnv('env', read('env'), false), ...parseEnv('secret-env', read('secret-env'), true)];
  const seen = new Set<string>();
  for (const { name, secret } of env) {
    if (seen.has(name)) throw new InputError(secret ? 'secret-env' : 'env', `sets ${name} more than once (across env and secret-env)`, 'Give each variable one value');
    seen.add(name);
  }
  const optionalBool = (name: string) => parseBoolean(name, read(name));
  const options = pruned({
    skipInstallDependencies: optionalBool('skip-install-dependencies'),
    skipIntermediateDeployments: optionalBool('skip-intermediate-deployments'),
    deleteAfterDestroy: optionalBool('delete-after-destroy'),
    remediateIfDriftDetected: optionalBool('remediate-if-drift-detected'),
    shell: get('shell') || undefined,
  });
  return {
    stack,
    operation: operationRaw as Operation,
    inheritSettings: bool('inherit-settings', true),
    source,
    preRunCommands: parseLines(read('pre-run-commands')),
    env,
    options,
    oidc: pruned({ aws: parseAws(get, read), azure: parseAzure(get), gcp: parseGcp(get) }),
    executorImage: parseExecutorImage(get),
    agentPoolId: get('agent-pool-id') || undefined,
    wait: bool('wait', true),
    streamLogs: bool('stream-logs', true),
    timeoutSeconds: parseDuration('timeout', get('timeout') || '60m'),
    cancelOnTimeout: bool('cancel-on-timeout', true),
    cancelOnJobCancel: bool('cancel-on-job-cancel', true),
    failOnSkipped: bool('fail-on-skipped', false),
  };
}

function parseSource(get: Get, useStackSource: boolean): SourceInputs | undefined {
  const fields = ['repo-url', 'branch', 'commit', 'repo-dir', 'git-auth-token', 'git-ssh-private-key', 'git-ssh-password', 'git-username', 'git-password'];
  if (useStackSource) {
    const set = fields.find((name) => get(name) !== '');
    if (set) throw new InputError(set, "is set but use-stack-source is true, which sends no source", `Remove '${set}' or set use-stack-source to false`);
    return undefined;
  }
  const branch = get('branch') || undefined;
  const commit = get('commit') || undefined;
  if (branch && commit) throw new InputError('commit', 'cannot be combined with branch', 'Set either branch or commit');
  if (commit && !/^[0-9a-fA-F]{7,64}$/.test(commit)) throw new InputError('commit', `${quote(commit)} is not a commit SHA`, 'Use a hex SHA of 7 to 64 characters');
  if (branch && (/\s/.test(branch) || branch.includes('..'))) throw new InputError('branch', `${quote(branch)} is not a branch name`, 'Use a branch name such as main or refs/heads/main');
  const repoUrl = get('repo-url') || undefined;
  if (repoUrl && !/^(https?:\/\/|ssh:\/\/|git@)[^\s]+$/.test(repoUrl)) {
    throw new InputError('repo-url', `${quote(repoUrl)} is not a git URL`, 'Use https://host/owner/repo.git or git@host:owner/repo.git');
  }
  const repoDir = get('repo-dir') || undefined;
  if (repoDir && (repoDir.startsWith('/') || repoDir.split('/').includes('..'))) {
    throw new InputError('repo-dir', `${quote(repoDir)} must be a relative folder inside the repository`, 'Use a path such as infra/app');
  }
  return pruned({ repoUrl, branch, commit, repoDir, gitAuth: parseGitAuth(get) });
}

function parseGitAuth(get: Get): GitAuth | undefined {
  const token = get('git-auth-token');
  const privateKey = get('git-ssh-private-key');
  const sshPassword = get('git-ssh-password');
  const username = get('git-username');
  const password = get('git-password');
  const kinds = [token && 'git-auth-token', privateKey && 'git-ssh-private-key', (username || password) && 'git-username/git-password'].filter(Boolean);
  if (kinds.length > 1) throw new InputError('git-auth-token', `more than one kind of git auth is set (${kinds.join(', ')})`, 'Use only one of git-auth-token, git-ssh-private-key or git-username with git-password');
  if (sshPassword && !privateKey) throw new InputError('git-ssh-password', 'is set without git-ssh-private-key', 'Set git-ssh-private-key too, or remove it');
  if (token) return { kind: 'token', token };
  if (privateKey) return pruned({ kind: 'ssh' as const, privateKey, password: sshPassword || undefined });
  if (username || password) {
    if (!username) throw new InputError('git-username', 'is required with git-password', 'Set both for basic git auth');
    if (!password) throw new InputError('git-password', 'is required with git-username', 'Set both for basic git auth');
    return { kind: 'basic', username, password };
  }
  return undefined;
}

/** `NAME=value` lines; a secret line's value is never quoted in an error. */
export function parseEnv(input: string, raw: string, secret: boolean): EnvVar[] {
  const vars: EnvVar[] = [];
  raw.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const eq = line.indexOf('=');
    const where = `line ${index + 1}`;
    if (eq < 0) throw new InputError(input, `${where} has no '='${secret ? '' : ` (${quote(line.trim())})`}`, 'Write one NAME=value per line');
    const name = line.slice(0, eq).trim();
    if (!ENV_NAME.test(name)) throw new InputError(input, `${where}: ${quote(name)} is not a variable name`, 'Names use letters, digits and "_" and do not start with a digit');
    if (RESERVED_ENV_NAMES.includes(name)) throw new InputError(input, `${where}: ${name} is reserved by Pulumi Deployments`, `Do not set ${RESERVED_ENV_NAMES.join(', ')}`);
    const value = line.slice(eq + 1);
    if (value.includes('\u0000')) throw new InputError(input, `${where}: the value of ${name} contains a NUL character`, 'Remove it');
    vars.push({ name, value, secret });
  });
  return vars;
}

function parseAws(get: Get, read: InputReader): Schemas['OperationContextAWSOIDCConfigurationRequest'] | undefined {
  const roleArn = get('aws-role-arn');
  const sessionName = get('aws-session-name');
  const duration = get('aws-duration');
  const policyArns = parseLines(read('aws-policy-arns'));
  if (!roleArn && !sessionName && !duration && policyArns.length === 0) return undefined;
  if (!roleArn) throw new InputError('aws-role-arn', 'is required when any aws-* input is set', 'Set aws-role-arn and aws-session-name');
  if (!ROLE_ARN.test(roleArn)) throw new InputError('aws-role-arn', `${quote(roleArn)} is not an IAM role ARN`, 'Use arn:aws:iam::123456789012:role/NAME');
  if (!sessionName) throw new InputError('aws-session-name', 'is required with aws-role-arn', 'Set a session name such as pulumi-deployments');
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new InputError('aws-session-name', `${quote(sessionName)} is not a valid session name`, 'Use 2-64 letters, digits or +=,.@_-');
  if (duration) parseDuration('aws-duration', duration);
  const bad = policyArns.find((arn) => !POLICY_ARN.test(arn));
  if (bad) throw new InputError('aws-policy-arns', `${quote(bad)} is not an IAM policy ARN`, 'Use arn:aws:iam::aws:policy/NAME or arn:aws:iam::123456789012:policy/NAME, one per line');
  return pruned({ roleArn, sessionName, duration: duration || undefined, policyArns: policyArns.length ? policyArns : undefined });
}

function parseAzure(get: Get): Schemas['OperationContextAzureOIDCConfigurationRequest'] | undefined {
  const ids = { clientId: 'azure-client-id', tenantId: 'azure-tenant-id', subscriptionId: 'azure-subscription-id' } as const;
  const values = Object.fromEntries(Object.entries(ids).map(([key, input]) => [key, get(input)])) as Record<keyof typeof ids, string>;
  if (Object.values(values).every((value) => value === '')) return undefined;
  for (const [key, input] of Object.entries(ids) as [keyof typeof ids, string][]) {
    if (!values[key]) throw new InputError(input, 'is required when any azure-* input is set', 'Set azure-client-id, azure-tenant-id and azure-subscription-id');
    if (!GUID.test(values[key])) throw new InputError(input, `${quote(values[key])} is not a GUID`, 'Use the form 00000000-0000-0000-0000-000000000000');
  }
  return values;
}

function parseGcp(get: Get): Schemas['OperationContextGCPOIDCConfigurationRequest'] | undefined {
  const required = { projectId: 'gcp-project-id', workloadPoolId: 'gcp-workload-pool-id', providerId: 'gcp-provider-id', serviceAccount: 'gcp-service-account' } as const;
  const region = get('gcp-region');
  const tokenLifetime = get('gcp-token-lifetime');
  const values = Object.fromEntries(Object.entries(required).map(([key, input]) => [key, get(input)])) as Record<keyof typeof required, string>;
  if (Object.values(values).every((value) => value === '') && !region && !tokenLifetime) return undefined;
  for (const [key, input] of Object.entries(required) as [keyof typeof required, string][]) {
    if (!values[key]) throw new InputError(input, 'is required when any gcp-* input is set', 'Set gcp-project-id, gcp-workload-pool-id, gcp-provider-id and gcp-service-account');
  }
  if (!/^[^@\s]+@[^@\s]+$/.test(values.serviceAccount)) throw new InputError('gcp-service-account', `${quote(values.serviceAccount)} is not a service account email`, 'Use NAME@PROJECT.iam.gserviceaccount.com');
  if (tokenLifetime) parseDuration('gcp-token-lifetime', tokenLifetime);
  return pruned({ ...values, region: region || undefined, tokenLifetime: tokenLifetime || undefined });
}

function parseExecutorImage(get: Get): DeploymentConfig['executorImage'] {
  const reference = get('executor-image');
  const username = get('executor-image-username');
  const password = get('executor-image-password');
  if (!reference) {
    const stray = username ? 'executor-image-username' : password ? 'executor-image-password' : undefined;
    if (stray) throw new InputError(stray, 'is set without executor-image', 'Set executor-image too, or remove it');
    return undefined;
  }
  if (/\s/.test(reference)) throw new InputError('executor-image', `${quote(reference)} is not an image reference`, 'Use a reference such as pulumi/pulumi:latest');
  if (Boolean(username) !== Boolean(password)) {
    throw new InputError(username ? 'executor-image-password' : 'executor-image-username', 'is required with the other registry credential', 'Set both executor-image-username and executor-image-password, or neither');
  }
  return pruned({ reference, username: username || undefined, password: password || undefined });
}

/** Drops undefined fields (and returns undefined for an object left empty), so the request carries only what the user set. */
export function pruned<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

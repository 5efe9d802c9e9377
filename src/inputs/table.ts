// The one table of inputs: name, kind, default (exactly action.yml's), secrecy and the parser of
// one value. A test checks it against action.yml. Rules across inputs live in inputs.ts.
import { InputError, InputErrors, quote, redactUserinfo } from '../domain/input-error.js';
import { parseBoolean, parseDuration, parseDurationText, parseLines } from './parsers.js';
import { DEFAULT_CLOUD_URL, NAME_RULE, isName, validateAudience, validateCloudUrl, validateConsoleUrl, validateOrganization, validateTokenType } from '../domain/names.js';
import { OPERATIONS, type Operation } from '../domain/vocabulary.js';

export type InputKind = 'string' | 'boolean' | 'duration' | 'lines' | 'env-lines' | 'enum';

export interface InputSpec<T> {
  kind: InputKind;
  /** action.yml's `default` ('' when it has none); an empty input takes it. */
  default: string;
  /** Masked before anything is parsed or printed (for env-lines: each value). */
  secret: boolean;
  /** Required: what to set it to. */
  required?: string;
  /** A git source input: refused together with use-stack-source. */
  source?: boolean;
  /** Parses one non-empty value (trimmed, except for line kinds); throws InputError. */
  parse: (raw: string, name: string) => T;
}

export interface EnvVar {
  name: string;
  value: string;
  secret: boolean;
}

export interface StackName {
  organization?: string;
  project: string;
  stack: string;
}

/** Names the service sets itself and overwrites. */
const RESERVED_ENV_NAMES = ['PULUMI_ACCESS_TOKEN', 'PULUMI_BACKEND_URL', 'PULUMI_CI_BUILD_ID', 'PULUMI_CI_BUILD_NUMBER', 'PULUMI_CI_BUILD_URL', 'PULUMI_CI_SYSTEM'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(?:aws|\d{12}):policy\/[\w+=,.@/-]+$/;
const BLANK_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;
const ONE_WORD = /^[^\s\u0000-\u001f\u007f-\u009f]+$/;

const spec = <T>(s: InputSpec<T>): InputSpec<T> => s;
const text = (secret = false, source = false) => spec({ kind: 'string', default: '', secret, source, parse: (raw) => raw });
const bool = (fallback: '' | 'true' | 'false') => spec({ kind: 'boolean', default: fallback, secret: false, parse: (raw, name) => parseBoolean(name, raw) });
const matching = (pattern: RegExp, what: string, accepted: string) =>
  spec({
    kind: 'string',
    default: '',
    secret: false,
    parse: (raw, name) => {
      if (!pattern.test(raw)) throw new InputError(name, `${quote(raw)} is not ${what}`, accepted);
      return raw;
    },
  });
const durationText = spec({ kind: 'duration', default: '', secret: false, parse: (raw, name) => parseDurationText(name, raw) });
const guid = matching(GUID, 'a GUID', 'Use the form 00000000-0000-0000-0000-000000000000');

/** At most this many stacks in one step (and so at most this many at once). */
export const MAX_STACKS = 50;
const STACK_FORMS = `Use org/project/stack or project/stack (each ${NAME_RULE})`;

function parseStackName(raw: string, where: string): StackName {
  const parts = raw.split('/');
  if ((parts.length !== 2 && parts.length !== 3) || !parts.every(isName)) throw new InputError('stack', `${where}${quote(raw)} is not a stack name`, STACK_FORMS);
  const [project, stack] = parts.slice(-2) as [string, string];
  return parts.length === 3 ? { organization: parts[0], project, stack } : { project, stack };
}

/**
 * One stack per line; blank lines and `#` comments are ignored. Every bad line is its own problem,
 * named by its line number (when there are several lines). A duplicate is found once the organization is known (parse.ts).
 */
function parseStacks(raw: string): StackName[] {
  const lines = raw.split(/\r?\n/);
  const several = lines.filter((line) => line.trim() !== '').length > 1;
  const problems: InputError[] = [];
  const stacks: StackName[] = [];
  lines.forEach((line, index) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    try {
      stacks.push(parseStackName(text, several ? `line ${index + 1}: ` : ''));
    } catch (error) {
      problems.push(error as InputError);
    }
  });
  if (stacks.length + problems.length > MAX_STACKS) {
    problems.push(new InputError('stack', `lists ${stacks.length + problems.length} stacks`, `Use at most ${MAX_STACKS} stacks in one step`));
  }
  if (problems.length) throw new InputErrors(problems);
  return stacks;
}

/** An integer from 1 to MAX_STACKS. */
function parseMaxParallel(raw: string, name: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_STACKS)
    throw new InputError(name, `${quote(raw)} is not an integer from 1 to ${MAX_STACKS}`, 'Use 1 (one stack at a time, in order) or more');
  return Number(raw);
}

/** `true`, `false` (YAML booleans) or `changes`: comment only when something changes or fails. */
function parseCommentMode(raw: string, name: string): boolean | 'changes' {
  if (raw === 'changes') return 'changes';
  try {
    return parseBoolean(name, raw) ?? false;
  } catch {
    throw new InputError(name, `${quote(raw)} is not true, false or changes`, 'Use true (always), false (never) or changes (only when resources change or the deployment fails)');
  }
}

function parseOperation(raw: string): Operation {
  if ((OPERATIONS as string[]).includes(raw)) return raw as Operation;
  throw new InputError('operation', `${quote(raw)} is not an operation`, `Use one of ${OPERATIONS.join(', ')}`);
}

function parseRepoUrl(raw: string): string {
  const shown = quote(redactUserinfo(raw));
  if (!/^(https?:\/\/|ssh:\/\/|git@)/.test(raw) || BLANK_OR_CONTROL.test(raw)) {
    throw new InputError('repo-url', `${shown} is not a git URL`, 'Use https://host/owner/repo.git or git@host:owner/repo.git');
  }
  // A user name alone is how ssh URLs name the account (ssh://git@host); anything more is a credential.
  if (/^https?:\/\/[^/?#]*@/i.test(raw) || /^ssh:\/\/[^/?#@]*:[^/?#]*@/i.test(raw)) {
    throw new InputError(
      'repo-url',
      `${shown} contains credentials`,
      'Remove the user:token@ part and set git-auth-token (a URL is shown in logs and saved in the stack settings)',
    );
  }
  return raw;
}

function parseRepoDir(raw: string): string {
  if (raw.startsWith('/') || raw.split('/').includes('..') || BLANK_OR_CONTROL.test(raw.replace(/ /g, ''))) {
    throw new InputError('repo-dir', `${quote(raw)} must be a relative folder inside the repository`, 'Use a path such as infra/app');
  }
  return raw;
}

function parseBranch(raw: string): string {
  if (BLANK_OR_CONTROL.test(raw) || raw.includes('..')) throw new InputError('branch', `${quote(raw)} is not a branch name`, 'Use a branch name such as main or refs/heads/main');
  return raw;
}

/** `NAME=value` lines; a secret line's value is never quoted in an error. */
function parseEnv(input: string, raw: string, secret: boolean): EnvVar[] {
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

function parsePolicyArns(raw: string): string[] {
  const arns = parseLines(raw);
  const bad = arns.find((arn) => !POLICY_ARN.test(arn));
  if (bad)
    throw new InputError('aws-policy-arns', `${quote(bad)} is not an IAM policy ARN`, 'Use arn:aws:iam::aws:policy/NAME or arn:aws:iam::123456789012:policy/NAME, one per line');
  return arns;
}

/** A name GitHub accepts for an environment: up to 255 characters, no line break or control character, not only blanks. */
function parseGitHubEnvironment(raw: string, name: string): string {
  const accepted = 'Use a name of up to 255 characters on one line, such as production';
  if (raw.length > 255) throw new InputError(name, `is ${raw.length} characters long, over GitHub's 255 for an environment name`, accepted);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) throw new InputError(name, `${quote(raw)} is not a GitHub environment name`, accepted);
  return raw;
}

function parsePrNumber(raw: string, name: string): number {
  const n = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(n) || n < 1)
    throw new InputError(name, `${quote(raw)} is not a pull request number`, 'Use a positive whole number such as 42');
  return n;
}

export const INPUT_TABLE = {
  // login
  organization: spec({ kind: 'string', default: '', secret: false, required: 'Set it to your Pulumi organization name', parse: validateOrganization }),
  'requested-token-type': spec({ kind: 'enum', default: 'organization', secret: false, parse: validateTokenType }),
  scope: text(),
  'token-expiration': spec({ kind: 'duration', default: '', secret: false, parse: (raw, name) => parseDuration(name, raw) }),
  'cloud-url': spec({ kind: 'string', default: DEFAULT_CLOUD_URL, secret: false, parse: validateCloudUrl }),
  'console-url': spec({ kind: 'string', default: '', secret: false, parse: validateConsoleUrl }),
  audience: spec({ kind: 'string', default: '', secret: false, parse: validateAudience }),
  'export-environment-variables': bool('true'),
  logout: bool('true'),
  // deployment
  stack: spec({ kind: 'lines', default: '', secret: false, parse: parseStacks }),
  operation: spec({ kind: 'enum', default: '', secret: false, parse: parseOperation }),
  'inherit-settings': bool('true'),
  'repo-url': spec({ kind: 'string', default: '', secret: false, source: true, parse: parseRepoUrl }),
  branch: spec({ kind: 'string', default: '', secret: false, source: true, parse: parseBranch }),
  commit: { ...matching(/^[0-9a-fA-F]{7,64}$/, 'a commit SHA', 'Use a hex SHA of 7 to 64 characters'), source: true },
  'repo-dir': spec({ kind: 'string', default: '', secret: false, source: true, parse: parseRepoDir }),
  'use-stack-source': bool('false'),
  'allow-fork-code': bool('false'),
  'git-auth-token': text(true, true),
  'git-ssh-private-key': text(true, true),
  'git-ssh-password': text(true, true),
  'git-username': text(false, true),
  'git-password': text(true, true),
  'pre-run-commands': spec({ kind: 'lines', default: '', secret: false, parse: parseLines }),
  env: spec({ kind: 'env-lines', default: '', secret: false, parse: (raw) => parseEnv('env', raw, false) }),
  'secret-env': spec({ kind: 'env-lines', default: '', secret: true, parse: (raw) => parseEnv('secret-env', raw, true) }),
  'skip-install-dependencies': bool(''),
  'skip-intermediate-deployments': bool(''),
  'delete-after-destroy': bool(''),
  'remediate-if-drift-detected': bool(''),
  shell: text(),
  'aws-role-arn': matching(ROLE_ARN, 'an IAM role ARN', 'Use arn:aws:iam::123456789012:role/NAME'),
  'aws-session-name': matching(/^[\w+=,.@-]{2,64}$/, 'a valid session name', 'Use 2-64 letters, digits or +=,.@_-'),
  'aws-duration': durationText,
  'aws-policy-arns': spec({ kind: 'lines', default: '', secret: false, parse: parsePolicyArns }),
  'azure-client-id': guid,
  'azure-tenant-id': guid,
  'azure-subscription-id': guid,
  'gcp-project-id': text(),
  'gcp-region': text(),
  'gcp-workload-pool-id': text(),
  'gcp-provider-id': text(),
  'gcp-service-account': matching(/^[^@\s]+@[^@\s]+$/, 'a service account email', 'Use NAME@PROJECT.iam.gserviceaccount.com'),
  'gcp-token-lifetime': durationText,
  'executor-image': matching(ONE_WORD, 'an image reference', 'Use a reference such as pulumi/pulumi:latest'),
  'executor-image-username': text(),
  'executor-image-password': text(true),
  'agent-pool-id': text(),
  wait: bool('true'),
  'stream-logs': bool('true'),
  'max-parallel': spec({ kind: 'string', default: '1', secret: false, parse: parseMaxParallel }),
  'fail-fast': bool('true'),
  timeout: spec({ kind: 'duration', default: '60m', secret: false, parse: (raw, name) => parseDuration(name, raw) }),
  'cancel-on-timeout': bool('true'),
  'cancel-on-job-cancel': bool('true'),
  'fail-on-skipped': bool('false'),
  'dry-run': bool('false'),
  // reporting
  'expect-no-changes': bool('false'),
  'changes-include-outputs': bool('false'),
  'comment-on-pr': spec({ kind: 'enum', default: 'false', secret: false, parse: parseCommentMode }),
  'github-token': spec({ kind: 'string', default: '${{ github.token }}', secret: true, parse: (raw) => raw }),
  'github-environment': spec({ kind: 'string', default: '', secret: false, parse: parseGitHubEnvironment }),
  'environment-url-output': matching(
    /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/,
    'a stack output name',
    'Use the name of a top-level stack output, such as url (letters, digits, "_" and "-")',
  ),
  'check-run': bool('false'),
  'pr-number': spec({ kind: 'string', default: '', secret: false, parse: parsePrNumber }),
};

export type InputName = keyof typeof INPUT_TABLE;
export type InputValues = { [K in InputName]?: ReturnType<(typeof INPUT_TABLE)[K]['parse']> };
export const INPUT_NAMES = Object.keys(INPUT_TABLE) as InputName[];

/** Reads one raw input by its action.yml name ('' when unset). */
export type InputReader = (name: string) => string;

/** The raw value an input has: line kinds untouched, others trimmed; empty takes the default (a runner expression is the runner's to fill). */
export function rawValue(read: InputReader, name: InputName): string {
  const entry: InputSpec<unknown> = INPUT_TABLE[name];
  const raw = entry.kind === 'lines' || entry.kind === 'env-lines' ? read(name) : read(name).trim();
  if (raw.trim() !== '') return raw;
  return entry.default.startsWith('${{') ? '' : entry.default;
}

/** Parses every input on its own; collects each bad one instead of stopping at the first. */
export function readInputs(read: InputReader, problems: InputError[]): InputValues {
  const values: Record<string, unknown> = {};
  for (const name of INPUT_NAMES) {
    const entry: InputSpec<unknown> = INPUT_TABLE[name];
    const raw = rawValue(read, name);
    if (raw === '') {
      if (entry.required) problems.push(new InputError(name, 'is required', entry.required));
      continue;
    }
    try {
      values[name] = entry.parse(raw, name);
    } catch (error) {
      if (error instanceof InputErrors) problems.push(...error.errors);
      else if (error instanceof InputError) problems.push(error);
      else throw error;
    }
  }
  return values;
}

/** Every secret value in the inputs (secret-env values included), for masking first thing. */
export function secretValues(read: InputReader): string[] {
  const values: string[] = [];
  for (const name of INPUT_NAMES) {
    const entry: InputSpec<unknown> = INPUT_TABLE[name];
    if (!entry.secret) continue;
    if (entry.kind !== 'env-lines') {
      values.push(read(name).trim());
      continue;
    }
    for (const line of read(name).split(/\r?\n/)) {
      const eq = line.indexOf('=');
      if (eq > 0) values.push(line.slice(eq + 1), line.slice(eq + 1).trim());
    }
  }
  return [...new Set(values.filter((value) => value !== ''))];
}

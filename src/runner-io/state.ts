import { OPERATIONS, STOP_REASONS, type Operation, type StackRef, type StopReason } from '../domain/vocabulary.js';
import type { TokenType } from '../domain/names.js';
import { validateAudience, validateCloudUrl, validateDeploymentId, validateOrganization, validateScope, validateStackRef, validateTokenType } from '../domain/names.js';
import { sanitizeLine } from './untrusted-text.js';

import type { CreatedRun } from '../domain/outcome.js';

/**
 * Why post must leave a deployment alone. Anything else unsettled (main was killed, or stopped
 * before it could cancel) is cancelled by post if the user's choice for that stop allows it.
 */
export type Settled =
  /** It finished, or main asked the service to cancel it. */
  | 'finished'
  | 'cancel-requested'
  /** The user asked for it to keep running: wait false, cancel-on-timeout or cancel-on-job-cancel false. */
  | 'left-running-on-purpose'
  /** Main lost track of it for its own reason: cancelling an update half-way could do more harm. */
  | 'lost-track';

export interface DeploymentState {
  stack: StackRef;
  operation: Operation;
  cancelOnTimeout: boolean;
  cancelOnJobCancel: boolean;
  /** When main sent the create request (epoch ms): post looks for a deployment whose answer never came. */
  createSentAt?: number;
  /** The stack's newest deployment version before the create (0: none); post's match for an unanswered create. */
  newestVersionBefore?: number;
  run?: CreatedRun;
  /** What stopped main before the deployment ended, when main knew it. */
  stoppedBy?: StopReason;
  settled?: Settled;
}

/** How main logged in, so post can log out and log in again. */
export interface LoginState {
  organization: string;
  tokenType: TokenType;
  scope?: string;
  cloudUrl: string;
  audience: string;
  logout: boolean;
}

/** What main hands the post step through GITHUB_STATE (never a secret: tokens travel as hashes). */
export interface PostState {
  login?: LoginState;
  tokenHashes: string[];
  /** One per stack, in the order main started them. */
  deployments: DeploymentState[];
  /** GitHub deployments (github-environment) main set in progress and never ended: post sets them to `error`. */
  githubDeployments: number[];
}

const KEYS = { login: 'login', tokenHashes: 'token-sha256', deployment: 'deployment', githubDeployments: 'github-deployments' } as const;

/**
 * Every write of main's state for post, in one place. GITHUB_STATE keeps the last value written
 * for a key, so each write replaces the whole record of its key.
 */
export class PostStateWriter {
  private tokenCount = 0;
  private deploymentCount = 0;
  private readonly openGitHubDeployments = new Set<number>();

  constructor(private readonly save: (name: string, value: string) => void) {}

  /** A GitHub deployment is in progress: post ends it if main cannot. */
  githubDeploymentOpened(id: number): void {
    this.openGitHubDeployments.add(id);
    this.save(KEYS.githubDeployments, JSON.stringify([...this.openGitHubDeployments]));
  }

  /** A GitHub deployment has its last status. */
  githubDeploymentClosed(id: number): void {
    this.openGitHubDeployments.delete(id);
    this.save(KEYS.githubDeployments, JSON.stringify([...this.openGitHubDeployments]));
  }

  login(login: NonNullable<PostState['login']>): void {
    const { organization, tokenType, scope, cloudUrl, audience, logout } = login;
    this.save(KEYS.login, JSON.stringify({ organization, tokenType, scope, cloudUrl, audience, logout }));
  }

  /**
   * Each token's hash under its own key (`token-sha256`, then `-1`, `-2`, ...): GITHUB_STATE is
   * append-only, so rewriting one growing list would cost O(n²) bytes over n refreshes.
   */
  tokenIssued(hash: string): void {
    const n = this.tokenCount++;
    this.save(n ? `${KEYS.tokenHashes}-${n}` : KEYS.tokenHashes, hash);
  }

  /**
   * The writer of the next stack's deployment, under its own key (`deployment`, then `deployment-1`, ...), for the same
   * reason. The key is taken at the first write: a stack that stops before it writes leaves no gap, where post stops reading.
   */
  deployment(): DeploymentStateWriter {
    let key: string | undefined;
    return new DeploymentStateWriter((value) => {
      if (key === undefined) {
        const n = this.deploymentCount++;
        key = n ? `${KEYS.deployment}-${n}` : KEYS.deployment;
      }
      this.save(key, value);
    });
  }
}

/** Every write of one deployment's record; each replaces the whole record. */
export class DeploymentStateWriter {
  private deployment?: DeploymentState;

  constructor(private readonly save: (value: string) => void) {}

  /** Written before the create request leaves, so a killed main still tells post to look. */
  createSending(deployment: Omit<DeploymentState, 'createSentAt' | 'run' | 'settled'>, at: number): void {
    this.write({ ...deployment, createSentAt: at });
  }

  created(run: CreatedRun): void {
    this.write({ ...this.mustHave(), run });
  }

  stopped(by: StopReason): void {
    this.write({ ...this.mustHave(), stoppedBy: by });
  }

  settle(settled: Settled): void {
    if (this.deployment) this.write({ ...this.deployment, settled });
  }

  private mustHave(): DeploymentState {
    if (!this.deployment) throw new Error('post state: no deployment recorded yet');
    return this.deployment;
  }

  private write(deployment: DeploymentState): void {
    this.deployment = deployment;
    this.save(JSON.stringify(deployment));
  }
}

/**
 * What post reads back, checked by the same rules as the inputs: the state file is written by main,
 * but post trusts nothing it did not check before it logs in again or builds a URL from it.
 * A record that fails is dropped, with the reason in `problems`.
 */
export function readPostState(getState: (name: string) => string): PostState & { problems: string[] } {
  const problems: string[] = [];
  const json = (name: string): unknown => {
    const raw = getState(name);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      problems.push(`${name}: not JSON`);
      return undefined;
    }
  };
  const checked = <T>(name: string, check: (value: Record<string, unknown>) => T): T | undefined => {
    const value = json(name);
    if (value === undefined) return undefined;
    try {
      if (!value || typeof value !== 'object') throw new Error('not an object');
      return check(value as Record<string, unknown>);
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  return {
    login: checked(KEYS.login, checkLogin),
    tokenHashes: readTokenHashes(getState),
    deployments: readDeployments(getState, checked),
    githubDeployments: readGitHubDeployments(json(KEYS.githubDeployments), problems),
    problems,
  };
}

function checkLogin(v: Record<string, unknown>): NonNullable<PostState['login']> {
  const tokenType = validateTokenType(text(v.tokenType, 'tokenType'));
  return {
    organization: validateOrganization(text(v.organization, 'organization')),
    tokenType,
    scope: validateScope(tokenType, v.scope === undefined ? undefined : text(v.scope, 'scope')),
    cloudUrl: validateCloudUrl(text(v.cloudUrl, 'cloudUrl')),
    audience: validateAudience(text(v.audience, 'audience')),
    logout: flag(v.logout, 'logout'),
  };
}

const SETTLED = ['finished', 'cancel-requested', 'left-running-on-purpose', 'lost-track'];

function checkDeployment(v: Record<string, unknown>): DeploymentState {
  const stack = validateStackRef(v.stack as StackRef);
  const operation = oneOf(v.operation, OPERATIONS, 'operation') as Operation;
  const state: DeploymentState = {
    stack,
    operation,
    cancelOnTimeout: flag(v.cancelOnTimeout, 'cancelOnTimeout'),
    cancelOnJobCancel: flag(v.cancelOnJobCancel, 'cancelOnJobCancel'),
  };
  if (v.createSentAt !== undefined) {
    if (typeof v.createSentAt !== 'number' || !Number.isSafeInteger(v.createSentAt)) throw new Error('createSentAt is not a time');
    state.createSentAt = v.createSentAt;
  }
  if (v.newestVersionBefore !== undefined) {
    if (typeof v.newestVersionBefore !== 'number' || !Number.isSafeInteger(v.newestVersionBefore) || v.newestVersionBefore < 0)
      throw new Error('newestVersionBefore is not a version');
    state.newestVersionBefore = v.newestVersionBefore;
  }
  if (v.run !== undefined) {
    const run = v.run as { ref?: StackRef & { id?: unknown }; consoleUrl?: unknown; version?: unknown };
    const ref = validateStackRef(run?.ref as StackRef);
    if (ref.organization !== stack.organization || ref.project !== stack.project || ref.stack !== stack.stack) throw new Error('the run is for another stack');
    state.run = {
      ref: { ...ref, id: validateDeploymentId(text(run.ref?.id, 'run id')) },
      consoleUrl: sanitizeLine(run.consoleUrl, 2_000),
      version: typeof run.version === 'number' ? run.version : 0,
    };
  }
  if (v.stoppedBy !== undefined) state.stoppedBy = oneOf(v.stoppedBy, STOP_REASONS, 'stoppedBy') as DeploymentState['stoppedBy'];
  if (v.settled !== undefined) state.settled = oneOf(v.settled, SETTLED, 'settled') as Settled;
  return state;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new Error(`${name} is not text`);
  return value;
}

function flag(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${name} is not true or false`);
  return value;
}

function oneOf(value: unknown, allowed: string[], name: string): string {
  if (typeof value !== 'string' || !allowed.includes(value)) throw new Error(`${name} is not one of ${allowed.join(', ')}`);
  return value;
}

/** `deployment`, `deployment-1`, ... up to the first key main never wrote; each checked on its own. */
function readDeployments(getState: (name: string) => string, checked: <T>(name: string, check: (value: Record<string, unknown>) => T) => T | undefined): DeploymentState[] {
  const deployments: DeploymentState[] = [];
  for (let i = 0; i <= MAX_DEPLOYMENTS; i++) {
    const key = i ? `${KEYS.deployment}-${i}` : KEYS.deployment;
    if (!getState(key)) break;
    const deployment = checked(key, checkDeployment);
    if (deployment) deployments.push(deployment);
  }
  return deployments;
}
/** A list of GitHub deployment ids (positive integers); anything else is dropped as a problem. */
function readGitHubDeployments(value: unknown, problems: string[]): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_DEPLOYMENTS || !value.every((id) => typeof id === 'number' && Number.isSafeInteger(id) && id > 0)) {
    problems.push(`${KEYS.githubDeployments}: not a list of deployment ids`);
    return [];
  }
  return value as number[];
}

/** More than the stacks one step may run. */
const MAX_DEPLOYMENTS = 1_000;

/** `token-sha256` (once a comma-separated list), then one hash per refresh under `token-sha256-1`, `-2`, ... */
function readTokenHashes(getState: (name: string) => string): string[] {
  const hashes = getState(KEYS.tokenHashes).split(',');
  for (let i = 1; i <= 100_000; i++) {
    const hash = getState(`${KEYS.tokenHashes}-${i}`);
    if (!hash) break;
    hashes.push(hash);
  }
  return hashes.filter((h) => /^[0-9a-f]{64}$/.test(h));
}

/** Whether post should cancel what main left: only if unsettled and the user's choice for that stop allows it. */
export function postShouldCancel(deployment: DeploymentState | undefined): boolean {
  if (!deployment || deployment.settled) return false;
  if (!deployment.run && deployment.createSentAt === undefined) return false;
  return deployment.stoppedBy === 'timeout' ? deployment.cancelOnTimeout : deployment.cancelOnJobCancel;
}

import type { LoginConfig, Operation, StackRef } from './inputs.js';

/** A deployment this run created, as post needs it. */
export interface CreatedRun {
  ref: StackRef & { id: string };
  consoleUrl: string;
  version: number;
}

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
  run?: CreatedRun;
  /** What stopped main before the deployment ended, when main knew it. */
  stoppedBy?: 'timeout' | 'job-cancelled';
  settled?: Settled;
}

/** What main hands the post step through GITHUB_STATE (never a secret: tokens travel as hashes). */
export interface PostState {
  login?: Pick<LoginConfig, 'organization' | 'tokenType' | 'scope' | 'cloudUrl' | 'audience' | 'logout'>;
  tokenHashes: string[];
  deployment?: DeploymentState;
}

const KEYS = { login: 'login', tokenHashes: 'token-sha256', deployment: 'deployment' } as const;

/**
 * Every write of main's state for post, in one place. GITHUB_STATE keeps the last value written
 * for a key, so each write replaces the whole record of its key.
 */
export class PostStateWriter {
  private deployment?: DeploymentState;
  private readonly hashes: string[] = [];

  constructor(private readonly save: (name: string, value: string) => void) {}

  login(login: NonNullable<PostState['login']>): void {
    const { organization, tokenType, scope, cloudUrl, audience, logout } = login;
    this.save(KEYS.login, JSON.stringify({ organization, tokenType, scope, cloudUrl, audience, logout }));
  }

  tokenIssued(hash: string): void {
    this.hashes.push(hash);
    this.save(KEYS.tokenHashes, this.hashes.join(','));
  }

  /** Written before the create request leaves, so a killed main still tells post to look. */
  createSending(deployment: Omit<DeploymentState, 'createSentAt' | 'run' | 'settled'>, at: number): void {
    this.writeDeployment({ ...deployment, createSentAt: at });
  }

  created(run: CreatedRun): void {
    this.writeDeployment({ ...this.mustHave(), run });
  }

  stopped(by: NonNullable<DeploymentState['stoppedBy']>): void {
    this.writeDeployment({ ...this.mustHave(), stoppedBy: by });
  }

  settle(settled: Settled): void {
    if (this.deployment) this.writeDeployment({ ...this.deployment, settled });
  }

  private mustHave(): DeploymentState {
    if (!this.deployment) throw new Error('post state: no deployment recorded yet');
    return this.deployment;
  }

  private writeDeployment(deployment: DeploymentState): void {
    this.deployment = deployment;
    this.save(KEYS.deployment, JSON.stringify(deployment));
  }
}

export function readPostState(getState: (name: string) => string): PostState {
  const json = <T>(name: string): T | undefined => {
    const raw = getState(name);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  };
  return {
    login: json(KEYS.login),
    tokenHashes: getState(KEYS.tokenHashes).split(',').filter((hash) => /^[0-9a-f]{64}$/.test(hash)),
    deployment: json(KEYS.deployment),
  };
}

/** Whether post should cancel what main left: only if unsettled and the user's choice for that stop allows it. */
export function postShouldCancel(deployment: DeploymentState | undefined): boolean {
  if (!deployment || deployment.settled) return false;
  if (!deployment.run && deployment.createSentAt === undefined) return false;
  return deployment.stoppedBy === 'timeout' ? deployment.cancelOnTimeout : deployment.cancelOnJobCancel;
}

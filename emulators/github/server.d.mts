import type { components, operations } from '@octokit/openapi-types';
import type { FaultRule } from '../lib/faults.mjs';
import type { RecordedRequest } from '../lib/http.mjs';
import type { pullRequestPayload } from './objects.mjs';

type Schemas = components['schemas'];
type CheckRunOutput = NonNullable<operations['checks/create']['requestBody']['content']['application/json']['output']>;
/** The payload of a pull request's event (pull_request or pull_request_target), as GitHub sends it. */
export type PullRequestEventPayload = ReturnType<typeof pullRequestPayload>;

/** Who a comment is by: the fields of GitHub's simple-user the stand-in keeps (the rest derive from them). */
export type CommentUser = Pick<Schemas['simple-user'], 'login' | 'type'> & Partial<Pick<Schemas['simple-user'], 'id' | 'node_id' | 'site_admin' | 'avatar_url'>>;
export interface IssueComment {
  id: number;
  issueNumber: number;
  /** 'owner/name' */
  repo: string;
  body: string;
  /** null: the deleted "ghost" user */
  user: CommentUser | null;
  createdAt: number;
  updatedAt: number;
}
export interface GitHubEmulatorOptions {
  port?: number;
  /** merged over the default claims of every ID token */
  claims?: Record<string, unknown>;
  idTokenLifetimeSeconds?: number;
  /** endpoints: 'idtoken', 'comments', 'pulls', 'user', 'jwks', 'openid-configuration' */
  faults?: FaultRule[];
  /** if set, the only token the REST API accepts (otherwise any non-empty token) */
  apiToken?: string;
  /** overrides of the bot user the workflow token (`ghs_...`) comments as */
  commentUser?: Partial<CommentUser>;
  /** personal tokens and the user each acts as; other tokens not starting `ghs_` act as `octocat` */
  tokenUsers?: Record<string, { login: string; id?: number; type?: string }>;
  /** the workflow token's (`ghs_...`) permissions; a missing `write` answers writes 403, a missing `pull-requests` (or `none`) reads of pull requests and comments too (default: write to pull-requests, deployments, checks) */
  permissions?: Record<string, 'read' | 'write' | 'none'>;
  /** seed comments; `user: null` is the deleted "ghost" user */
  comments?: Array<{ issueNumber: number; repo: string; body: string; id?: number; user?: Partial<CommentUser> | null }>;
  /** the repositories that exist (default `acme/infra`); others answer 404, as do issues and pull requests not opened or commented on */
  repositories?: string[];
}
export interface GitHubDeployment {
  id: number;
  /** 'owner/name' */
  repo: string;
  ref: string;
  environment: string;
  transient: boolean;
  autoMerge?: boolean;
  requiredContexts?: string[];
  statuses: Array<{ id: number; state: Schemas['deployment-status']['state']; log_url: string; environment_url: string; description: string }>;
}
export interface GitHubCheckRun {
  id: number;
  repo: string;
  name: string;
  headSha: string;
  status: Schemas['check-run']['status'];
  conclusion: Schemas['check-run']['conclusion'];
  output: Partial<Pick<CheckRunOutput, 'title' | 'summary' | 'text'>>;
  /** Every annotation sent, across the create and its updates. */
  annotations: NonNullable<CheckRunOutput['annotations']>;
}
export interface GitHubEmulator {
  /** http://127.0.0.1:PORT, also the `iss` of ID tokens */
  url: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL (has ?api-version=2.0) */
  idTokenRequestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
  idTokenRequestToken: string;
  jwksUrl: string;
  /** GITHUB_API_URL */
  apiUrl: string;
  /** kid of the signing key */
  kid: string;
  mintIdToken(audience: string, extraClaims?: Record<string, unknown>): Promise<string>;
  issuedIdTokens: Array<{ audience: string; claims: Record<string, unknown>; jwt: string }>;
  comments: IssueComment[];
  /** GitHub deployments (github-environment), by id */
  deployments: Map<number, GitHubDeployment>;
  /** check runs (check-run), by id */
  checkRuns: Map<number, GitHubCheckRun>;
  /** seeds a comment as any user (default: the bot; null: the deleted "ghost" user); its repository and issue then exist */
  addComment(comment: { issueNumber: number; repo: string; body: string; id?: number; user?: Partial<CommentUser> | null }): IssueComment;
  /** Opens (or replaces) a pull request; `fork: true` gives it a fork as head repository, `headRepo: null` a deleted one. */
  openPullRequest(pull: {
    repo: string;
    number: number;
    headSha: string;
    headRef?: string;
    baseSha?: string;
    baseRef?: string;
    fork?: boolean;
    headRepo?: string | null;
  }): Schemas['pull-request'];
  /** A new commit on the pull request's head. */
  pushToPullRequest(repo: string, number: number, headSha: string): void;
  /** The event payload the pull request triggers (pull_request or pull_request_target), for the runner. */
  pullRequestEvent(repo: string, number: number, name?: 'pull_request' | 'pull_request_target'): { name: string; payload: PullRequestEventPayload };
  hasPullRequest(repo: string, number: number): boolean;
  /** Makes a repository exist (one a pull request was opened or a comment seeded in exists already). */
  addRepository(repo: string): void;
  /** A workflow token (`ghs_...`) with its own permissions (others have the emulator's), e.g. a fork pull request's read-only one. */
  workflowToken(permissions: Record<string, 'read' | 'write' | 'none'>): string;
  requests: RecordedRequest[];
  setFaults(rules: FaultRule[]): void;
  goDown(ms: number): Promise<void>;
  waitUntilUp(): Promise<void>;
  close(): Promise<void>;
}
export declare function startGitHubEmulator(options?: GitHubEmulatorOptions): Promise<GitHubEmulator>;
export declare function defaultClaims(options?: { owner?: string; repo?: string }): Record<string, string>;

import type { components } from '@octokit/openapi-types';

type Schemas = components['schemas'];
export interface UserRecord {
  login: string;
  id: number;
  node_id: string;
  type: string;
  site_admin?: boolean;
  avatar_url: string;
  name?: string | null;
}
export interface PullRequestRecord {
  /** 'owner/name' of the base repository */
  repo: string;
  number: number;
  headSha: string;
  headRef: string;
  /** 'owner/name' of the head repository; null when a fork was deleted */
  headRepo: string | null;
  baseSha: string;
  baseRef: string;
  createdAt: number;
  updatedAt: number;
}
export declare const PUBLIC_API: string;
export declare function userRecord(login: string, type?: string, id?: number): UserRecord;
export declare function simpleUser(api: string, user: UserRecord): Schemas['simple-user'];
export declare function privateUser(api: string, user: UserRecord): Schemas['private-user'];
export declare function repository(api: string, fullName: string, options?: { fork?: boolean }): Schemas['repository'];
export declare function pullRequest(api: string, pull: PullRequestRecord): Schemas['pull-request'];
export declare function pullRequestPayload(
  api: string,
  pull: PullRequestRecord,
  options?: { before?: string },
): {
  action: 'synchronize';
  number: number;
  before: string;
  after: string;
  pull_request: Schemas['pull-request'];
  repository: Schemas['repository'];
  sender: Schemas['simple-user'];
};
export declare function pushPayload(api: string, fullName: string, options: { ref?: string; before?: string; after: string; message?: string }): Record<string, unknown>;
export declare function mergeGroupPayload(api: string, fullName: string, options: { headSha: string; baseSha: string; baseRef?: string; number?: number }): Record<string, unknown>;
export declare function workflowDispatchPayload(
  api: string,
  fullName: string,
  options?: { ref?: string; inputs?: Record<string, unknown>; workflow?: string },
): Record<string, unknown>;
